# expect: DKR-014@3
FROM debian:12.5-slim
ADD --chown=app:app ["config dir/", "/etc/app/"]
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
