# expect: DKR-007@3
FROM debian:12.5-slim
EXPOSE 8080 22/tcp
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
