// Command panicky is a rule plugin written with lint/sdk whose rule flags
// every TRUNCATE and panics on one whose text says "panicme" (a table name
// will do): the SDK then
// reports the rule in the response's errors and drops its findings for the
// file, while the call itself succeeds.
package main

import (
	"strings"

	"github.com/cqltrack/cqltrack/lint/sdk"
)

var panicky = sdk.Rule{
	ID: "panicky", Severity: sdk.Warning, Summary: "flags TRUNCATE, panics on panicme",
	Kinds: []string{"TRUNCATE"},
	Check: func(p *sdk.Pass) {
		if strings.Contains(p.Statement.Text, "panicme") {
			panic("panicky was asked to")
		}
		p.Reportf(p.Statement.Pos, "TRUNCATE found")
	},
}

func init() { sdk.Register("panicky", "0.0.1", panicky) }

func main() {}
