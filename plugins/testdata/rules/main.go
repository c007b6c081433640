// Command rules is a small rule plugin written with lint/sdk, the kind an
// organisation writes for its own policies. The host tests build it for
// wasip1 and drive it end to end; its rules (package acme) also run
// natively.
package main

import (
	"github.com/cqltrack/cqltrack/lint/sdk"
	"github.com/cqltrack/cqltrack/plugins/testdata/rules/acme"
)

func init() { sdk.Register("acme", "1.2.0", acme.Rules()...) }

func main() {}
