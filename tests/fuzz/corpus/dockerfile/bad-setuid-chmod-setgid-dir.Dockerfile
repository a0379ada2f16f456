# expect: DKR-011@3
FROM debian:12.5-slim
RUN mkdir -p /srv/shared && chmod -R ug=rwx,o=rx,+s /srv/shared
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
