# expect: DKR-003@2
FROM ubuntu
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
