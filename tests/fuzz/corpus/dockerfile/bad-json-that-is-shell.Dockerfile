# expect: DKR-019@6
FROM debian:12.5-slim
USER app
HEALTHCHECK CMD ["true"]
# single quotes are not JSON: this is shell form
CMD ['app', '--serve']
