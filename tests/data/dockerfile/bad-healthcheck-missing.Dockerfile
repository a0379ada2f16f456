# expect: DKR-004@2
FROM debian:12.5-slim
USER app
CMD ["app"]
