package format_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/cqltrack/cqltrack/format"
	"github.com/cqltrack/cqltrack/format/builtin"
	"github.com/cqltrack/cqltrack/format/sdk"
)

// bigLint is a lint report of n findings over n/10 files.
func bigLint(b *testing.B, n int) []byte {
	b.Helper()
	rep := sdk.LintReport{Files: n / 10}
	for i := range n {
		rep.Findings = append(rep.Findings, sdk.Finding{File: fmt.Sprintf("migrations/V%03d__m.cql", i/10), Line: i%10 + 1, Column: 1,
			Rule: "drop-table", Severity: "error", Message: "DROP TABLE ks.t deletes the table and every row in it", Plugin: "builtin"})
	}
	rep.Errors = n
	data, err := json.Marshal(rep)
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkRender is what a command pays for --format: load the built-in
// module (compiled once per process), one call, for a 1000-finding report.
func BenchmarkRender(b *testing.B) {
	report := bigLint(b, 1000)
	ctx := context.Background()
	for _, name := range []string{"sarif", "junit", "github", "markdown", "checkstyle"} {
		b.Run(name, func(b *testing.B) {
			warm(b)
			for b.Loop() {
				if _, err := format.Render(ctx, format.Request{Format: name, Type: format.TypeLint, Report: report, Host: testHost}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRenderNative is the same formats as Go code in the process:
// the difference to BenchmarkRender is what the module costs.
func BenchmarkRenderNative(b *testing.B) {
	report := bigLint(b, 1000)
	for _, name := range []string{"sarif", "junit", "github", "markdown", "checkstyle"} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := sdk.Render(builtin.Formats(), &sdk.Request{Format: name, Type: sdk.TypeLint, Report: report}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRenderSmall is --format on a report with one finding: the
// fixed cost of the module (load from the in-process compilation, an
// instance, one call).
func BenchmarkRenderSmall(b *testing.B) {
	report := bigLint(b, 1)
	ctx := context.Background()
	warm(b)
	for b.Loop() {
		if _, err := format.Render(ctx, format.Request{Format: "sarif", Type: format.TypeLint, Report: report, Host: testHost}); err != nil {
			b.Fatal(err)
		}
	}
}

// warm compiles the built-in module before the timer starts: a process
// compiles it once (about 1 s), which is not what a render costs.
func warm(b *testing.B) {
	b.Helper()
	if _, err := format.Render(context.Background(), format.Request{Format: "github", Type: format.TypeLint, Report: []byte(`{"findings": []}`), Host: testHost}); err != nil {
		b.Fatal(err)
	}
}
