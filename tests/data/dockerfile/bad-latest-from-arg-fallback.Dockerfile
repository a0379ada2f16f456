# expect: DKR-003@3
ARG TAG
FROM alpine:${TAG:-latest}
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
