// Package plugins hosts cqltrack's WebAssembly plugins: lint rules, hooks
// and output formatters all speak ABI v1 (docs/plugin-abi.md) and are
// loaded and called here, on wazero.
//
// Load verifies a plugin's pinned sha256 before anything else, compiles the
// module once per process (concurrent loads of the same module share one
// compilation) through a compilation cache kept on disk under the user
// cache directory, checks the exports, imports and ABI version, reads and
// validates the manifest, and returns a Plugin that keeps a pool of
// instances. Each call runs in one instance under a deadline with
// close-on-done (except for Trusted modules, the ones built into cqltrack,
// which run without the termination checks that costs); an instance that
// traps, times out or exits is closed and replaced. Guests get real clocks (a Go guest's garbage collector stalls
// under wazero's fake clock), a random source and, for hooks, the
// environment variables a user allow-listed; no filesystem, no network, no
// other environment, and a memory cap of at least MinMemoryPages.
//
// Every failure is an error naming the plugin and the call, such as
//
//	plugin "acme": lint migrations/V003__add_index.cql: wasm trap: unreachable
//
// and wraps one of the sentinel errors below for callers that branch on it.
package plugins
