// Package sdk is what a cqltrack output formatter author imports: the
// request a formatter receives (a report and the metadata around it), the
// JSON shapes of every report type, and the glue that turns a Go main
// package into a formatter plugin under ABI v1 (docs/plugin-abi.md,
// docs/formatters.md).
//
// A formatter plugin declares one or more Formats. Each has a name (what
// --format selects), the report types it accepts, and a Render function
// from the request to the bytes written to the output. The same Formats
// run natively through Handle, which is what the wasm glue calls for every
// cqltrack_format call and what tests call; cqltrack's built-in formatters
// (sarif, junit, github, markdown, checkstyle) are written this way.
//
// Reports reach a formatter as the JSON `cqltrack <command> --json` prints,
// so Request.Report is raw JSON: decode it into the shape of its type
// (LintReport, MigrateReport, ...) with Request.Decode. The request and
// lint reports, which can hold thousands of findings, are decoded without
// reflection (reflection is slow inside a wasm guest); the other reports,
// small, go through encoding/json.
//
//	package main
//
//	import (
//		"fmt"
//		"strings"
//
//		"github.com/cqltrack/cqltrack/format/sdk"
//	)
//
//	func init() {
//		sdk.Register("acme-formats", "1.0.0", sdk.Format{
//			Name: "tsv", Description: "one finding per line, tab-separated", Reports: []string{sdk.TypeLint},
//			Render: func(r *sdk.Request) ([]byte, error) {
//				var rep sdk.LintReport
//				if err := r.Decode(&rep); err != nil {
//					return nil, err
//				}
//				var b strings.Builder
//				for _, f := range rep.Findings {
//					fmt.Fprintf(&b, "%s\t%d\t%s\t%s\n", f.File, f.Line, f.Rule, f.Message)
//				}
//				return []byte(b.String()), nil
//			},
//		})
//	}
//
//	func main() {}
package sdk
