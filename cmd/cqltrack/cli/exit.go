package cli

import (
	"errors"

	"github.com/cqltrack/cqltrack/engine"
)

// Exit codes are part of cqltrack's contract with scripts and CI jobs; they
// are documented in docs/cli.md and must not change meaning.
const (
	// ExitOK: the command did what was asked and found nothing to report.
	ExitOK = 0
	// ExitFound: a check found something: pending migrations, modified
	// files, lint errors, a schema difference or drift.
	ExitFound = 1
	// ExitInput: bad usage, a bad configuration or a bad migration file.
	ExitInput = 2
	// ExitConnect: the cluster could not be reached or refused the credentials.
	ExitConnect = 3
	// ExitLock: the migration lock was not acquired within lock.wait.
	ExitLock = 4
	// ExitMigration: a migration failed while it was being applied.
	ExitMigration = 5
	// ExitPlugin: a plugin failed (trapped, timed out, answered garbage), so
	// the command could not complete.
	ExitPlugin = 6
	// ExitInternal: an error cqltrack has no better category for.
	ExitInternal = 70
	// ExitInterrupted: Ctrl-C or SIGTERM stopped the command (128 + SIGINT,
	// as a shell reports a process the signal killed). What was done is
	// recorded; the message says what is left.
	ExitInterrupted = 130
)

// exitCode maps an error returned by the engine onto the documented codes.
func exitCode(err error) int {
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, engine.ErrDenied):
		// A pre-migrate hook said no: a gate, like pending or validate.
		return ExitFound
	case errors.Is(err, engine.ErrInvalidInput):
		return ExitInput
	case errors.Is(err, engine.ErrConnect):
		return ExitConnect
	case errors.Is(err, engine.ErrLockNotAcquired):
		return ExitLock
	case errors.Is(err, engine.ErrMigrationFailed):
		return ExitMigration
	case errors.Is(err, engine.ErrPlugin):
		return ExitPlugin
	}
	return ExitInternal
}
