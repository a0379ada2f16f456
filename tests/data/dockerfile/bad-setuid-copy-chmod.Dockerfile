# expect: DKR-011@3
FROM debian:12.5-slim
COPY --chmod=4755 helper /usr/local/bin/helper
USER app
HEALTHCHECK CMD ["true"]
CMD ["helper"]
