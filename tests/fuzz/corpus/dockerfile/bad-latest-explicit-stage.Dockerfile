# expect: DKR-003@2
FROM golang:latest AS build
RUN go build -o /out/app ./cmd/app

FROM debian:12.5-slim
COPY --from=build /out/app /app
USER app
HEALTHCHECK CMD ["true"]
CMD ["/app"]
