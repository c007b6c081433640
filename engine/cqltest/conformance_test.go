package cqltest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cqltrack/cqltrack/engine/cqltest/store"
	"github.com/cqltrack/cqltrack/engine/cqltest/wire"
)

// target is what a conformance test talks to: a fresh stand-in, or the
// real cluster named by CQLTRACK_TEST_HOSTS (host[:port],...).
type target struct {
	c     *Cluster // nil against a real cluster
	hosts []string
	port  int
}

func realHosts() []string {
	v := os.Getenv("CQLTRACK_TEST_HOSTS")
	if v == "" {
		return nil
	}
	return strings.Split(v, ",")
}

// newTarget starts a stand-in with opts, or returns the real cluster when
// CQLTRACK_TEST_HOSTS is set and the test does not need the stand-in.
func newTarget(t *testing.T, needStandIn bool, opts ...Option) target {
	t.Helper()
	if hosts := realHosts(); hosts != nil {
		if needStandIn {
			t.Skip("needs the stand-in's controls (CQLTRACK_TEST_HOSTS is set)")
		}
		port := 9042
		var hs []string
		for _, h := range hosts {
			host, p, err := net.SplitHostPort(h)
			if err != nil {
				hs = append(hs, h)
				continue
			}
			port, _ = strconv.Atoi(p)
			hs = append(hs, host)
		}
		return target{hosts: hs, port: port}
	}
	c := NewCluster(t, opts...)
	return target{c: c, hosts: c.Hosts(), port: c.Port()}
}

func (tg target) config(mods ...func(*gocql.ClusterConfig)) *gocql.ClusterConfig {
	cfg := gocql.NewCluster(tg.hosts...)
	cfg.Port = tg.port
	for _, m := range mods {
		m(cfg)
	}
	return cfg
}

