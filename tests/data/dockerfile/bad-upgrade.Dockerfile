# expect: DKR-008@3
FROM debian:12.5-slim
RUN apt-get update && apt-get -y dist-upgrade && rm -rf /var/lib/apt/lists/*
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
