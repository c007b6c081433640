package hooks_test

import (
	"context"
	"testing"

	"github.com/cqltrack/cqltrack/engine/config"
)

// BenchmarkPreMigration is one pre_migrate call of one hook (a checked,
// user plugin) that allows: what each migration of a run pays per hook.
func BenchmarkPreMigration(b *testing.B) {
	r := load(b, config.Hooks{PreMigrate: []config.Hook{probe("allow", "", "fail")}}, nil)
	ctx := context.Background()
	for b.Loop() {
		if d, err := r.PreMigration(ctx, run, run.Pending[0]); err != nil || !d.Allowed {
			b.Fatal(d, err)
		}
	}
}
