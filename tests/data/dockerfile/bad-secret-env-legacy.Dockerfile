# expect: DKR-002@3
FROM debian:12.5-slim
ENV STRIPE_API_KEY sk_live_4eC39HqLyjWDarjtT1zdp7dc
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