func (tg target) session(t *testing.T, mods ...func(*gocql.ClusterConfig)) *gocql.Session {
	t.Helper()
	s, err := tg.config(mods...).CreateSession()
	if err != nil {
		t.Fatalf("create session: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

func exec(t *testing.T, s *gocql.Session, stmt string, values ...any) {
	t.Helper()
	if err := s.Query(stmt, values...).Exec(); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}

// keyspace creates a keyspace named after the test and drops it at the end.
func keyspace(t *testing.T, s *gocql.Session) string {
	t.Helper()
	name := strings.ToLower(strings.NewReplacer("/", "_", "-", "_").Replace(t.Name()))
	if len(name) > 48 {
		name = name[:48]
	}
	exec(t, s, "DROP KEYSPACE IF EXISTS "+name)
	exec(t, s, "CREATE KEYSPACE "+name+" WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
	t.Cleanup(func() { _ = s.Query("DROP KEYSPACE IF EXISTS " + name).Exec() })
	return name
}

func TestGocqlDiscoversEveryNode(t *testing.T) {
	tg := newTarget(t, true, WithNodes(3), WithPlacement(3, "dc2", "r7"))
	s := tg.session(t)

	hosts := s.GetHosts()
	if len(hosts) != 3 {
		t.Fatalf("gocql sees %d hosts, want 3", len(hosts))
	}
	sort.Slice(hosts, func(i, j int) bool { return hosts[i].ConnectAddress().String() < hosts[j].ConnectAddress().String() })
	seenTokens := map[string]bool{}
	for i, h := range hosts {
		n := tg.c.Node(i + 1)
		if got := h.ConnectAddress().String(); got != n.IP().String() {
			t.Errorf("host %d address %s, want %s", i, got, n.IP())
		}
		if h.HostID() != n.HostID() {
			t.Errorf("host %d id %s, want %s", i, h.HostID(), n.HostID())
		}
		wantDC, wantRack := "datacenter1", "rack1"
		if i == 2 {
			wantDC, wantRack = "dc2", "r7"
		}
		if h.DataCenter() != wantDC || h.Rack() != wantRack {
			t.Errorf("host %d in %s/%s, want %s/%s", i, h.DataCenter(), h.Rack(), wantDC, wantRack)
		}
		if len(h.Tokens()) != 16 {
			t.Errorf("host %d has %d tokens, want 16", i, len(h.Tokens()))
		}
		for _, tok := range h.Tokens() {
			if _, err := strconv.ParseInt(tok, 10, 64); err != nil || seenTokens[tok] {
				t.Errorf("host %d token %q is not a distinct Murmur3 token", i, tok)
			}
			seenTokens[tok] = true
		}
		if v := h.Version(); v.Major != 5 {
			t.Errorf("host %d version %v, want 5.x", i, v)
		}
	}

	var cluster, partitioner string
	if err := s.Query("SELECT cluster_name, partitioner FROM system.local WHERE key = 'local'").Scan(&cluster, &partitioner); err != nil {
		t.Fatal(err)
	}
	if cluster != DefaultClusterName || partitioner != "org.apache.cassandra.dht.Murmur3Partitioner" {
		t.Fatalf("system.local says %q %q", cluster, partitioner)
	}
}

func TestDownNodeStaysInPeers(t *testing.T) {
	tg := newTarget(t, true, WithNodes(3))
	if err := tg.c.Node(3).SetDown(true); err != nil {
		t.Fatal(err)
	}
	if _, err := net.DialTimeout("tcp", tg.c.Node(3).Addr(), time.Second); err == nil {
		t.Fatal("a down node accepted a connection")
	}
	s := tg.session(t, func(cfg *gocql.ClusterConfig) { cfg.Hosts = cfg.Hosts[:2] })
	var peers int
	iter := s.Query("SELECT peer FROM system.peers").Iter()
	var ip net.IP
	for iter.Scan(&ip) {
		peers++
	}
	if err := iter.Close(); err != nil {
		t.Fatal(err)
	}
	if peers != 2 {
		t.Fatalf("system.peers lists %d peers, want 2 (the down node included)", peers)
	}
	if err := tg.c.Node(3).SetDown(false); err != nil {
		t.Fatal(err)
	}
	conn, err := net.DialTimeout("tcp", tg.c.Node(3).Addr(), time.Second)
	if err != nil {
		t.Fatalf("node back up refuses connections: %v", err)
	}
	conn.Close()
}

// systemSchemaCheck is a query on system_schema and the rows it must give,
// each rendered as its columns joined by "|".
type systemSchemaCheck struct {
	query string
	want  []string
}

func queryStrings(t *testing.T, s *gocql.Session, q string) []string {
	t.Helper()
	iter := s.Query(q).Iter()
	var out []string
	for {
		row := map[string]any{}
		if !iter.MapScan(row) {
			break
		}
		var parts []string
		for _, c := range iter.Columns() {
			parts = append(parts, fmt.Sprint(row[c.Name]))
		}
		out = append(out, strings.Join(parts, "|"))
	}
	if err := iter.Close(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	sort.Strings(out)
	return out
}

func TestDDLShowsInSystemSchema(t *testing.T) {
	tg := newTarget(t, false, WithNodes(2))
	s := tg.session(t)
	ks := keyspace(t, s)
	tests := []struct {
		name   string
		ddl    string
		checks []systemSchemaCheck
	}{
		{"create table", "CREATE TABLE " + ks + ".events (id uuid, at timestamp, kind text, tags set<text>, PRIMARY KEY (id, at)) WITH CLUSTERING ORDER BY (at DESC)",
			[]systemSchemaCheck{
				{"SELECT table_name FROM system_schema.tables WHERE keyspace_name = '" + ks + "'", []string{"events"}},
				{"SELECT column_name, kind, position, clustering_order, type FROM system_schema.columns WHERE keyspace_name = '" + ks + "' AND table_name = 'events'",
					[]string{"at|clustering|0|desc|timestamp", "id|partition_key|0|none|uuid", "kind|regular|-1|none|text", "tags|regular|-1|none|set<text>"}},
			}},
		{"alter table add", "ALTER TABLE " + ks + ".events ADD note text",
			[]systemSchemaCheck{
				{"SELECT column_name FROM system_schema.columns WHERE keyspace_name = '" + ks + "' AND table_name = 'events' AND column_name = 'note'", []string{"note"}},
			}},
		{"alter table drop", "ALTER TABLE " + ks + ".events DROP note",
			[]systemSchemaCheck{
				{"SELECT column_name, type FROM system_schema.dropped_columns WHERE keyspace_name = '" + ks + "' AND table_name = 'events'", []string{"note|text"}},
			}},
		{"create type", "CREATE TYPE " + ks + ".address (street text, zip int)",
			[]systemSchemaCheck{
				{"SELECT type_name, field_names, field_types FROM system_schema.types WHERE keyspace_name = '" + ks + "'", []string{"address|[street zip]|[text int]"}},
			}},
		{"create index", "CREATE INDEX events_kind ON " + ks + ".events (kind)",
			[]systemSchemaCheck{
				{"SELECT index_name, kind FROM system_schema.indexes WHERE keyspace_name = '" + ks + "' AND table_name = 'events'", []string{"events_kind|COMPOSITES"}},
			}},
		{"alter type", "ALTER TYPE " + ks + ".address ADD city text",
			[]systemSchemaCheck{
				{"SELECT field_names FROM system_schema.types WHERE keyspace_name = '" + ks + "' AND type_name = 'address'", []string{"[street zip city]"}},
			}},
		{"drop index", "DROP INDEX " + ks + ".events_kind",
			[]systemSchemaCheck{
				{"SELECT index_name FROM system_schema.indexes WHERE keyspace_name = '" + ks + "' AND table_name = 'events'", nil},
			}},
		{"drop table", "DROP TABLE " + ks + ".events",
			[]systemSchemaCheck{
				{"SELECT table_name FROM system_schema.tables WHERE keyspace_name = '" + ks + "'", nil},
				{"SELECT column_name FROM system_schema.columns WHERE keyspace_name = '" + ks + "' AND table_name = 'events'", nil},
			}},
		{"drop type", "DROP TYPE " + ks + ".address",
			[]systemSchemaCheck{
				{"SELECT type_name FROM system_schema.types WHERE keyspace_name = '" + ks + "'", nil},
			}},
		{"alter keyspace", "ALTER KEYSPACE " + ks + " WITH replication = {'class': 'NetworkTopologyStrategy', 'datacenter1': 2} AND durable_writes = false",
			[]systemSchemaCheck{
				{"SELECT durable_writes, replication FROM system_schema.keyspaces WHERE keyspace_name = '" + ks + "'",
					[]string{"false|map[class:org.apache.cassandra.locator.NetworkTopologyStrategy datacenter1:2]"}},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exec(t, s, tt.ddl)
			if err := s.AwaitSchemaAgreement(context.Background()); err != nil {
				t.Fatal(err)
			}
			for _, ch := range tt.checks {
				got := queryStrings(t, s, ch.query)
				if strings.Join(got, "\n") != strings.Join(ch.want, "\n") {
					t.Errorf("%s\ngot  %q\nwant %q", ch.query, got, ch.want)
				}
			}
		})
	}
}

// TestDDLShowsInSystemSchemaForDisabledFeatures covers the DDL a stock
// Cassandra 4+/5 refuses until cassandra.yaml enables it (views, functions),
// so it runs against the stand-in only.
func TestDDLShowsInSystemSchemaForDisabledFeatures(t *testing.T) {
	tg := newTarget(t, true, WithMaterializedViews(true))
	s := tg.session(t)
	ks := keyspace(t, s)
	exec(t, s, "CREATE TABLE "+ks+".users (id int PRIMARY KEY, email text)")
	tests := []struct {
		name   string
		ddl    string
		checks []systemSchemaCheck
	}{
		{"create view", "CREATE MATERIALIZED VIEW " + ks + ".by_email AS SELECT * FROM " + ks + ".users WHERE email IS NOT NULL AND id IS NOT NULL PRIMARY KEY (email, id)",
			[]systemSchemaCheck{
				{"SELECT view_name, base_table_name, include_all_columns FROM system_schema.views WHERE keyspace_name = '" + ks + "'", []string{"by_email|users|true"}},
				{"SELECT column_name, kind FROM system_schema.columns WHERE keyspace_name = '" + ks + "' AND table_name = 'by_email'", []string{"email|partition_key", "id|clustering"}},
			}},
		{"drop view", "DROP MATERIALIZED VIEW " + ks + ".by_email",
			[]systemSchemaCheck{
				{"SELECT view_name FROM system_schema.views WHERE keyspace_name = '" + ks + "'", nil},
			}},
		{"create function", "CREATE FUNCTION " + ks + ".plus(a int, b int) RETURNS NULL ON NULL INPUT RETURNS int LANGUAGE java AS 'return a + b;'",
			[]systemSchemaCheck{
				{"SELECT function_name, argument_names, argument_types, return_type, language FROM system_schema.functions WHERE keyspace_name = '" + ks + "'",
					[]string{"plus|[a b]|[int int]|int|java"}},
			}},
		{"create aggregate", "CREATE AGGREGATE " + ks + ".total(int) SFUNC plus STYPE int INITCOND 0",
			[]systemSchemaCheck{
				{"SELECT aggregate_name, argument_types, state_func, state_type, initcond FROM system_schema.aggregates WHERE keyspace_name = '" + ks + "'",
					[]string{"total|[int]|plus|int|0"}},
			}},
		{"drop keyspace", "DROP KEYSPACE " + ks,
			[]systemSchemaCheck{
				{"SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = '" + ks + "'", nil},
				{"SELECT table_name FROM system_schema.tables WHERE keyspace_name = '" + ks + "'", nil},
				{"SELECT function_name FROM system_schema.functions WHERE keyspace_name = '" + ks + "'", nil},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exec(t, s, tt.ddl)
			for _, ch := range tt.checks {
				got := queryStrings(t, s, ch.query)
				if strings.Join(got, "\n") != strings.Join(ch.want, "\n") {
					t.Errorf("%s\ngot  %q\nwant %q", ch.query, got, ch.want)
				}
			}
		})
	}
}

func TestGocqlReadsKeyspaceMetadata(t *testing.T) {
	tg := newTarget(t, false)
	s := tg.session(t)
	ks := keyspace(t, s)
	exec(t, s, "CREATE TYPE "+ks+".address (street text, zip int)")
	exec(t, s, "CREATE TABLE "+ks+".users (id uuid PRIMARY KEY, name text, home frozen<address>, v vector<float, 3>, d duration)")
	// gocql caches metadata and refreshes it on the SCHEMA_CHANGE events
	// its control connection registered for, debounced: wait for it.
	var (
		md  *gocql.KeyspaceMetadata
		err error
	)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		md, err = s.KeyspaceMetadata(ks)
		if err == nil && md.Tables["users"] != nil && md.UserTypes["address"] != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("metadata never showed the table and type: %v %+v", err, md)
		}
	}
	tbl := md.Tables["users"]
	if len(tbl.PartitionKey) != 1 || tbl.PartitionKey[0].Name != "id" {
		t.Errorf("partition key %+v", tbl.PartitionKey)
	}
	for _, col := range []string{"id", "name", "home", "v", "d"} {
		if _, ok := tbl.Columns[col]; !ok {
			t.Errorf("column %s missing: %v", col, tbl.Columns)
		}
	}
	if ut, ok := md.UserTypes["address"]; !ok || strings.Join(ut.FieldNames, ",") != "street,zip" {
		t.Errorf("user type %+v", md.UserTypes)
	}
}

func TestSchemaErrorsCarryCassandraCodes(t *testing.T) {
	tg := newTarget(t, false)
	s := tg.session(t)
	ks := keyspace(t, s)
	exec(t, s, "CREATE TABLE "+ks+".t (k int PRIMARY KEY)")

	err := s.Query("CREATE TABLE " + ks + ".t (k int PRIMARY KEY)").Exec()
	var exists *gocql.RequestErrAlreadyExists
	if !errors.As(err, &exists) || exists.Keyspace != ks || exists.Table != "t" {
		t.Fatalf("second CREATE TABLE: %#v", err)
	}

	err = s.Query("CREATE KEYSPACE " + ks + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}").Exec()
	if !errors.As(err, &exists) || exists.Keyspace != ks || exists.Table != "" {
		t.Fatalf("second CREATE KEYSPACE: %#v", err)
	}

	err = s.Query("ALTER TABLE " + ks + ".t DROP k").Exec()
	var reqErr gocql.RequestError
	if !errors.As(err, &reqErr) || reqErr.Code() != gocql.ErrCodeInvalid {
		t.Fatalf("dropping a key column: %v", err)
	}

	err = s.Query("SELEC * FROM " + ks + ".t").Exec()
	if !errors.As(err, &reqErr) || reqErr.Code() != gocql.ErrCodeSyntax || !strings.HasPrefix(reqErr.Message(), "line 1:") {
		t.Fatalf("syntax error: %v", err)
	}

	err = s.Query("SELECT * FROM " + ks + ".missing").Exec()
	if !errors.As(err, &reqErr) || reqErr.Code() != gocql.ErrCodeInvalid || reqErr.Message() != "table missing does not exist" {
		t.Fatalf("unknown table: %v", err)
	}
	err = s.Query("INSERT INTO nosuchks.t (k) VALUES (1)").Exec()
	if !errors.As(err, &reqErr) || reqErr.Code() != gocql.ErrCodeInvalid || reqErr.Message() != "keyspace nosuchks does not exist" {
		t.Fatalf("unknown keyspace: %v", err)
	}
}

func TestSchemaAgreementWaitsForDelayedNodes(t *testing.T) {
	tg := newTarget(t, true, WithNodes(3), WithSchemaDelay(300*time.Millisecond))
	s := tg.session(t)
	exec(t, s, "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
	if err := s.AwaitSchemaAgreement(context.Background()); err != nil {
		t.Fatalf("schema agreement: %v", err)
	}
	v := tg.c.Node(1).SchemaVersion()
	for _, n := range tg.c.Nodes() {
		if n.SchemaVersion() != v {
			t.Fatalf("node %s at %s after agreement, node 1 at %s", n.IP(), n.SchemaVersion(), v)
		}
		if n.Catalog().Keyspace("ks") == nil {
			t.Fatalf("node %s lacks the keyspace after agreement", n.IP())
		}
	}
}

func TestSchemaAgreementFailsWithANodeThatNeverAgrees(t *testing.T) {
	tg := newTarget(t, true, WithNodes(3))
	tg.c.Node(2).SetSchemaAgreement(false)
	s := tg.session(t, func(cfg *gocql.ClusterConfig) {
		cfg.MaxWaitSchemaAgreement = 700 * time.Millisecond
		// Coordinate on node 1: a change coordinated by node 2 would start
		// there and reach the others.
		cfg.HostFilter = gocql.WhiteListHostFilter(tg.c.Node(1).IP().String())
	})
	before := tg.c.Node(2).SchemaVersion()
	err := s.Query("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}").Exec()
	if err != nil {
		// gocql waits for agreement after DDL itself and reports the failure.
		if !strings.Contains(err.Error(), "schema") {
			t.Fatalf("CREATE KEYSPACE: %v", err)
		}
	}
	if err := s.AwaitSchemaAgreement(context.Background()); err == nil {
		t.Fatal("schema agreement reached although node 2 never agrees")
	}
	if tg.c.Node(2).SchemaVersion() != before || tg.c.Node(1).SchemaVersion() == before {
		t.Fatal("schema versions did not diverge")
	}
	tg.c.Node(2).SetSchemaAgreement(true)
	if err := s.AwaitSchemaAgreement(context.Background()); err != nil {
		t.Fatalf("after the node agrees again: %v", err)
	}

	// Coordinated by the node that does not agree, a change stays there.
	tg.c.Node(2).SetSchemaAgreement(false)
	s2 := tg.session(t, func(cfg *gocql.ClusterConfig) {
		cfg.MaxWaitSchemaAgreement = 300 * time.Millisecond
		cfg.HostFilter = gocql.WhiteListHostFilter(tg.c.Node(2).IP().String())
	})
	_ = s2.Query("CREATE TABLE ks.t (k int PRIMARY KEY)").Exec()
	if tg.c.Node(2).Catalog().Keyspace("ks").Tables["t"] == nil || tg.c.Node(1).Catalog().Keyspace("ks").Tables["t"] != nil {
		t.Fatal("a change made on the cut-off node reached the others, or was not made")
	}
	if err := s.AwaitSchemaAgreement(context.Background()); err == nil {
		t.Fatal("schema agreement reached although node 2 kept a change to itself")
	}
	tg.c.Node(2).SetSchemaAgreement(true)
	if err := s.AwaitSchemaAgreement(context.Background()); err != nil {
		t.Fatalf("after node 2 rejoins: %v", err)
	}
	if tg.c.Node(2).Catalog().Keyspace("ks").Tables["t"] != nil {
		t.Fatal("node 2 kept its lone change after rejoining the cluster's schema")
	}
}

func TestLWTRaceHasExactlyOneWinner(t *testing.T) {
	tg := newTarget(t, false, WithNodes(3))
	s := tg.session(t)
	ks := keyspace(t, s)
	exec(t, s, "CREATE TABLE "+ks+".locks (name text PRIMARY KEY, owner text)")

	const racers = 24
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		winners []string
		losers  = map[string]int{}
	)
	for i := 0; i < racers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			me := fmt.Sprintf("racer-%d", i)
			var name, owner string
			applied, err := s.Query("INSERT INTO "+ks+".locks (name, owner) VALUES (?, ?) IF NOT EXISTS", "migrate", me).
				ScanCAS(&name, &owner)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Errorf("%s: %v", me, err)
				return
			}
			if applied {
				winners = append(winners, me)
			} else {
				losers[owner]++
			}
		}(i)
	}
	wg.Wait()
	if len(winners) != 1 {
		t.Fatalf("winners %v, want exactly one", winners)
	}
	if losers[winners[0]] != racers-1 {
		t.Fatalf("losers saw owners %v, want all %d to see %s", losers, racers-1, winners[0])
	}

	var owner string
	applied, err := s.Query("UPDATE "+ks+".locks SET owner = ? WHERE name = ? IF owner = ?", "thief", "migrate", "nobody").ScanCAS(&owner)
	if err != nil || applied || owner != winners[0] {
		t.Fatalf("conditional update: applied=%v owner=%q err=%v", applied, owner, err)
	}
	applied, err = s.Query("DELETE FROM "+ks+".locks WHERE name = ? IF owner = ?", "migrate", winners[0]).ScanCAS()
	if err != nil || !applied {
		t.Fatalf("release: applied=%v err=%v", applied, err)
	}
}

