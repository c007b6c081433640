package lint

import (
	"context"
	"testing"

	"github.com/cqltrack/cqltrack/lint/builtin"
	"github.com/cqltrack/cqltrack/lint/sdk"
)

// BenchmarkLint lints 500 generated files of 10 statements, every built-in
// rule on, the way `cqltrack lint` does in one process: native is the Go
// rules in-process (the lower bound), wasm the embedded module through the
// plugin host with a warm compilation cache, wasm-result-cache a second
// run over unchanged files (answered from the result cache).
//
//	go test ./lint -run '^$' -bench Lint -benchtime 5x
func BenchmarkLint(b *testing.B) {
	cfg, _ := project(b, corpusFiles(500))
	for _, mode := range []struct {
		name   string
		native bool
		cached bool
	}{{"native", true, false}, {"wasm", false, false}, {"wasm-result-cache", false, true}} {
		b.Run(mode.name, func(b *testing.B) {
			opts := options(cfg)
			opts.NativeBuiltins = mode.native
			if mode.cached {
				opts.NoResultCache = false
				opts.CacheDir = b.TempDir()
			}
			if _, err := Lint(context.Background(), opts); err != nil { // warm the cache
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				rep, err := Lint(context.Background(), opts)
				if err != nil || rep.Files != 500 || len(rep.PluginErrors) > 0 {
					b.Fatalf("lint: %v, %d files, %v", err, rep.Files, rep.PluginErrors)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/5000, "µs/stmt")
		})
	}
}

// BenchmarkRequests is the part shared by both modes: reading, parsing,
// replaying and encoding the ASTs of the 500 files.
func BenchmarkRequests(b *testing.B) {
	cfg, _ := project(b, corpusFiles(500))
	for b.Loop() {
		files, err := collect(cfg, options(cfg))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := buildRequests(cfg, files, builtinProjection()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGuestWork is the built-in module's share of BenchmarkLint/wasm
// run natively: decoding each file's request as the guest receives it,
// running the rules and encoding the response. Inside the module the same
// code costs about ten times as much; profile it here.
func BenchmarkGuestWork(b *testing.B) {
	cfg, _ := project(b, corpusFiles(500))
	files, err := collect(cfg, options(cfg))
	if err != nil {
		b.Fatal(err)
	}
	frs, err := buildRequests(cfg, files, builtinProjection())
	if err != nil {
		b.Fatal(err)
	}
	var reqs [][]byte
	size := 0
	for _, fr := range frs {
		fr.encode()
		req := sdk.AppendLintRequest(nil, fr.req)
		size += len(req)
		reqs = append(reqs, req)
	}
	rules := builtin.Rules()
	b.SetBytes(int64(size))
	for b.Loop() {
		for _, data := range reqs {
			req, err := sdk.DecodeLintRequest(data)
			if err != nil {
				b.Fatal(err)
			}
			sdk.AppendLintResponse(nil, sdk.RunNative(rules, req))
		}
	}
}
