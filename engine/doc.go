// Package engine is cqltrack's programmatic API: what the command-line tool
// calls, and what a Go service calls to migrate at start-up from an embed.FS.
//
// An Engine is built from a resolved configuration (engine/config) and a
// migration source (any fs.FS). Operations that need no cluster, such as
// PlanOffline, work on a new Engine directly; the others connect on first use.
// Each operation takes a context and returns a typed report that the
// command-line tool prints as text or JSON. Errors carry a category
// (ErrInvalidInput, ErrConnect, ErrLockNotAcquired, ErrMigrationFailed,
// ErrPlugin) that survives wrapping, so callers can tell them apart with
// errors.Is.
package engine
