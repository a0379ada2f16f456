# expect: none
FROM debian:12.5-slim AS builder
# caches in a build stage do not reach the final image
RUN apt-get update && apt-get install -y --no-install-recommends build-essential

FROM python:3.12-slim
ENV PIP_NO_CACHE_DIR=1
RUN --mount=type=cache,target=/var/lib/apt/lists --mount=type=cache,target=/var/cache/apt \
    apt-get update && apt-get install -y --no-install-recommends libpq5
RUN pip install psycopg
RUN pip3 install --no-cache-dir flask
RUN apk add --no-cache tini || true
RUN <<EOF bash
apt-get update
apt-get install -y --no-install-recommends jq
rm -rf /var/lib/apt/lists/*
EOF
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
