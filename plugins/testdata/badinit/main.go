// Command badinit registers an invalid rule, so its initialisation panics:
// the host must refuse it at load with the panic message.
package main

import "github.com/cqltrack/cqltrack/lint/sdk"

func init() {
	sdk.Register("badinit", "0.0.1", sdk.Rule{ID: "Not Valid", Severity: sdk.Error, Summary: "x", Check: func(*sdk.Pass) {}})
}

func main() {}
