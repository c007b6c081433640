// Command noexport declares itself a rule plugin but lacks cqltrack_lint:
// the host must refuse it at load.
package main

import "github.com/cqltrack/cqltrack/plugins/abi"

func init() {
	abi.SetManifest(&abi.Manifest{
		Name: "noexport", Version: "0.0.1", Kind: abi.KindRule, ABIVersion: abi.Version,
		Rules: []abi.RuleInfo{{ID: "x", Severity: abi.SeverityError, Summary: "never runs"}},
	})
}

func main() {}
