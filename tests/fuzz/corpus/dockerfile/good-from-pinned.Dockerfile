# expect: none
ARG BASE
ARG VERSION=3.19
FROM registry.example.com:5000/team/base:1.4.2 AS one
FROM alpine:${VERSION} AS two
FROM debian@sha256:2f0b9e9f7c3f2b5e1a6d4c8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9012345 AS three
FROM $BASE AS four
FROM scratch AS five
FROM one
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
