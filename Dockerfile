# syntax=docker/dockerfile:1

# Build: compile TypeScript with the full toolchain.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Production dependencies only, installed apart so no dev tool reaches the final image.
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:22-bookworm-slim
# MALLOC_*: glibc's allocator as `npm start` sets it (see README, Memory): two arenas instead of
# one per thread, and buffers of 128 KiB and more (compression state) handed back when freed.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=131072
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY drizzle ./drizzle
COPY views ./views
COPY public ./public
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/livez').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The server applies pending migrations from drizzle/ before it listens. It is started as `npm start`
# starts it after its build (prestart), with the same V8 flags (a small young generation, and the
# old one collected before it grows half again past what is live: see README, Memory), but by
# node itself: the image has no compiler, and node as PID 1 receives the SIGTERM of `docker stop`
# and stops gracefully.
CMD ["node", "--max-semi-space-size=4", "--heap-growing-percent=50", "dist/src/server.js"]
