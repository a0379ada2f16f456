# expect: DKR-009@3
FROM debian:12.5-slim
RUN set -eux; wget -qO- https://sh.example.org/rustup.sh 2>/dev/null | bash -s -- -y
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
