# expect: DKR-021@3 DKR-002@4
FROM node:20.11-bookworm-slim
ARG DB_PASSWORD
ENV DB_PASSWORD=$DB_PASSWORD
USER node
HEALTHCHECK CMD ["true"]
CMD ["node", "index.js"]
