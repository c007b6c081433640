package cql

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// benchCorpus builds about 1 MB of typical migration files: tables with
// options, ALTERs, indexes, types, views and seed INSERTs, with comments.
func benchCorpus() []byte {
	var b strings.Builder
	for i := 0; b.Len() < 1<<20; i++ {
		fmt.Fprintf(&b, "-- V%d__orders.cql: order tables for tenant %d\n", i, i)
		fmt.Fprintf(&b, "CREATE TYPE IF NOT EXISTS shop.address_%d (street text, city text, zip int, tags frozen<set<text>>);\n", i)
		fmt.Fprintf(&b, `CREATE TABLE IF NOT EXISTS shop.orders_%d (
    tenant_id uuid,
    order_day date,
    order_id timeuuid,
    customer text,
    total decimal,
    items list<frozen<tuple<text, int, decimal>>>,
    attributes map<text, text>,
    shipping frozen<address_%d>,
    status text static,
    PRIMARY KEY ((tenant_id, order_day), order_id)
) WITH CLUSTERING ORDER BY (order_id DESC)
    AND comment = 'orders by day'
    AND compaction = {'class': 'TimeWindowCompactionStrategy', 'compaction_window_unit': 'DAYS', 'compaction_window_size': '1'}
    AND compression = {'chunk_length_in_kb': '16', 'class': 'org.apache.cassandra.io.compress.LZ4Compressor'}
    AND caching = {'keys': 'ALL', 'rows_per_partition': 'NONE'}
    AND default_time_to_live = 7776000
    AND gc_grace_seconds = 86400
    AND bloom_filter_fp_chance = 0.01;
`, i, i)
		fmt.Fprintf(&b, "ALTER TABLE shop.orders_%d ADD (coupon text, discount decimal);\n", i)
		fmt.Fprintf(&b, "ALTER TABLE shop.orders_%d WITH gc_grace_seconds = 3600 AND speculative_retry = '99p';\n", i)
		fmt.Fprintf(&b, "CREATE INDEX IF NOT EXISTS orders_%d_customer ON shop.orders_%d (customer) USING 'sai';\n", i, i)
		fmt.Fprintf(&b, "CREATE CUSTOM INDEX IF NOT EXISTS orders_%d_attrs ON shop.orders_%d (entries(attributes)) USING 'StorageAttachedIndex' WITH OPTIONS = {'case_sensitive': 'false'};\n", i, i)
		fmt.Fprintf(&b, "CREATE MATERIALIZED VIEW IF NOT EXISTS shop.orders_%d_by_customer AS SELECT customer, tenant_id, order_day, order_id FROM shop.orders_%d WHERE customer IS NOT NULL AND tenant_id IS NOT NULL AND order_day IS NOT NULL AND order_id IS NOT NULL PRIMARY KEY (customer, tenant_id, order_day, order_id);\n", i, i)
		for j := 0; j < 3; j++ {
			fmt.Fprintf(&b, "INSERT INTO shop.orders_%d (tenant_id, order_day, order_id, customer, total, items, attributes) VALUES (123e4567-e89b-12d3-a456-42661417400%d, '2024-01-0%d', now(), 'customer %d', 12.50, [('widget', 2, 6.25)], {'channel': 'web', 'promo': 'none'}) USING TTL 86400;\n", i, j, j+1, j)
		}
		fmt.Fprintf(&b, "UPDATE shop.orders_%d SET status = 'shipped', attributes['carrier'] = 'ups' WHERE tenant_id = 123e4567-e89b-12d3-a456-426614174000 AND order_day = '2024-01-01' IF EXISTS;\n\n", i)
	}
	return []byte(b.String())
}

func BenchmarkParse(b *testing.B) {
	benchCorpusCPU(b, func(src []byte) error {
		_, err := ParseScript(src)
		return err
	})
}

func BenchmarkSplit(b *testing.B) {
	benchCorpusCPU(b, func(src []byte) error {
		_, err := Split(src)
		return err
	})
}

// benchCorpusCPU runs read over the bench corpus, reporting MB/cpu-s beside
// the wall-clock MB/s.
func benchCorpusCPU(b *testing.B, read func(src []byte) error) {
	src := benchCorpus()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	start, _ := cpuTime()
	n := 0
	for b.Loop() {
		if err := read(src); err != nil {
			b.Fatal(err)
		}
		n++
	}
	reportCPU(b, start, n*len(src))
}

func BenchmarkLex(b *testing.B) {
	src := benchCorpus()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		l := NewLexer(src)
		for {
			t, err := l.Next()
			if err != nil {
				b.Fatal(err)
			}
			if t.Kind == TokEOF {
				break
			}
		}
	}
}

// TestBenchCorpusParses keeps the benchmark input honest: it must be valid.
func TestBenchCorpusParses(t *testing.T) {
	src := benchCorpus()
	stmts, err := ParseScript(src)
	if err != nil {
		t.Fatal(err)
	}
	if len(src) < 1<<20 || len(stmts) < 1000 {
		t.Errorf("corpus is %d bytes, %d statements", len(src), len(stmts))
	}
}

// reportCPU adds an "MB/cpu-s" metric: bytes processed per second of CPU
// time used by the process since start.
func reportCPU(b *testing.B, start time.Duration, bytes int) {
	end, ok := cpuTime()
	if !ok || end <= start {
		return
	}
	b.ReportMetric(float64(bytes)/(end-start).Seconds()/1e6, "MB/cpu-s")
}

// BenchmarkParseOne is the test server's case: one short statement at a time.
func BenchmarkParseOne(b *testing.B) {
	const q = "SELECT id, name, tags FROM shop.users WHERE tenant = ? AND id IN (?, ?, ?) LIMIT 10"
	b.SetBytes(int64(len(q)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(q); err != nil {
			b.Fatal(err)
		}
	}
}
