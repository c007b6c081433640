#!/bin/sh
# Builds the example hooks into examples/hooks/<name>.wasm:
#   examples/hooks/build.sh [outdir]
# Run from anywhere. The modules are not committed; tests build their own.
set -eu
cd "$(dirname "$0")"
out=${1:-.}
for h in change-window ticket-id; do
	GOOS=wasip1 GOARCH=wasm CGO_ENABLED=0 go build -buildmode=c-shared -trimpath -ldflags=-buildid= -o "$out/$h.wasm" "./$h"
done
