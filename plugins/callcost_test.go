package plugins

import (
	"context"
	"testing"

	"github.com/cqltrack/cqltrack/plugins/abi"
)

// BenchmarkBareCall is the cost of crossing into the guest and back: the
// version export (no work) and an alloc/free pair.
func BenchmarkBareCall(b *testing.B) {
	for _, m := range modes {
		b.Run(m.name, func(b *testing.B) {
			spec := testSpec("rules")
			spec.Trusted = m.trusted
			p := loadBenchSpec(b, spec)
			ctx := context.Background()
			inst, err := p.acquire(ctx)
			if err != nil {
				b.Fatal(err)
			}
			defer p.release(inst)
			version := inst.mod.ExportedFunction(abi.ExportVersion)
			b.Run("version", func(b *testing.B) {
				for b.Loop() {
					if _, err := version.Call(ctx); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("alloc-free", func(b *testing.B) {
				for b.Loop() {
					r, err := inst.alloc.Call(ctx, 64)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := inst.free.Call(ctx, r[0]); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
