// Command wasm is the built-in rules as a WebAssembly rule plugin: built by
// ../build.sh into ../builtin.wasm, which package builtin embeds.
package main

import (
	"github.com/cqltrack/cqltrack/lint/builtin"
	"github.com/cqltrack/cqltrack/lint/sdk"
)

func init() { sdk.Register(builtin.Name, builtin.Version, builtin.Rules()...) }

func main() {}
