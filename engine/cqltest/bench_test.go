package cqltest

import (
	"testing"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
)

func benchSession(b *testing.B, opts ...Option) (*Cluster, *gocql.Session) {
	b.Helper()
	c := NewCluster(b, opts...)
	cfg := gocql.NewCluster(c.Hosts()...)
	cfg.Port = c.Port()
	// gocql's write coalescing waits up to 200µs per write for company,
	// which on a loaded machine costs ~1ms a round trip; it measures the
	// driver's timer, not the server.
	cfg.WriteCoalesceWaitTime = 0
	s, err := cfg.CreateSession()
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(s.Close)
	for _, q := range []string{
		"CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
		"CREATE TABLE ks.kv (k int PRIMARY KEY, v text)",
		"INSERT INTO ks.kv (k, v) VALUES (1, 'one')",
	} {
		if err := s.Query(q).Exec(); err != nil {
			b.Fatal(err)
		}
	}
	return c, s
}

// BenchmarkPreparedSelect is one gocql round trip: EXECUTE of a prepared
// point read.
func BenchmarkPreparedSelect(b *testing.B) {
	_, s := benchSession(b)
	var v string
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Query("SELECT v FROM ks.kv WHERE k = ?", 1).Scan(&v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLWTInsert is a conditional insert that never applies after the
// first: the path of a migration lock held by someone else.
func BenchmarkLWTInsert(b *testing.B) {
	_, s := benchSession(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Query("INSERT INTO ks.kv (k, v) VALUES (?, ?) IF NOT EXISTS", 1, "x").MapScanCAS(map[string]any{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCreateTable is one DDL statement with a schema agreement wait
// on a 3-node cluster.
func BenchmarkCreateTable(b *testing.B) {
	_, s := benchSession(b, WithNodes(3))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if err := s.Query("CREATE TABLE ks.t" + itoa(i) + " (k int PRIMARY KEY, v text)").Exec(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkConnect starts a gocql session on a 3-node cluster: protocol
// negotiation, discovery and pools.
func BenchmarkConnect(b *testing.B) {
	c := NewCluster(b, WithNodes(3))
	b.ReportAllocs()
	for b.Loop() {
		cfg := gocql.NewCluster(c.Hosts()...)
		cfg.Port = c.Port()
		s, err := cfg.CreateSession()
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

func itoa(i int) string {
	var buf [20]byte
	n := len(buf)
	for {
		n--
		buf[n] = byte('0' + i%10)
		i /= 10
		if i == 0 {
			return string(buf[n:])
		}
	}
}
