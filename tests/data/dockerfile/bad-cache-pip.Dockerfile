# expect: DKR-010@3
FROM python:3.12-slim
RUN python3 -m pip install -r requirements.txt
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
