# expect: none
FROM python:3.12-slim
ENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D \
    TOKENIZERS_PARALLELISM=false \
    PASSWORD_MIN_LENGTH=16 \
    DB_PASSWORD_FILE=/run/secrets/db_password \
    API_TOKEN=${API_TOKEN_FROM_ENV} \
    SECRET_KEY="<set-at-runtime>" \
    AUTH_TOKEN_URL=https://auth.example.com/token \
    PWD_HINT=none
LABEL org.opencontainers.image.title="tokens demo"
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
