# expect: DKR-021@3
FROM node:20.11-bookworm-slim
ARG NPM_TOKEN
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm .npmrc
USER node
HEALTHCHECK CMD ["true"]
CMD ["node", "index.js"]
