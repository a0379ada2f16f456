# expect: DKR-002@4
FROM node:20.11-bookworm-slim
ARG API_TOKEN=dummy
ENV NODE_ENV=production \
    UPSTREAM_AUTH="Bearer ${API_TOKEN:-none}"
USER node
HEALTHCHECK CMD ["true"]
CMD ["node", "index.js"]
