# expect: DKR-012@3
FROM debian:12.5-slim
RUN mkdir /uploads && chmod 1777 /uploads
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
