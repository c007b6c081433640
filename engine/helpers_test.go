package engine_test

import (
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cqltrack/cqltrack/engine"
	"github.com/cqltrack/cqltrack/engine/cluster"
	"github.com/cqltrack/cqltrack/engine/cluster/clustertest"
	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/engine/cqltest"
	"github.com/cqltrack/cqltrack/engine/history"
)

// target is a cluster and a fresh keyspace name for one test. The keyspace
// does not exist until Init creates it; on a real cluster it is dropped
// when the test ends.
type target struct {
	*clustertest.Target
	ks   string
	sess *cluster.Session
}

// newTarget returns the real cluster (CQLTRACK_TEST_HOSTS) or a stand-in.
func newTarget(t testing.TB, opts ...cqltest.Option) *target {
	t.Helper()
	return withKeyspace(t, clustertest.New(t, opts...))
}

// newStandIn returns a stand-in, skipping the test on a real cluster.
func newStandIn(t testing.TB, why string, opts ...cqltest.Option) *target {
	t.Helper()
	return withKeyspace(t, clustertest.NewStandIn(t, why, opts...))
}

func withKeyspace(t testing.TB, tg *clustertest.Target) *target {
	t.Helper()
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	tt := &target{Target: tg, ks: "cqltrack_e_" + hex.EncodeToString(b)}
	if tg.Cluster == nil {
		t.Cleanup(func() {
			s, err := cluster.Connect(context.Background(), tg.Config(""))
			if err != nil {
				return
			}
			defer s.Close()
			_ = s.ExecDDL(context.Background(), "DROP KEYSPACE IF EXISTS "+tt.ks)
		})
	}
	return tt
}

// config is the target's configuration for the test keyspace, with waits
// short enough that a broken test fails quickly.
func (tg *target) config() *config.Config {
	cfg := tg.Config(tg.ks)
	cfg.Lock.Wait = 20 * time.Second
	return cfg
}

// engine returns an Engine for cfg (tg.config() when nil) and the
// migrations in fsys, closed when the test ends.
func (tg *target) engine(t testing.TB, cfg *config.Config, fsys fs.FS, opts ...engine.Option) *engine.Engine {
	t.Helper()
	if cfg == nil {
		cfg = tg.config()
	}
	e, err := engine.New(cfg, append([]engine.Option{engine.WithMigrations(fsys, "migrations")}, opts...)...)
	if err != nil {
		t.Fatalf("new engine: %v", err)
	}
	t.Cleanup(e.Close)
	return e
}

// initialized returns an engine for fsys on a keyspace Init has prepared.
func (tg *target) initialized(t testing.TB, fsys fs.FS, opts ...engine.Option) *engine.Engine {
	t.Helper()
	e := tg.engine(t, nil, fsys, opts...)
	if _, err := e.Init(context.Background()); err != nil {
		t.Fatalf("init: %v", err)
	}
	return e
}

// session connects to the target without a keyspace, for reading what the
// engine did behind its back.
func (tg *target) session(t testing.TB) *cluster.Session {
	t.Helper()
	if tg.sess == nil {
		tg.sess = tg.Connect(t, tg.Config(""))
	}
	return tg.sess
}

// records reads the history table directly.
func (tg *target) records(t testing.TB) map[int]history.Record {
	t.Helper()
	s := tg.session(t)
	recs, err := history.New(s, tg.ks).Applied(context.Background())
	if err != nil {
		t.Fatalf("read history: %v", err)
	}
	out := map[int]history.Record{}
	for _, r := range recs {
		out[r.Version] = r
	}
	return out
}

// events reads the whole event log, oldest first.
func (tg *target) events(t testing.TB) []history.Event {
	t.Helper()
	s := tg.session(t)
	evs, err := history.New(s, tg.ks).Events(context.Background(), 0)
	if err != nil {
		t.Fatalf("read events: %v", err)
	}
	for i, j := 0, len(evs)-1; i < j; i, j = i+1, j-1 {
		evs[i], evs[j] = evs[j], evs[i]
	}
	return evs
}

// countEvents counts the events of kind for version (0: any version).
func countEvents(evs []history.Event, kind history.EventKind, version int) int {
	n := 0
	for _, ev := range evs {
		if ev.Kind == kind && (version == 0 || ev.Version == version) {
			n++
		}
	}
	return n
}

// ddl is the number of schema changes the stand-in executed successfully.
func ddl(c *cqltest.Cluster) int {
	n := 0
	for _, d := range c.Stats().DDL {
		n += d
	}
	return n
}

// files builds a migrations directory from file name -> content.
func files(m map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, text := range m {
		fsys["migrations/"+name] = &fstest.MapFile{Data: []byte(text)}
	}
	return fsys
}

// md5hex is the checksum cql-track 1.x recorded: MD5 of the whole file.
func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// stateOf returns the state of version in a status report.
func stateOf(t testing.TB, r *engine.StatusReport, version int64) engine.MigrationStatus {
	t.Helper()
	for _, m := range r.Migrations {
		if m.Version == version {
			return m
		}
	}
	t.Fatalf("status has no V%d: %+v", version, r.Migrations)
	return engine.MigrationStatus{}
}

// states renders a status report as "V1=applied V2=pending ...".
func states(r *engine.StatusReport) string {
	var parts []string
	for _, m := range r.Migrations {
		parts = append(parts, fmt.Sprintf("V%d=%s", m.Version, m.State))
	}
	return strings.Join(parts, " ")
}

// columns lists the columns of table in the test keyspace.
func (tg *target) columns(t testing.TB, table string) map[string]bool {
	t.Helper()
	s := tg.session(t)
	iter := s.Query(context.Background(), "SELECT column_name FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?",
		tg.ks, table).Iter()
	out := map[string]bool{}
	var name string
	for iter.Scan(&name) {
		out[name] = true
	}
	if err := iter.Close(); err != nil {
		t.Fatalf("read columns of %s: %v", table, err)
	}
	return out
}

// cqlTrack1Keyspace creates the keyspace as cql-track 1.x left it: its
// history and lock tables without the columns cqltrack added, and then the
// extra statements (tables of the migrations 1.x applied, say).
func (tg *target) cqlTrack1Keyspace(t testing.TB, extra ...string) {
	t.Helper()
	s := tg.session(t)
	for _, stmt := range append([]string{
		"CREATE KEYSPACE " + tg.ks + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
		"CREATE TABLE " + tg.ks + ".cqltrack_history (version int PRIMARY KEY, description text, checksum text, status text, applied_at timestamp, applied_by text, exec_time_ms int)",
		"CREATE TABLE " + tg.ks + ".cqltrack_lock (lock_id text PRIMARY KEY, owner text, acquired_at timestamp)",
	}, extra...) {
		if err := s.ExecDDL(context.Background(), stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
}
