# syntax=docker/dockerfile:1
#
# Haven's server image. Build: docker build -t haven .
# Run: DATABASE_URL and the secrets are required (see docs/operating.md, "Running in containers").
#
# Node 22 LTS (Node 20 reached its end of life in April 2026); CI runs the test suite on Node 22 as well.
#
# Install scripts are skipped (`--ignore-scripts`). The image's npm (10) does not read package.json's `allowScripts`
# (an npm 11 field), so without the flag it would run every install script, @scarf/scarf's telemetry among them.
# The one script Haven approves belongs to the embedded PostgreSQL, which is used only when DATABASE_URL is unset;
# in a container DATABASE_URL is always set, so nothing is lost.

# ---- build: all dependencies, compile TypeScript (src/ and migrations/) into dist/ ----
FROM node:22-bookworm-slim AS build
WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund

# What `npm run build` reads. A new build input (assets, views) must be added here.
COPY tsconfig.json tsconfig.migrations.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# ---- runtime: the compiled server and its production dependencies, run as the non-root `node` user ----
# (embedded-postgres stays: it is a runtime dependency, loaded only when DATABASE_URL is unset.)
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app

# Owned by root and read-only to the app: the server writes nothing here while DATABASE_URL and the secrets are set.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist

USER node
EXPOSE 3000

# No curl in the slim image: ask with Node's own fetch. 200 once PostgreSQL (and Redis, when set) answer.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# Node itself, not npm: SIGTERM reaches the server, which closes HTTP, the pool and Redis before it exits.
CMD ["node", "dist/main.js"]
