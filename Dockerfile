# Production image: a static binary on Alpine (wget serves the health check).
# The frontend bundle is built first and embedded in the binary.
FROM node:20-bookworm-slim AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN node_modules/.bin/tsc --noEmit -p . && node build.mjs

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=frontend /src/frontend/dist ./frontend/dist
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/reparerer ./cmd/reparerer

FROM alpine:3.22
RUN adduser -D -u 10001 reparerer && mkdir -p /data && chown reparerer /data
COPY --from=build /out/reparerer /usr/local/bin/reparerer
COPY scripts/data /seed
USER reparerer
ENV REPARERER_DB=/data/reparerer.db
EXPOSE 8080
ENTRYPOINT ["reparerer"]
CMD ["serve"]
