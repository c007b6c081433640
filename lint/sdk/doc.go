// Package sdk is what a cqltrack lint rule author imports.
//
// A rule is a value: an id, a default severity, a summary, a docs URL, the
// statement kinds it inspects, the JSON schema of its options, and a check
// function that looks at one statement at a time (or at the whole file)
// through a Pass and reports findings with positions. The same rules run
// two ways:
//
//   - compiled to a WebAssembly plugin: a `main` package calls Register from
//     init, and is built with
//     GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o rules.wasm .
//     The glue in this package exports the ABI v1 functions the cqltrack host
//     calls (docs/plugin-abi.md);
//   - natively, in unit tests, through RunNative, with no WebAssembly at all
//     (see the sdktest package for txtar cases with expected findings
//     written inline).
//
// The request and response documents are decoded and encoded by a
// hand-written codec rather than encoding/json: reflection is slow inside a
// Go wasm guest, and the codec keeps the per-statement cost of crossing the
// ABI small.
//
// A minimal plugin:
//
//	package main
//
//	import "github.com/cqltrack/cqltrack/lint/sdk"
//
//	var noTruncate = sdk.Rule{
//		ID:       "acme-no-truncate",
//		Severity: sdk.Error,
//		Summary:  "TRUNCATE is not allowed in migrations",
//		Kinds:    []string{"TRUNCATE"},
//		Check: func(p *sdk.Pass) {
//			p.Reportf(p.Statement.Pos, "TRUNCATE %s deletes every row", p.Statement.AST().Path("table", "name", "name").Str())
//		},
//	}
//
//	func init() { sdk.Register("acme", "1.0.0", noTruncate) }
//
//	func main() {}
package sdk
