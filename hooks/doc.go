// Package hooks runs cqltrack's pre- and post-migrate hooks: WebAssembly
// plugins of kind hook (docs/hooks.md) that gate a migrate run and announce
// its outcome.
//
// Load builds a Runner from the hooks section of the configuration: every
// hook is loaded through package plugins (sha256 pin, memory cap, deadline
// per call, sandbox with only the allow-listed environment variables) and
// its manifest must declare the event it is configured under. The migrate
// run then calls, in this order,
//
//	PreRun                  once, before the first migration
//	PreMigration            before each migration
//	PostMigration           after each migration, applied or failed
//	PostRun                 once, at the end
//
// Pre hooks answer allow or deny; the first deny stops the calls and the
// Decision names the hook and carries its message, and the run stops before
// anything of that migration executes. Post hooks only report: every one is
// called, and their failures are returned joined, after the migration was
// recorded, never undoing it.
//
// A hook that cannot answer (a trap, the deadline, a malformed or error
// response) follows its on_error: fail makes it an error wrapping
// ErrHookFailed (the run stops, or, after a migration, the exit code is
// non-zero), warn hands it to Options.Warn and goes on as if the hook had
// allowed. A hook that cannot be loaded is an error whatever its on_error:
// a gate that silently disappears is worse than a run that does not start.
//
// Every method of a nil *Runner allows and does nothing, so a caller with
// no hooks configured needs no special case.
package hooks
