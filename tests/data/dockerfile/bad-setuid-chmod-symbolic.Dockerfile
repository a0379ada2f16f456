# expect: DKR-011@4
FROM debian:12.5-slim
COPY helper /usr/local/bin/helper
RUN chmod u+s /usr/local/bin/helper
USER app
HEALTHCHECK CMD ["true"]
CMD ["helper"]
