package engine

import "errors"

// Error categories. Every error the engine returns that a caller may want to
// tell apart wraps one of these, so errors.Is(err, engine.ErrInvalidInput)
// works through any number of fmt.Errorf("...: %w") layers. The text of the
// category never shows up in messages: the wrapped error speaks for itself.
var (
	// ErrInvalidInput marks bad input: configuration, migration files, CQL.
	ErrInvalidInput = errors.New("invalid input")
	// ErrConnect marks a cluster that cannot be reached or authenticated to.
	ErrConnect = errors.New("cannot connect")
	// ErrLockNotAcquired marks a migration lock held by someone else past
	// the configured wait.
	ErrLockNotAcquired = errors.New("lock not acquired")
	// ErrMigrationFailed marks a migration statement the cluster rejected
	// or that could not be confirmed.
	ErrMigrationFailed = errors.New("migration failed")
	// ErrPlugin marks a plugin that failed to load or to answer.
	ErrPlugin = errors.New("plugin failed")
)

// categorized attaches a category to an error without changing its text.
type categorized struct {
	category error
	err      error
}

func (c *categorized) Error() string        { return c.err.Error() }
func (c *categorized) Unwrap() error        { return c.err }
func (c *categorized) Is(target error) bool { return target == c.category }

// withCategory returns err marked with category, or nil for a nil err.
func withCategory(category, err error) error {
	if err == nil {
		return nil
	}
	return &categorized{category: category, err: err}
}

// InputError marks err as bad input (exit code 2 in the command-line tool).
func InputError(err error) error { return withCategory(ErrInvalidInput, err) }

// PluginError marks err as a plugin failure (exit code 6 in the
// command-line tool).
func PluginError(err error) error { return withCategory(ErrPlugin, err) }
