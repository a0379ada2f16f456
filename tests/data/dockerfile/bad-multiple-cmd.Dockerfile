# expect: DKR-016@6
FROM debian:12.5-slim
USER app
HEALTHCHECK CMD ["true"]
CMD ["app", "--one"]
CMD ["app", "--two"]
