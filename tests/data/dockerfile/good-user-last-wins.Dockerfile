# expect: none
FROM debian:12.5-slim
USER root
RUN useradd app
USER app:app
HEALTHCHECK CMD ["true"]
CMD ["app"]