func TestTTLExpiresWithTheManualClock(t *testing.T) {
	clock := store.NewManualClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	tg := newTarget(t, true, WithClock(clock))
	s := tg.session(t)
	ks := keyspace(t, s)
	exec(t, s, "CREATE TABLE "+ks+".leases (name text PRIMARY KEY, owner text)")
	exec(t, s, "INSERT INTO "+ks+".leases (name, owner) VALUES ('lock', 'me') USING TTL 30")

	var ttl int
	if err := s.Query("SELECT TTL(owner) FROM " + ks + ".leases WHERE name = 'lock'").Scan(&ttl); err != nil {
		t.Fatal(err)
	}
	if ttl != 30 {
		t.Fatalf("TTL = %d, want 30 on a clock that did not move", ttl)
	}
	clock.Advance(29 * time.Second)
	var owner string
	if err := s.Query("SELECT owner FROM " + ks + ".leases WHERE name = 'lock'").Scan(&owner); err != nil || owner != "me" {
		t.Fatalf("after 29s: owner %q, err %v", owner, err)
	}
	clock.Advance(time.Second)
	if err := s.Query("SELECT owner FROM " + ks + ".leases WHERE name = 'lock'").Scan(&owner); !errors.Is(err, gocql.ErrNotFound) {
		t.Fatalf("after 30s: owner %q, err %v, want not found", owner, err)
	}
	applied, err := s.Query("INSERT INTO " + ks + ".leases (name, owner) VALUES ('lock', 'you') IF NOT EXISTS").ScanCAS()
	if err != nil || !applied {
		t.Fatalf("IF NOT EXISTS after expiry: applied=%v err=%v", applied, err)
	}
}

