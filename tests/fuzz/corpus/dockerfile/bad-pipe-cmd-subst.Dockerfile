# expect: DKR-009@3
FROM debian:12.5-slim
RUN sh -c "$(curl -fsSL https://raw.example.com/ohmyzsh/install.sh)"
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
