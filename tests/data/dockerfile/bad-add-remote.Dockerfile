# expect: DKR-013@3
FROM debian:12.5-slim
ADD https://example.com/releases/tool-1.2.tar.gz /opt/
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
