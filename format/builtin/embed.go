//go:build !wasip1

package builtin

import _ "embed"

// Wasm is builtin.wasm: every built-in format compiled into one module (see
// build.sh). It is left out of the wasip1 build so that the module never
// embeds an older copy of itself.
//
//go:embed builtin.wasm
var Wasm []byte
