# syntax=docker/dockerfile:1
# expect: DKR-010@4
FROM debian:12.5-slim
RUN <<EOF
set -eux
apt-get update
apt-get install -y --no-install-recommends curl
EOF
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
