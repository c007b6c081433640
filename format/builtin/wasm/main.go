// Command wasm is the built-in formatters as a WebAssembly formatter
// plugin: built by ../build.sh into ../builtin.wasm, which package
// builtin embeds.
package main

import (
	"runtime/debug"

	"github.com/cqltrack/cqltrack/format/builtin"
	"github.com/cqltrack/cqltrack/format/sdk"
)

func init() {
	// A formatter builds its whole output at once from a report that can
	// be megabytes: collecting less often halves the time of a 20000-
	// finding SARIF inside the guest (6.4 s to 3.0 s), and the host caps
	// the module's memory at 1 GiB, which a 50000-finding report still
	// fits in.
	debug.SetGCPercent(800)
	sdk.Register(builtin.Name, builtin.Version, builtin.Formats()...)
}

func main() {}
