# expect: none
# USER from a build argument without default: decided at build time.
FROM debian:12.5-slim
ARG RUNAS
USER $RUNAS
HEALTHCHECK CMD ["true"]
CMD ["app"]
