# expect: DKR-002@4
FROM python:3.12-slim
ARG DB_PASS=
ENV DB_PASSWORD ${DB_PASS}
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
