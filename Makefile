# cqltrack: every target is a line or two; see README.md.
GO      ?= go
BIN     := bin/cqltrack

.PHONY: build test bench demo fuzz vet

build:
	$(GO) build -o $(BIN) ./cmd/cqltrack

vet:
	test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...

test: vet
	$(GO) test -count=1 ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./engine/...

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzSplit -fuzztime 30s ./engine/cql

DEMO_PORT ?= 9042

demo: build
	examples/demo.sh $(BIN) $(DEMO_PORT)
