# expect: DKR-005@3
FROM debian:12.5-slim
RUN apt-get update && apt-get install -y --no-install-recommends sudo=1.9.13p3-1+deb12u1 && rm -rf /var/lib/apt/lists/*
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
