# expect: none
FROM debian:12.5-slim AS build
EXPOSE 22
FROM debian:12.5-slim
EXPOSE 2222 8022/tcp 220
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
