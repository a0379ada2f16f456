# expect: DKR-010@3
FROM debian:12.5-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
