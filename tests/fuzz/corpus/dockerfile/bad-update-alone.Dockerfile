# expect: DKR-015@3
FROM debian:12.5-slim
RUN apt-get update
RUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
