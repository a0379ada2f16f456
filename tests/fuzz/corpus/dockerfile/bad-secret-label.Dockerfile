# expect: DKR-002@3
FROM debian:12.5-slim
LABEL com.example.version="1.0" com.example.deploy-token="glpat-abcdefghij0123456789"
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
