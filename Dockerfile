# The Airbyte source image of braze-events (docs/CONNECTORS.md).
#
# Airbyte's conventions for a connector image: the entrypoint runs the connector with
# spec/check/discover/read and the flags Airbyte passes (--config, --catalog, --state),
# AIRBYTE_ENTRYPOINT holds the same command, and io.airbyte.name / io.airbyte.version label
# the image. Build: docker build -t airbyte/source-braze-events:0.1.0 .
FROM node:20-bookworm-slim AS build
WORKDIR /build
COPY package.json package-lock.json ./
# better-sqlite3 is a dependency of the CLI (sync); its prebuilt binary is fetched here.
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /airbyte/integration_code
COPY --from=build /build/package.json ./
COPY --from=build /build/node_modules ./node_modules
COPY --from=build /build/dist ./dist
# Airbyte runs connectors as a non-root user; nothing is written inside the image.
USER node
ENV NODE_ENV=production
ENV AIRBYTE_ENTRYPOINT="node /airbyte/integration_code/dist/cli/bin.js airbyte"
ENTRYPOINT ["node", "/airbyte/integration_code/dist/cli/bin.js", "airbyte"]
LABEL io.airbyte.name=airbyte/source-braze-events
LABEL io.airbyte.version=0.1.0
