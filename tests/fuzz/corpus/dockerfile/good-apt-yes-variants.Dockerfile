# expect: none
FROM debian:12.5-slim
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get -qq install --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -qy -o APT::Install-Recommends=false wget && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get -o APT::Get::Assume-Yes=true install --no-install-recommends jq && rm -rf /var/lib/apt/lists/*
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