func TestPagingThroughManyRows(t *testing.T) {
	tg := newTarget(t, false)
	s := tg.session(t)
	ks := keyspace(t, s)
	exec(t, s, "CREATE TABLE "+ks+".history (p int, v int, note text, PRIMARY KEY (p, v))")
	const rows = 237
	for i := 0; i < rows; i++ {
		exec(t, s, "INSERT INTO "+ks+".history (p, v, note) VALUES (1, ?, ?)", i, strconv.Itoa(i))
	}
	if tg.c != nil {
		tg.c.ResetStats()
	}
	iter := s.Query("SELECT v, note FROM " + ks + ".history WHERE p = 1").PageSize(50).Iter()
	var (
		v, n int
		note string
	)
	for iter.Scan(&v, &note) {
		if v != n || note != strconv.Itoa(n) {
			t.Fatalf("row %d is (%d, %q)", n, v, note)
		}
		n++
	}
	if err := iter.Close(); err != nil {
		t.Fatal(err)
	}
	if n != rows {
		t.Fatalf("read %d rows, want %d", n, rows)
	}
	if tg.c != nil {
		st := tg.c.Stats()
		if pages := st.Requests["QUERY"] + st.Requests["EXECUTE"]; pages != 5 {
			t.Fatalf("%d requests for %d rows in pages of 50, want 5", pages, rows)
		}
	}
}

