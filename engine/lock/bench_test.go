package lock_test

import (
	"context"
	"testing"

	"github.com/cqltrack/cqltrack/engine/cluster/clustertest"
	"github.com/cqltrack/cqltrack/engine/cqltest"
	"github.com/cqltrack/cqltrack/engine/lock"
)

func requests(c *cqltest.Cluster) int {
	st := c.Stats()
	return st.Requests["QUERY"] + st.Requests["PREPARE"] + st.Requests["EXECUTE"]
}

// BenchmarkAcquireRelease takes and releases a free lock: two lightweight
// transactions.
func BenchmarkAcquireRelease(b *testing.B) {
	tg := clustertest.NewStandIn(b, "request counters")
	s := tg.Connect(b, nil)
	ks := clustertest.Keyspace(b, s)
	ctx := context.Background()
	if err := lock.EnsureSchema(ctx, s, ks); err != nil {
		b.Fatal(err)
	}
	l := lock.New(s, ks)
	tg.Cluster.ResetStats()
	b.ResetTimer()
	for range b.N {
		le, err := l.Acquire(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if err := le.Release(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(requests(tg.Cluster))/float64(b.N), "requests/op")
}

// BenchmarkFence is the check the engine makes before every statement:
// without WithSerialFence it costs no round trip; with it, one serial read.
func BenchmarkFence(b *testing.B) {
	for _, serial := range []bool{false, true} {
		name := "renewals-only"
		if serial {
			name = "serial-read"
		}
		b.Run(name, func(b *testing.B) {
			tg := clustertest.NewStandIn(b, "request counters")
			s := tg.Connect(b, nil)
			ks := clustertest.Keyspace(b, s)
			ctx := context.Background()
			if err := lock.EnsureSchema(ctx, s, ks); err != nil {
				b.Fatal(err)
			}
			le, err := lock.New(s, ks, lock.WithSerialFence(serial)).Acquire(ctx)
			if err != nil {
				b.Fatal(err)
			}
			defer le.Release(ctx)
			tg.Cluster.ResetStats()
			b.ResetTimer()
			for range b.N {
				if err := le.Fence(ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(requests(tg.Cluster))/float64(b.N), "requests/op")
		})
	}
}
