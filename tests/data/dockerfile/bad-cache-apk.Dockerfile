# expect: DKR-010@3
FROM alpine:3.19
RUN apk add curl
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