func TestBadCredentials(t *testing.T) {
	tg := newTarget(t, true, WithCredentials("cassandra", "cassandra"), WithNodes(2))
	_, err := tg.config(func(cfg *gocql.ClusterConfig) {
		cfg.Authenticator = gocql.PasswordAuthenticator{Username: "cassandra", Password: "wrong"}
	}).CreateSession()
	if err == nil || !strings.Contains(err.Error(), "Provided username cassandra and/or password are incorrect") {
		t.Fatalf("bad credentials: %v", err)
	}
	s := tg.session(t, func(cfg *gocql.ClusterConfig) {
		cfg.Authenticator = gocql.PasswordAuthenticator{Username: "cassandra", Password: "cassandra"}
	})
	var role string
	var super bool
	if err := s.Query("SELECT role, is_superuser FROM system_auth.roles WHERE role = 'cassandra'").Scan(&role, &super); err != nil || !super {
		t.Fatalf("system_auth.roles: %q %v %v", role, super, err)
	}
}

func TestPreparedStatementsSurviveANodeForgettingThem(t *testing.T) {
	tg := newTarget(t, true)
	s := tg.session(t)
	ks := keyspace(t, s)
	exec(t, s, "CREATE TABLE "+ks+".kv (k int PRIMARY KEY, v text)")
	exec(t, s, "INSERT INTO "+ks+".kv (k, v) VALUES (?, ?)", 1, "one")
	tg.c.ResetStats()
	tg.c.Node(1).ForgetPrepared()
	read := func() {
		t.Helper()
		var v string
		if err := s.Query("SELECT v FROM "+ks+".kv WHERE k = ?", 1).Scan(&v); err != nil || v != "one" {
			t.Fatalf("select: %q %v", v, err)
		}
	}
	expect := func(prepares, executes int) {
		t.Helper()
		st := tg.c.Stats()
		if st.Requests["PREPARE"] != prepares || st.Requests["EXECUTE"] != executes {
			t.Fatalf("requests %v, want %d PREPARE and %d EXECUTE", st.Requests, prepares, executes)
		}
		tg.c.ResetStats()
	}
	read()
	expect(1, 1)
	read()
	expect(0, 1)
	// gocql answers Unprepared (0x2500) by preparing again and retrying.
	tg.c.Node(1).ForgetPrepared()
	read()
	expect(1, 2)
}

