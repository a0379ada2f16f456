# expect: DKR-011@4
FROM debian:12.5-slim
COPY tools/ /opt/tools/
RUN chmod 0755 /opt/tools/run \
 && chmod -R 6750 /opt/tools/bin
USER app
HEALTHCHECK CMD ["true"]
CMD ["/opt/tools/run"]
