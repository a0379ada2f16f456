# expect: DKR-012@3
FROM debian:12.5-slim
RUN mkdir -p /app/data && chmod -R 777 /app/data
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
