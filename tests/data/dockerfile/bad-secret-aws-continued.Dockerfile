# expect: DKR-002@3
FROM debian:12.5-slim
ENV AWS_ACCESS_KEY_ID=AKIAEXAMPLEEXAMPLE01 \
    # a comment inside the continuation is dropped
    AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIbK7MDENGbPxRfiCYzEXAMPLEKEY
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
