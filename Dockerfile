# The api and worker images, one target each: docker build --target api -t taskstack/api .  (or --target worker)
# They share every stage up to their last, so building both installs and compiles once. The api image also runs
# the stack's one-shot migrations (node packages/db/dist/cli/migrate.js).

# Every workspace manifest and the lockfile, alone, so dependency layers are reused until they change.
FROM node:24-trixie-slim AS manifests
WORKDIR /src
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json -delete && find . -type d -empty -delete

FROM node:24-trixie-slim AS build
WORKDIR /src
COPY --from=manifests /src ./
RUN npm ci --no-audit --no-fund --include-workspace-root -w @taskstack/api -w @taskstack/worker
COPY tsconfig.base.json ./
COPY packages packages
COPY api api
COPY worker worker
RUN npm run build -w @taskstack/config -w @taskstack/runtime -w @taskstack/db -w @taskstack/queues \
  && npm run build -w @taskstack/api -w @taskstack/worker

FROM node:24-trixie-slim AS prod-deps
WORKDIR /src
COPY --from=manifests /src ./
RUN npm ci --no-audit --no-fund --omit=dev -w @taskstack/api -w @taskstack/worker && npm cache clean --force

# What both processes run: production dependencies and the shared packages' build.
FROM node:24-trixie-slim AS app
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prod-deps /src/node_modules node_modules
COPY --from=build /src/package.json ./
COPY --from=build /src/packages/config/package.json packages/config/
COPY --from=build /src/packages/config/dist packages/config/dist
COPY --from=build /src/packages/runtime/package.json packages/runtime/
COPY --from=build /src/packages/runtime/dist packages/runtime/dist
COPY --from=build /src/packages/db/package.json packages/db/
COPY --from=build /src/packages/db/dist packages/db/dist
COPY --from=build /src/packages/queues/package.json packages/queues/
COPY --from=build /src/packages/queues/dist packages/queues/dist

FROM app AS api
COPY --from=build /src/api/package.json api/
COPY --from=build /src/api/dist api/dist
RUN mkdir -p /data/attachments && chown node:node /data/attachments
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "api/dist/main.js"]

FROM app AS worker
# pg_dump/pg_restore of the same major as the stack's Postgres (17), from Debian trixie itself.
RUN apt-get update \
  && apt-get install -y --no-install-recommends postgresql-client-17 \
  && rm -rf /var/lib/apt/lists/* \
  && pg_dump --version
ENV PATH=/usr/lib/postgresql/17/bin:$PATH
COPY --from=build /src/worker/package.json worker/
COPY --from=build /src/worker/dist worker/dist
RUN mkdir -p /backups /transfers /data/attachments && chown node:node /backups /transfers /data/attachments
USER node
EXPOSE 3001
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3001/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "worker/dist/main.js"]
