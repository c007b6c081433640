package plugins

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/experimental"

	"github.com/cqltrack/cqltrack/lint/builtin"
	"github.com/cqltrack/cqltrack/lint/sdk"
	"github.com/cqltrack/cqltrack/plugins/testdata/rules/acme"
)

// benchRequest is a file of n statements of the kinds a migration has,
// with ASTs and before-images of a realistic size.
func benchRequest(n int) *sdk.LintRequest {
	req := &sdk.LintRequest{File: sdk.File{Path: "V042__bench.cql", Version: "042", DownSection: true, UpStatements: n}}
	table := &sdk.Table{
		Keyspace: "shop", Name: "orders", PartitionKey: []string{"customer_id"},
		Clustering: []sdk.ClusteringColumn{{Name: "placed_at", Order: "desc"}},
		Columns: []sdk.Column{
			{Name: "customer_id", Type: "uuid", Kind: sdk.PartitionKey},
			{Name: "placed_at", Type: "timestamp", Kind: sdk.Clustering},
			{Name: "total", Type: "decimal", Kind: sdk.Regular},
			{Name: "items", Type: "frozen<list<text>>", Kind: sdk.Regular},
			{Name: "note", Type: "text", Kind: sdk.Regular},
		},
		Options: map[string]sdk.Value{"gc_grace_seconds": mustValue(`864000`), "compaction": mustValue(`{"class":"SizeTieredCompactionStrategy"}`)},
	}
	for i := range n {
		s := &sdk.Statement{Section: sdk.Up, Index: i + 1, Pos: sdk.Pos{Offset: i * 80, Line: i + 1, Column: 1}}
		switch i % 3 {
		case 0:
			s.Kind = "CREATE TABLE"
			s.Text = fmt.Sprintf("CREATE TABLE shop.t%d (id uuid PRIMARY KEY, v text) WITH comment = 'x'", i)
			s.ASTJSON = []byte(fmt.Sprintf(`{"kind":"CREATE TABLE","name":{"keyspace":{"name":"shop","pos":{"offset":13,"line":1,"column":14}},"name":{"name":"t%d","pos":{"offset":18,"line":1,"column":19}}},"columns":[{"name":{"name":"id","pos":{"offset":22,"line":1,"column":23}},"type":{"name":"uuid"},"primary_key":true},{"name":{"name":"v","pos":{"offset":43,"line":1,"column":44}},"type":{"name":"text"}}],"partition_key":[{"name":"id","pos":{"offset":22,"line":1,"column":23}}],"options":[{"name":"comment","value":{"node":"literal","type":"string","text":"x","pos":{"offset":68,"line":1,"column":69}},"pos":{"offset":58,"line":1,"column":59}}],"pos":{"offset":0,"line":1,"column":1}}`, i))
		case 1:
			s.Kind = "ALTER TABLE"
			s.Text = "ALTER TABLE shop.orders DROP note"
			s.ASTJSON = []byte(`{"kind":"ALTER TABLE","name":{"keyspace":{"name":"shop","pos":{"offset":12,"line":1,"column":13}},"name":{"name":"orders","pos":{"offset":17,"line":1,"column":18}}},"action":"DROP","drop":[{"name":"note","pos":{"offset":29,"line":1,"column":30}}],"pos":{"offset":0,"line":1,"column":1}}`)
			s.Before = &sdk.Object{Table: table}
		case 2:
			s.Kind = "INSERT"
			s.Text = "INSERT INTO shop.orders (customer_id, placed_at) VALUES (uuid(), toTimestamp(now()))"
			s.ASTJSON = []byte(`{"kind":"INSERT","table":{"keyspace":{"name":"shop"},"name":{"name":"orders"}},"columns":[{"name":"customer_id"},{"name":"placed_at"}],"values":[{"node":"function","name":"uuid"},{"node":"function","name":"totimestamp"}],"pos":{"offset":0,"line":1,"column":1}}`)
		}
		req.Statements = append(req.Statements, s)
	}
	return req
}

