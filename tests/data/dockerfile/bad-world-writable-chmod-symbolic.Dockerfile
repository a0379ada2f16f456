# expect: DKR-012@3
FROM debian:12.5-slim
RUN ["/bin/sh", "-c", "chmod u+rw,o+w /etc/app.conf"]
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
