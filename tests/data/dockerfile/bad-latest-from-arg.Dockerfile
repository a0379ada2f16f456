# expect: DKR-003@4
ARG REGISTRY=docker.io
ARG BASE_TAG=latest
FROM ${REGISTRY}/library/alpine:${BASE_TAG}
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
