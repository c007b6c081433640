package cli

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/cqltrack/cqltrack/engine"
)

// TestExitCodes: each error category maps to its documented code, and an
// interrupted run is 130 even when the engine also called it a failed
// migration (Ctrl-C during a statement).
func TestExitCodes(t *testing.T) {
	interrupted := fmt.Errorf("apply V002 statement 1 of 1: interrupted before the cluster answered: %w", context.Canceled)
	cases := []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, ExitOK},
		{"input", engine.InputError(errors.New("bad file")), ExitInput},
		{"plugin", engine.PluginError(errors.New("trap")), ExitPlugin},
		{"interrupted statement", fmt.Errorf("%w: %w", engine.ErrMigrationFailed, interrupted), ExitInterrupted},
		{"interrupted lock wait", fmt.Errorf("acquire lock: %w", context.Canceled), ExitInterrupted},
		{"failed statement", fmt.Errorf("%w: syntax", engine.ErrMigrationFailed), ExitMigration},
		{"deadline is not an interrupt", fmt.Errorf("lint: %w", context.DeadlineExceeded), ExitInternal},
		{"uncategorized", errors.New("boom"), ExitInternal},
	}
	for _, c := range cases {
		if got := exitCode(c.err); got != c.want {
			t.Errorf("%s: exit %d, want %d", c.name, got, c.want)
		}
	}
}
