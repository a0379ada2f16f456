# expect: none
# The final stage builds on "base", which sets the user and the health check.
FROM debian:12.5-slim AS base
USER 1000:1000
HEALTHCHECK CMD ["true"]

FROM golang:1.22 AS build
RUN go build ./...

FROM base
COPY --from=build /out/app /app
CMD ["/app"]
