//go:build wasip1

package sdk

import "github.com/cqltrack/cqltrack/plugins/abi"

var registered []Rule

// Register makes rules the rules of this plugin, named name at version. A
// plugin's main package calls it from init; invalid rules panic, which the
// host reports when it loads the plugin.
func Register(name, version string, rules ...Rule) {
	m, err := Manifest(name, version, rules)
	if err != nil {
		panic(err.Error())
	}
	registered = rules
	abi.SetManifest(m)
}

// Log sends a message to the host's log (level abi.LogDebug to
// abi.LogError), attributed to this plugin.
func Log(level int32, msg string) { abi.Log(level, msg) }

//go:wasmexport cqltrack_lint
func exportLint(ptr, size uint32) uint64 {
	return abi.Serve(ptr, size, func(data []byte) []byte {
		req, err := DecodeLintRequest(data)
		if err != nil {
			return abi.AppendError(nil, err.Error())
		}
		return AppendLintResponse(nil, RunNative(registered, req))
	})
}

// Registered returns the rules passed to Register.
func Registered() []Rule { return registered }
