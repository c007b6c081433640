// Command tablepolicy is an example of an organisation's own lint rules as
// a cqltrack rule plugin: every new table states what it is for and how
// long its data lives.
//
// Build it as a WASI reactor, then pin its sha256 in cqltrack.yml:
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o tablepolicy.wasm .
//	sha256sum tablepolicy.wasm
//
//	lint:
//	  plugins:
//	    - path: tablepolicy.wasm
//	      sha256: <the sum>
//	      config: {max_ttl: 7776000}
//
// The rules live in package policy, so they run natively in unit tests too.
package main

import (
	"github.com/cqltrack/cqltrack/examples/plugins/tablepolicy/policy"
	"github.com/cqltrack/cqltrack/lint/sdk"
)

func init() { sdk.Register("acme-table-policy", "1.0.0", policy.Rules()...) }

// main is never called: the host runs _initialize (a reactor module), which
// runs init above.
func main() {}
