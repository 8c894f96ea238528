# syntax=docker/dockerfile:1
# Portcullis: a multi-stage build. The build stage compiles TypeScript and the native
# addons (better-sqlite3 falls back to node-gyp when it cannot fetch a prebuilt binary),
# then prunes to production dependencies; the runtime stage holds only dist/, the pruned
# node_modules and package.json, and runs as an unprivileged user.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# node-gyp builds against the image's own Node headers instead of downloading them.
ENV npm_config_nodedir=/usr/local
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY admin ./admin
RUN npm run build \
  && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# The application files stay owned by root, so the service cannot rewrite them. data/ is
# where the default SQLite database lives when DATABASE_URL is not set (a single node).
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /app/data && chown 1000:1000 /app/data
# The image's `node` user, by number, so that Kubernetes can verify runAsNonRoot.
USER 1000:1000
EXPOSE 9011
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 9011) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]
