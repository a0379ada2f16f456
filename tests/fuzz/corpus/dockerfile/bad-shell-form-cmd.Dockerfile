# expect: DKR-019@5
FROM debian:12.5-slim
USER app
HEALTHCHECK CMD ["true"]
ENTRYPOINT /usr/local/bin/app --serve
