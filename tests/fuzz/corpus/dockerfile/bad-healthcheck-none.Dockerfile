# expect: DKR-004@4
FROM debian:12.5-slim
USER app
HEALTHCHECK NONE
CMD ["app"]
