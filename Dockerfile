# The gateway as a container: `docker build -t openfire-gateway .`, then
#   docker run -p 4000:4000 -e OPENFIRE_URL=http://openfire:9090 -e OPENFIRE_SECRET=… openfire-gateway
# Without OPENFIRE_URL it starts the embedded emulator with its showcase data, as `npm start` does.

# Build stage: the TypeScript compiler turns src/ into dist/ (`npm run build`).
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Runtime stage: the compiled JavaScript and the production dependencies only (no compiler, no tsx).
FROM node:20-slim

# SHUTDOWN_TIMEOUT_MS below `docker stop`'s default 10 s grace period, so the drain ends before SIGKILL.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000 SHUTDOWN_TIMEOUT_MS=8000
# Under a memory limit below 4 GiB Node shrinks V8's young generation with the heap, which doubled big answers' CPU
# at 512 MiB (docs/operations.md, Memory); 16 MiB semi-spaces are what it uses on a large host.
# `-e NODE_OPTIONS=…` replaces this.
ENV NODE_OPTIONS=--max-semi-space-size=16

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist

USER node
EXPOSE 4000

# Liveness only; point the load balancer's health check at /readyz.
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# node itself is PID 1 (no npm wrapper), so SIGTERM reaches the gateway's graceful shutdown.
CMD ["node", "dist/main.js"]