func TestBatchAndStatementCounters(t *testing.T) {
	tg := newTarget(t, true)
	s := tg.session(t)
	ks := keyspace(t, s)
	exec(t, s, "CREATE TABLE "+ks+".kv (k int PRIMARY KEY, v text)")
	tg.c.ResetStats()
	b := s.Batch(gocql.LoggedBatch)
	b.Query("INSERT INTO "+ks+".kv (k, v) VALUES (?, ?)", 1, "a")
	b.Query("INSERT INTO "+ks+".kv (k, v) VALUES (?, ?)", 2, "b")
	b.Query("DELETE FROM "+ks+".kv WHERE k = ?", 3)
	if err := s.ExecuteBatch(b); err != nil {
		t.Fatal(err)
	}
	st := tg.c.Stats()
	if st.Requests["BATCH"] != 1 || st.Statements["BATCH"] != 1 || st.Statements["INSERT"] != 2 || st.Statements["DELETE"] != 1 {
		t.Fatalf("stats %+v", st)
	}
	var n int
	if err := s.Query("SELECT count(*) FROM " + ks + ".kv").Scan(&n); err != nil || n != 2 {
		t.Fatalf("count %d %v", n, err)
	}
	if got := tg.c.Stats().DDL; len(got) != 1 || got[0] != 0 {
		t.Fatalf("DDL after reset %v", got)
	}
}

