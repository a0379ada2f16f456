# expect: DKR-012@3
FROM debian:12.5-slim
RUN touch /var/log/app.log && chmod a+rw /var/log/app.log
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
