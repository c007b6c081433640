//go:build !(linux || darwin)

package plugins

import "context"

// withGuestMemory leaves linear memories to wazero's default (a Go slice)
// where anonymous mappings with MAP_NORESERVE are not available.
func withGuestMemory(ctx context.Context) context.Context { return ctx }