func TestFaults(t *testing.T) {
	tests := []struct {
		name  string
		fault Fault
		stmt  string
		check func(t *testing.T, err error)
	}{
		{"unavailable", Fault{Match: "insert into", Err: Unavailable(wire.Quorum, 2, 1)}, "INSERT INTO %s.kv (k, v) VALUES (1, 'a')",
			func(t *testing.T, err error) {
				var u *gocql.RequestErrUnavailable
				if !errors.As(err, &u) || u.Required != 2 || u.Alive != 1 || u.Consistency != gocql.Quorum {
					t.Fatalf("%#v", err)
				}
			}},
		{"overloaded", Fault{Match: "insert", Err: Overloaded()}, "INSERT INTO %s.kv (k, v) VALUES (1, 'a')",
			func(t *testing.T, err error) {
				var re gocql.RequestError
				if !errors.As(err, &re) || re.Code() != gocql.ErrCodeOverloaded {
					t.Fatalf("%#v", err)
				}
			}},
		{"write timeout on LWT", Fault{Regexp: regexpMust(`IF NOT EXISTS$`), Err: CASWriteTimeout(wire.Serial, 0, 2, 1)},
			"INSERT INTO %s.kv (k, v) VALUES (1, 'a') IF NOT EXISTS",
			func(t *testing.T, err error) {
				var wt *gocql.RequestErrWriteTimeout
				if !errors.As(err, &wt) || wt.WriteType != "CAS" || wt.BlockFor != 2 || wt.Consistency != gocql.Serial {
					t.Fatalf("%#v", err)
				}
			}},
		{"dropped connection", Fault{Match: "insert", Drop: true}, "INSERT INTO %s.kv (k, v) VALUES (1, 'a')",
			func(t *testing.T, err error) {
				if err == nil {
					t.Fatal("a dropped connection answered")
				}
			}},
		{"stalled connection", Fault{Match: "insert", Stall: true}, "INSERT INTO %s.kv (k, v) VALUES (1, 'a')",
			func(t *testing.T, err error) {
				if !errors.Is(err, gocql.ErrTimeoutNoResponse) && !errors.Is(err, context.DeadlineExceeded) {
					t.Fatalf("stall: %v", err)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := newTarget(t, true)
			s := tg.session(t, func(cfg *gocql.ClusterConfig) {
				cfg.Timeout = 500 * time.Millisecond
				cfg.RetryPolicy = nil
			})
			ks := keyspace(t, s)
			exec(t, s, "CREATE TABLE "+ks+".kv (k int PRIMARY KEY, v text)")
			in := tg.c.Inject(tt.fault)
			err := s.Query(fmt.Sprintf(tt.stmt, ks)).Exec()
			tt.check(t, err)
			if in.Hits() != 1 {
				t.Fatalf("fault hit %d times", in.Hits())
			}
		})
	}
}

func TestFaultOnNthMatchOnly(t *testing.T) {
	tg := newTarget(t, true)
	s := tg.session(t)
	ks := keyspace(t, s)
	in := tg.c.Inject(Fault{Match: "create  TABLE", Nth: 2, Err: &wire.Error{Code: wire.CodeConfigError, Message: "injected"}})
	exec(t, s, "CREATE TABLE "+ks+".a (k int PRIMARY KEY)")
	err := s.Query("CREATE TABLE " + ks + ".b (k int PRIMARY KEY)").Exec()
	var re gocql.RequestError
	if !errors.As(err, &re) || re.Code() != gocql.ErrCodeConfig || re.Message() != "injected" {
		t.Fatalf("second CREATE TABLE: %v", err)
	}
	exec(t, s, "CREATE TABLE "+ks+".c (k int PRIMARY KEY)")
	if in.Hits() != 1 {
		t.Fatalf("hits %d", in.Hits())
	}
	if cat := tg.c.Node(1).Catalog(); cat.Keyspace(ks).Tables["b"] != nil || cat.Keyspace(ks).Tables["c"] == nil {
		t.Fatal("the failed statement changed the schema, or the next one did not")
	}
}

func TestPauseHoldsTheAnswerAfterExecuting(t *testing.T) {
	tg := newTarget(t, true)
	s := tg.session(t)
	ks := keyspace(t, s)
	in := tg.c.Inject(Fault{Match: "CREATE TABLE", Pause: true})
	done := make(chan error, 1)
	go func() { done <- s.Query("CREATE TABLE " + ks + ".t (k int PRIMARY KEY)").Exec() }()
	stmt := <-in.Paused()
	if !strings.Contains(stmt, ks+".t") {
		t.Fatalf("paused on %q", stmt)
	}
	if tg.c.Node(1).Catalog().Keyspace(ks).Tables["t"] == nil {
		t.Fatal("the paused statement has not executed")
	}
	select {
	case err := <-done:
		t.Fatalf("the client got an answer while paused: %v", err)
	default:
	}
	in.Resume()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestDelayedStatementTimesOutTheClient(t *testing.T) {
	tg := newTarget(t, true)
	s := tg.session(t, func(cfg *gocql.ClusterConfig) { cfg.Timeout = 200 * time.Millisecond; cfg.RetryPolicy = nil })
	tg.c.Inject(Fault{Match: "system.local WHERE key = 'delayed'", Delay: time.Second})
	err := s.Query("SELECT * FROM system.local WHERE key = 'delayed'").Exec()
	if !errors.Is(err, gocql.ErrTimeoutNoResponse) {
		t.Fatalf("delayed statement: %v", err)
	}
}
