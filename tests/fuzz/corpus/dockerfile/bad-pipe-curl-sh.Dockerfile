# expect: DKR-009@3
FROM debian:12.5-slim
RUN curl -fsSL https://get.example.com/install.sh | sh
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
