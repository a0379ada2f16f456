# expect: DKR-012@3
FROM debian:12.5-slim
RUN chmod 777 /tmp
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
