# One image for every Modelplane process; k8s/ picks the command (api, worker, gateway, migrations).
# Not built in this repository's CI or on its development machines (they have no Docker): kept minimal,
# and checked only by reading. Build: docker build -t ghcr.io/modelplane/modelplane:<version> .

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install script is needed (prisma's would download engines this project does not use).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run generate && npm run build && npm prune --omit=dev --ignore-scripts

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
# package.json maps the #config/#db/… imports to dist/; prisma/ holds the schema and the migrations
# (the migration Job and the api's readiness read them).
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma
# Numeric, so that Kubernetes can verify runAsNonRoot (uid 1000 is the image's `node` user).
USER 1000:1000
EXPOSE 8080 8081 8082
CMD ["node", "dist/apps/api/src/main.js"]
