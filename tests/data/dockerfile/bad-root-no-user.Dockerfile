# expect: DKR-001@2
FROM debian:12.5-slim
HEALTHCHECK CMD ["true"]
CMD ["app"]