func loadBenchSpec(b *testing.B, spec Spec) *Plugin {
	ctx := context.Background()
	p, err := Load(ctx, spec, testHost())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { p.Close(ctx) })
	return p
}

// modes are the two ways a module runs: with the termination checks that
// let a deadline stop it (every user plugin), and trusted without them
// (modules built into cqltrack).
var modes = []struct {
	name    string
	trusted bool
}{{"checked", false}, {"trusted", true}}

// BenchmarkLintCall is the fixed cost of one call through the ABI: a file
// with a single statement.
func BenchmarkLintCall(b *testing.B) {
	for _, m := range modes {
		b.Run(m.name, func(b *testing.B) {
			spec := testSpec("rules")
			spec.Trusted = m.trusted
			p := loadBenchSpec(b, spec)
			req := benchRequest(1)
			ctx := context.Background()
			for b.Loop() {
				if _, err := p.Lint(ctx, "", req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLintPerStatement is the cost per statement through the ABI:
// host encoding, guest decoding, the rules (which parse every AST),
// guest encoding, host decoding.
func BenchmarkLintPerStatement(b *testing.B) {
	for _, m := range modes {
		b.Run(m.name, func(b *testing.B) {
			spec := testSpec("rules")
			spec.Trusted = m.trusted
			p := loadBenchSpec(b, spec)
			const n = 300
			req := benchRequest(n)
			ctx := context.Background()
			for b.Loop() {
				if _, err := p.Lint(ctx, "", req); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/stmt")
		})
	}
}

// BenchmarkNativePerStatement is the lower bound: the same rules over the
// same request natively, codec included (encode and decode the request
// and the response as the ABI does).
func BenchmarkNativePerStatement(b *testing.B) {
	const n = 300
	req := benchRequest(n)
	rules := acme.Rules()
	for b.Loop() {
		in, err := sdk.DecodeLintRequest(sdk.AppendLintRequest(nil, req))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := sdk.DecodeLintResponse(sdk.AppendLintResponse(nil, sdk.RunNative(rules, in))); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/stmt")
}

// BenchmarkLoadCold compiles the module with an empty cache, as the first
// run on a CI machine does.
func BenchmarkLoadCold(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		host := Host{CacheDir: b.TempDir(), Logger: testHost().Logger}
		p, err := Load(ctx, testSpec("rules"), host)
		if err != nil {
			b.Fatal(err)
		}
		p.Close(ctx)
		Shutdown(ctx)
	}
}

// BenchmarkLoadWarmCache loads from a warm disk cache in a fresh runtime,
// as a second process does.
func BenchmarkLoadWarmCache(b *testing.B) {
	ctx := context.Background()
	host := Host{CacheDir: b.TempDir(), Logger: testHost().Logger}
	if err := Warm(ctx, testSpec("rules"), host); err != nil {
		b.Fatal(err)
	}
	Shutdown(ctx)
	for b.Loop() {
		p, err := Load(ctx, testSpec("rules"), host)
		if err != nil {
			b.Fatal(err)
		}
		p.Close(ctx)
		Shutdown(ctx)
	}
}

// BenchmarkCompile compiles modules as a first run does (no cache, every
// core): the smallest Go reactor, which is the Go runtime alone, against
// the built-in rules. The first is the floor of any Go plugin's cold start.
func BenchmarkCompile(b *testing.B) {
	for _, m := range []struct {
		name string
		wasm []byte
	}{{"minimal-go-reactor", testWasm["minimal"]}, {"builtin-rules", builtin.Wasm}} {
		b.Run(m.name, func(b *testing.B) {
			ctx := experimental.WithCompilationWorkers(context.Background(), runtime.GOMAXPROCS(0))
			b.SetBytes(int64(len(m.wasm)))
			for b.Loop() {
				rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigCompiler())
				if _, err := rt.CompileModule(ctx, m.wasm); err != nil {
					b.Fatal(err)
				}
				rt.Close(ctx)
			}
		})
	}
}
