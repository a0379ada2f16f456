# expect: DKR-001@4
FROM debian:12.5-slim
USER app
USER root
HEALTHCHECK CMD ["true"]
CMD ["app"]
