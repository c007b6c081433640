#!/bin/sh
# Rebuilds builtin.wasm, the built-in lint rules as one WebAssembly module,
# reproducibly: the same sources and Go release give the same bytes.
# Run from anywhere; `make wasm` calls it.
set -eu
cd "$(dirname "$0")"
GOOS=wasip1 GOARCH=wasm CGO_ENABLED=0 go build -buildmode=c-shared -trimpath -ldflags=-buildid= -o builtin.wasm ./wasm
# Go writes the memory image as ~27,000 small data segments; one per run of
# bytes costs the host heap and instantiation time (internal/wasmdata).
go run ../../internal/wasmdata/mergedata builtin.wasm
