// Command wasm is the built-in formatters as a WebAssembly formatter
// plugin: built by ../build.sh into ../builtin.wasm, which package
// builtin embeds.
package main

import (
	"github.com/cqltrack/cqltrack/format/builtin"
	"github.com/cqltrack/cqltrack/format/sdk"
)

func init() { sdk.Register(builtin.Name, builtin.Version, builtin.Formats()...) }

func main() {}
