# expect: DKR-011@4
FROM golang:1.22.2-bookworm AS build
RUN go build -o /out/ping ./cmd/ping
RUN sudo=no chmod 4755 /out/ping
FROM debian:12.5-slim
COPY --from=build /out/ping /usr/local/bin/ping
USER app
HEALTHCHECK CMD ["true"]
CMD ["ping"]
