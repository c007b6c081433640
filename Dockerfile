# syntax=docker/dockerfile:1
#
# cqltrack as a container image: a static binary on distroless, with the
# built-in lint rules already compiled into the plugin cache so that the
# first lint in CI does not spend a second compiling WebAssembly.
#
#   docker build -t cqltrack .
#   docker run --rm -v "$PWD:/work" -e CQLTRACK_HOSTS=cassandra.internal cqltrack status
#
# docs/docker.md describes the image; it is not built on the machines
# cqltrack is developed on (no Docker engine there).

ARG GO_VERSION=1.26

FROM golang:${GO_VERSION} AS build
WORKDIR /src
# Modules first, so that a change to the sources does not download them again.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# CGO_ENABLED=0: wazero and gocql are pure Go, so the binary needs no libc
# and runs on distroless/static.
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/cqltrack/cqltrack/cmd/cqltrack/cli.Version=${VERSION}" \
      -o /out/cqltrack ./cmd/cqltrack

FROM gcr.io/distroless/static-debian12:nonroot AS runtime
COPY --from=build /out/cqltrack /usr/local/bin/cqltrack
# The compilation cache is keyed by wazero version and CPU architecture, so it
# is warmed here, in the final stage, by the binary the image ships and as
# the user it runs as (the cache directory is created private to its owner).
ENV XDG_CACHE_HOME=/home/nonroot/.cache \
    CQLTRACK_PLUGIN_CACHE_DIR=/home/nonroot/.cache/cqltrack/wazero
USER nonroot:nonroot
RUN ["/usr/local/bin/cqltrack", "cache", "warm"]
# Mount the project (cqltrack.yml and migrations/) here.
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/cqltrack"]
CMD ["--help"]
