# expect: DKR-006@3
FROM debian:12.5-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends openssh-server \
 && rm -rf /var/lib/apt/lists/*
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
