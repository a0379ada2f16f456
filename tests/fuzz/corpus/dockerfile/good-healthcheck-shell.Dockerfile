# expect: none
FROM debian:12.5-slim
USER app
HEALTHCHECK --interval=30s --timeout=3s \
  CMD curl -f http://localhost/ || exit 1
CMD ["app"]
