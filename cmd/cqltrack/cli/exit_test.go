package cli

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/cqltrack/cqltrack/engine"
)

// TestExitCodes: each error category maps to its documented code. A
// cancelled context alone is not an interrupt: 130 comes from the signal
// handler having fired (testscripts/migrate_interrupted.txtar).
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
		{"cancelled statement", fmt.Errorf("%w: %w", engine.ErrMigrationFailed, interrupted), ExitMigration},
		{"cancelled without a signal", fmt.Errorf("acquire lock: %w", context.Canceled), ExitInternal},
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
