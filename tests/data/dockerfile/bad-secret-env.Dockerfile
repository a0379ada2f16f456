# expect: DKR-002@3
FROM debian:12.5-slim
ENV APP_MODE=prod DB_PASSWORD="s3cr3t-Passw0rd!"
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
