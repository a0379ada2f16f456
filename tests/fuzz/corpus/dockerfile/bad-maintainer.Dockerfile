# expect: DKR-020@3
FROM debian:12.5-slim
MAINTAINER Jane Doe <jane@example.com>
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
