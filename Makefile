# cqltrack: every target is a line or two; see README.md.
GO      ?= go
BIN     := bin/cqltrack

.PHONY: build wasm examples test test-cassandra bench demo fuzz vet testdeps

build:
	$(GO) build -o $(BIN) ./cmd/cqltrack

# The built-in lint rules and formatters, compiled to the WebAssembly
# modules the binary embeds (committed, so that go install works without
# this step).
wasm:
	lint/builtin/build.sh
	format/builtin/build.sh

# The example rule plugin and hooks, as their authors would build them.
examples:
	cd examples/plugins/tablepolicy && GOOS=wasip1 GOARCH=wasm $(GO) build -buildmode=c-shared -trimpath -o tablepolicy.wasm .
	examples/hooks/build.sh

vet:
	test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...

# The Python driver is a second, independent client for engine/cqltest's
# conformance test; its test skips when the package cannot be installed.
testdeps:
	@dpkg -s python3-cassandra >/dev/null 2>&1 || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && \
	  (apt-get update -qq && apt-get install -y -qq python3-cassandra >/dev/null) || echo "python3-cassandra not installed: its test will skip"; }

test: vet testdeps
	$(GO) test -count=1 ./...

# The same suite against a real Cassandra 5 started by docker compose
# (docs/docker.md); not available on machines without a Docker engine.
test-cassandra:
	docker compose up -d --wait cassandra
	CQLTRACK_TEST_HOSTS=127.0.0.1:9042 $(GO) test -count=1 ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./engine/...

FUZZ    ?= FuzzParse
FUZZPKG ?= ./engine/cql

fuzz:
	$(GO) test -run '^$$' -fuzz $(FUZZ) -fuzztime 60s $(FUZZPKG)

DEMO_PORT ?= 9042

demo: build
	examples/demo.sh $(BIN) $(DEMO_PORT)
