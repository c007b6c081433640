package cqltest

import (
	"context"
	"errors"
	"net"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cqltrack/cqltrack/engine/cql"
	"github.com/cqltrack/cqltrack/engine/cqltest/store"
	"github.com/cqltrack/cqltrack/engine/cqltest/wire"
)

func TestReleaseVersions(t *testing.T) {
	tests := []struct {
		release    string
		cqlVersion string
		peersV2    bool
	}{
		{"3.11.17", "3.4.4", false},
		{"4.0.13", "3.4.5", true},
		{"4.1.7", "3.4.6", true},
		{"5.0.4", "3.4.7", true},
	}
	for _, tt := range tests {
		t.Run(tt.release, func(t *testing.T) {
			tg := newTarget(t, true, WithNodes(2), WithReleaseVersion(tt.release))
			s := tg.session(t)
			if n := len(s.GetHosts()); n != 2 {
				t.Fatalf("gocql sees %d hosts", n)
			}
			var release, cqlVersion string
			if err := s.Query("SELECT release_version, cql_version FROM system.local").Scan(&release, &cqlVersion); err != nil {
				t.Fatal(err)
			}
			if release != tt.release || cqlVersion != tt.cqlVersion {
				t.Fatalf("system.local says %s / %s", release, cqlVersion)
			}
			err := s.Query("SELECT peer FROM system.peers_v2").Exec()
			var re gocql.RequestError
			switch {
			case tt.peersV2 && err != nil:
				t.Fatalf("peers_v2: %v", err)
			case !tt.peersV2 && (!errors.As(err, &re) || re.Code() != gocql.ErrCodeInvalid || re.Message() != "unconfigured table peers_v2"):
				t.Fatalf("peers_v2 on 3.11: %v", err)
			}
			exec(t, s, "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
			exec(t, s, "CREATE TABLE ks.t (k int PRIMARY KEY, v text)")
			exec(t, s, "INSERT INTO ks.t (k, v) VALUES (1, 'x')")
		})
	}
}

func TestStatsSeparateDriverReadsFromTheToolsOwn(t *testing.T) {
	tg := newTarget(t, true, WithNodes(2))
	s := tg.session(t)
	ks := keyspace(t, s)
	exec(t, s, "CREATE TABLE "+ks+".kv (k int PRIMARY KEY, v text)")
	tg.c.ResetStats()

	exec(t, s, "INSERT INTO "+ks+".kv (k, v) VALUES (1, 'a')")
	if applied, err := s.Query("INSERT INTO " + ks + ".kv (k, v) VALUES (1, 'b') IF NOT EXISTS").MapScanCAS(map[string]any{}); err != nil || applied {
		t.Fatalf("applied %v, %v", applied, err)
	}
	var v string
	if err := s.Query("SELECT v FROM " + ks + ".kv WHERE k = 1").Scan(&v); err != nil {
		t.Fatal(err)
	}
	exec(t, s, "ALTER TABLE "+ks+".kv ADD w int")

	st := tg.c.Stats()
	if st.Statements["INSERT"] != 2 || st.Statements["SELECT"] != 1 || st.Statements["ALTER TABLE"] != 1 || st.LWT != 1 {
		t.Fatalf("statements %v, LWT %d", st.Statements, st.LWT)
	}
	if st.Statements["SELECT system"] == 0 {
		t.Fatalf("gocql's schema agreement reads were not counted as SELECT system: %v", st.Statements)
	}
	if st.DDL[0]+st.DDL[1] != 1 {
		t.Fatalf("DDL by node %v", st.DDL)
	}
	if n := tg.c.Node(1).DDLCount() + tg.c.Node(2).DDLCount(); n != 3 {
		// Counted since start and never reset: CREATE KEYSPACE and CREATE
		// TABLE before ResetStats too; DROP KEYSPACE IF EXISTS of a missing
		// keyspace changed nothing and does not count.
		t.Fatalf("DDLCount total %d, want 3", n)
	}
}

func TestUseKeyspaceAndSessionKeyspace(t *testing.T) {
	tg := newTarget(t, false)
	admin := tg.session(t)
	ks := keyspace(t, admin)
	exec(t, admin, "CREATE TABLE "+ks+".kv (k int PRIMARY KEY, v text)")
	s := tg.session(t, func(cfg *gocql.ClusterConfig) { cfg.Keyspace = ks })
	exec(t, s, "INSERT INTO kv (k, v) VALUES (?, ?)", 7, "seven")
	var v string
	if err := s.Query("SELECT v FROM kv WHERE k = ?", 7).Scan(&v); err != nil || v != "seven" {
		t.Fatalf("unqualified read in the session keyspace: %q %v", v, err)
	}
	err := admin.Query("SELECT v FROM kv WHERE k = 7").Exec()
	var re gocql.RequestError
	if !errors.As(err, &re) || re.Code() != gocql.ErrCodeInvalid ||
		re.Message() != "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename" {
		t.Fatalf("unqualified read without a keyspace: %v", err)
	}
	if tg.c == nil {
		return
	}
	// gocql refuses USE itself; speak the protocol directly.
	r := dialRaw(t, tg.c.Node(1).Addr())
	r.startup()
	if e := frameError(t, r.query(2, "USE nosuchks")); e.Code != wire.CodeInvalid || e.Message != "Keyspace 'nosuchks' does not exist" {
		t.Fatalf("USE of a missing keyspace: %#x %q", e.Code, e.Message)
	}
	f := r.query(3, "USE \""+ks+"\"")
	rd := wire.NewReader(f.Body)
	if kind, name := rd.Int(), rd.String(); f.Header.Opcode != wire.OpResult || kind != wire.ResultSetKeyspace || name != ks {
		t.Fatalf("USE answered %s kind %d %q", f.Header.Opcode, kind, name)
	}
	if f := r.query(4, "SELECT v FROM kv WHERE k = 7"); f.Header.Opcode != wire.OpResult {
		t.Fatalf("read after USE: %+v", frameError(t, f))
	}
}

func TestMaterializedViewReadsButRefusesWrites(t *testing.T) {
	tg := newTarget(t, true, WithMaterializedViews(true))
	s := tg.session(t)
	ks := keyspace(t, s)
	exec(t, s, "CREATE TABLE "+ks+".users (id int PRIMARY KEY, email text)")
	exec(t, s, "CREATE MATERIALIZED VIEW "+ks+".by_email AS SELECT * FROM "+ks+".users WHERE email IS NOT NULL AND id IS NOT NULL PRIMARY KEY (email, id)")
	if err := s.Query("SELECT * FROM " + ks + ".by_email WHERE email = 'a'").Exec(); err != nil {
		t.Fatalf("read from view: %v", err)
	}
	err := s.Query("INSERT INTO " + ks + ".by_email (email, id) VALUES ('a', 1)").Exec()
	var re gocql.RequestError
	if !errors.As(err, &re) || re.Code() != gocql.ErrCodeInvalid || re.Message() != "Cannot directly modify a materialized view" {
		t.Fatalf("write to view: %v", err)
	}
}

func TestUnavailableOnLWT(t *testing.T) {
	tg := newTarget(t, true)
	s := tg.session(t, func(cfg *gocql.ClusterConfig) { cfg.RetryPolicy = nil })
	ks := keyspace(t, s)
	exec(t, s, "CREATE TABLE "+ks+".locks (name text PRIMARY KEY, owner text)")
	tg.c.Inject(Fault{Match: "IF NOT EXISTS", Err: Unavailable(wire.Serial, 2, 1)})
	exec(t, s, "INSERT INTO "+ks+".locks (name, owner) VALUES ('plain', 'x')")
	_, err := s.Query("INSERT INTO " + ks + ".locks (name, owner) VALUES ('lock', 'x') IF NOT EXISTS").ScanCAS()
	var u *gocql.RequestErrUnavailable
	if !errors.As(err, &u) || u.Consistency != gocql.Serial || u.Required != 2 || u.Alive != 1 ||
		u.Message() != "Cannot achieve consistency level SERIAL" {
		t.Fatalf("LWT under Unavailable: %#v", err)
	}
}

func TestSandboxListensWhereAsked(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	c, err := StartSandbox(SandboxOptions{Port: port, Nodes: 2, Username: "dev", Password: "dev"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.Port() != port || len(c.Hosts()) != 2 {
		t.Fatalf("sandbox on %v port %d", c.Hosts(), c.Port())
	}
	if _, err := StartSandbox(SandboxOptions{Port: port}); err == nil {
		t.Fatal("a second sandbox started on a port in use")
	}
	cfg := gocql.NewCluster(c.Hosts()...)
	cfg.Port = port
	cfg.Authenticator = gocql.PasswordAuthenticator{Username: "dev", Password: "dev"}
	s, err := cfg.CreateSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var addr net.IP
	if err := s.Query("SELECT rpc_address FROM system.local").Scan(&addr); err != nil || addr.String() != "127.0.0.1" && addr.String() != "127.0.0.2" {
		t.Fatalf("rpc_address %v %v", addr, err)
	}
}

func TestSchemaChangesInvalidatePreparedStatements(t *testing.T) {
	tg := newTarget(t, true, WithNodes(2))
	on := func(node int) *gocql.Session {
		return tg.session(t, func(cfg *gocql.ClusterConfig) {
			cfg.HostFilter = gocql.WhiteListHostFilter(tg.c.Node(node).IP().String())
		})
	}
	// DDL coordinated by node 1, reads prepared on node 2: the change
	// invalidates statements where it arrives too.
	s, reader := on(1), on(2)
	ks := keyspace(t, s)
	exec(t, s, "CREATE TABLE "+ks+".kv (k int PRIMARY KEY, v text)")
	read := func() {
		t.Helper()
		if err := reader.Query("SELECT * FROM "+ks+".kv WHERE k = ?", 1).Exec(); err != nil {
			t.Fatal(err)
		}
	}
	read()
	tests := []struct {
		ddl        string
		reprepared bool
	}{
		{"ALTER TABLE " + ks + ".kv WITH comment = 'options only'", false},
		{"ALTER TABLE " + ks + ".kv ADD w int", true},
		{"DROP TABLE " + ks + ".kv", true},
	}
	for _, tt := range tests {
		exec(t, s, tt.ddl)
		if strings.HasPrefix(tt.ddl, "DROP") {
			exec(t, s, "CREATE TABLE "+ks+".kv (k int PRIMARY KEY, v text)")
		}
		tg.c.ResetStats()
		read()
		st := tg.c.Stats()
		if got := st.Requests["PREPARE"] > 0; got != tt.reprepared {
			t.Errorf("after %s: requests %v, want re-prepared %v", tt.ddl, st.Requests, tt.reprepared)
		}
	}
}

func TestExplicitProtocolVersion4(t *testing.T) {
	tg := newTarget(t, false, WithNodes(2))
	s := tg.session(t, func(cfg *gocql.ClusterConfig) { cfg.ProtoVersion = 4 })
	var key string
	if err := s.Query("SELECT key FROM system.local").Scan(&key); err != nil || key != "local" {
		t.Fatalf("%q %v", key, err)
	}
	if tg.c != nil && len(s.GetHosts()) != 2 {
		t.Fatalf("hosts %d", len(s.GetHosts()))
	}
}

func TestFaultLimitedToOneNode(t *testing.T) {
	tg := newTarget(t, true, WithNodes(2))
	on := func(node int) *gocql.Session {
		return tg.session(t, func(cfg *gocql.ClusterConfig) {
			cfg.HostFilter = gocql.WhiteListHostFilter(tg.c.Node(node).IP().String())
			cfg.RetryPolicy = nil
		})
	}
	s1, s2 := on(1), on(2)
	in := tg.c.Inject(Fault{Node: 2, Match: "FROM system.local WHERE key = 'local' AND bootstrapped", Err: Overloaded()})
	q := "SELECT key FROM system.local WHERE key = 'local' AND bootstrapped = 'COMPLETED' ALLOW FILTERING"
	if err := s1.Query(q).Exec(); err != nil {
		t.Fatalf("node 1: %v", err)
	}
	var re gocql.RequestError
	if err := s2.Query(q).Exec(); !errors.As(err, &re) || re.Code() != gocql.ErrCodeOverloaded {
		t.Fatalf("node 2: %v", err)
	}
	if in.Hits() != 1 {
		t.Fatalf("hits %d", in.Hits())
	}
	in.Remove()
	if err := s2.Query(q).Exec(); err != nil {
		t.Fatalf("node 2 after Remove: %v", err)
	}
}

func TestPagingThroughSystemSchema(t *testing.T) {
	tg := newTarget(t, false)
	s := tg.session(t)
	want := 0
	iter := s.Query("SELECT keyspace_name, table_name, column_name FROM system_schema.columns").PageSize(1000000).Iter()
	for iter.Scan(new(string), new(string), new(string)) {
		want++
	}
	if err := iter.Close(); err != nil || want < 50 {
		t.Fatalf("%d columns, %v", want, err)
	}
	seen := map[string]bool{}
	iter = s.Query("SELECT keyspace_name, table_name, column_name FROM system_schema.columns").PageSize(7).Iter()
	var ks, tb, col string
	for iter.Scan(&ks, &tb, &col) {
		key := ks + "." + tb + "." + col
		if seen[key] {
			t.Fatalf("%s twice across pages", key)
		}
		seen[key] = true
	}
	if err := iter.Close(); err != nil || len(seen) != want {
		t.Fatalf("paged %d of %d columns, %v", len(seen), want, err)
	}
}

func TestVirtualSchemaDescribesVirtualKeyspaces(t *testing.T) {
	tg := newTarget(t, false)
	s := tg.session(t)
	got := queryStrings(t, s, "SELECT keyspace_name FROM system_virtual_schema.keyspaces")
	if strings.Join(got, ",") != "system_views,system_virtual_schema" {
		t.Fatalf("virtual keyspaces %v", got)
	}
	got = queryStrings(t, s, "SELECT column_name, kind, position, type FROM system_virtual_schema.columns WHERE keyspace_name = 'system_virtual_schema' AND table_name = 'tables'")
	want := []string{"comment|regular|-1|text", "keyspace_name|partition_key|0|text", "table_name|clustering|0|text"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("columns of system_virtual_schema.tables:\n%q\nwant\n%q", got, want)
	}
	if rows := queryStrings(t, s, "SELECT table_name FROM system_schema.tables WHERE keyspace_name = 'system_virtual_schema'"); len(rows) != 0 {
		t.Fatalf("system_schema lists virtual tables: %v", rows)
	}
}

func TestCassandraYAMLDefaults(t *testing.T) {
	tg := newTarget(t, true, WithNodes(2), WithPlacement(2, "dc2", "rack1"))
	s := tg.session(t)
	ks := keyspace(t, s)
	exec(t, s, "CREATE TABLE "+ks+".users (id int PRIMARY KEY, email text)")
	err := s.Query("CREATE MATERIALIZED VIEW " + ks + ".by_email AS SELECT * FROM " + ks + ".users WHERE email IS NOT NULL AND id IS NOT NULL PRIMARY KEY (email, id)").Exec()
	var re gocql.RequestError
	if !errors.As(err, &re) || re.Code() != gocql.ErrCodeInvalid || re.Message() != "Materialized views are disabled. Enable in cassandra.yaml to use." {
		t.Fatalf("view on a default 5.0: %v", err)
	}
	exec(t, s, "CREATE KEYSPACE nts WITH replication = {'class': 'NetworkTopologyStrategy', 'replication_factor': 3}")
	got := queryStrings(t, s, "SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = 'nts'")
	if want := "map[class:org.apache.cassandra.locator.NetworkTopologyStrategy datacenter1:3 dc2:3]"; len(got) != 1 || got[0] != want {
		t.Fatalf("replication_factor shorthand: %v, want %s", got, want)
	}
}

func TestClusterOptionsShowInSystemTables(t *testing.T) {
	tg := newTarget(t, true, WithNodes(2), WithClusterName("Prod Mirror"), WithNumTokens(4), WithReleaseVersion("4.1.7"))
	if got := tg.c.ReleaseVersion(); got != "4.1.7" {
		t.Fatalf("ReleaseVersion %q", got)
	}
	if got := tg.c.Addrs(); len(got) != 2 || got[1] != net.JoinHostPort("127.0.0.2", strconv.Itoa(tg.c.Port())) {
		t.Fatalf("Addrs %v", got)
	}
	s := tg.session(t, func(cfg *gocql.ClusterConfig) {
		cfg.HostFilter = gocql.WhiteListHostFilter(tg.c.Node(1).IP().String())
	})
	var name string
	var tokens []string
	if err := s.Query("SELECT cluster_name, tokens FROM system.local").Scan(&name, &tokens); err != nil {
		t.Fatal(err)
	}
	sort.Strings(tokens)
	mine := append([]string(nil), tg.c.Node(1).Tokens()...)
	if len(mine) != 4 || len(tg.c.Node(2).Tokens()) != 4 {
		t.Fatalf("tokens per node: %d and %d, want 4", len(mine), len(tg.c.Node(2).Tokens()))
	}
	sort.Strings(mine)
	if name != "Prod Mirror" || strings.Join(tokens, ",") != strings.Join(mine, ",") {
		t.Fatalf("system.local: %q %v, node 1 owns %v", name, tokens, mine)
	}
}

func TestDropConnectionsKeepsListening(t *testing.T) {
	tg := newTarget(t, true)
	r := dialRaw(t, tg.c.Node(1).Addr())
	r.startup()
	tg.c.Node(1).DropConnections()
	r.nc.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := r.br.ReadByte(); err == nil {
		t.Fatal("the dropped connection still delivers bytes")
	}
	r2 := dialRaw(t, tg.c.Node(1).Addr())
	r2.startup()
}

func TestTimeoutErrorsCarryTheirFields(t *testing.T) {
	tg := newTarget(t, true)
	s := tg.session(t, func(cfg *gocql.ClusterConfig) { cfg.RetryPolicy = nil })
	ks := keyspace(t, s)
	exec(t, s, "CREATE TABLE "+ks+".kv (k int PRIMARY KEY, v text)")
	tg.c.Inject(Fault{Match: "INSERT INTO", Err: WriteTimeout(wire.LocalQuorum, 1, 2, wire.WriteSimple)})
	tg.c.Inject(Fault{Match: "SELECT v FROM", Err: ReadTimeout(wire.Quorum, 1, 2, false)})

	err := s.Query("INSERT INTO " + ks + ".kv (k, v) VALUES (1, 'a')").Exec()
	var wt *gocql.RequestErrWriteTimeout
	if !errors.As(err, &wt) || wt.WriteType != "SIMPLE" || wt.Received != 1 || wt.BlockFor != 2 ||
		wt.Consistency != gocql.LocalQuorum || wt.Message() != "Operation timed out - received only 1 responses." {
		t.Fatalf("write timeout: %#v", err)
	}
	err = s.Query("SELECT v FROM " + ks + ".kv WHERE k = 1").Exec()
	var rt *gocql.RequestErrReadTimeout
	if !errors.As(err, &rt) || rt.DataPresent != 0 || rt.Received != 1 || rt.BlockFor != 2 || rt.Consistency != gocql.Quorum {
		t.Fatalf("read timeout: %#v", err)
	}
}

func TestPerNodeSchemaDelay(t *testing.T) {
	tg := newTarget(t, true, WithNodes(3))
	tg.c.Node(3).SetSchemaDelay(time.Hour)
	s := tg.session(t, func(cfg *gocql.ClusterConfig) {
		cfg.HostFilter = gocql.WhiteListHostFilter(tg.c.Node(1).IP().String())
		cfg.MaxWaitSchemaAgreement = 300 * time.Millisecond
	})
	_ = s.Query("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}").Exec()
	if v1, v2, v3 := tg.c.Node(1).SchemaVersion(), tg.c.Node(2).SchemaVersion(), tg.c.Node(3).SchemaVersion(); v1 != v2 || v1 == v3 {
		t.Fatalf("versions %s %s %s: node 2 should have the change at once, node 3 not yet", v1, v2, v3)
	}
	// Agreeing again delivers the newest schema without waiting an hour.
	tg.c.Node(3).SetSchemaAgreement(false)
	tg.c.Node(3).SetSchemaAgreement(true)
	if err := s.AwaitSchemaAgreement(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestTokenAwareRoutingReachesTheOwner shows the ring, the partition key
// indexes of prepared statements and the Murmur3 tokens fit together: a
// token-aware gocql sends every read of a key to the node owning its token.
func TestTokenAwareRoutingReachesTheOwner(t *testing.T) {
	tg := newTarget(t, true, WithNodes(3))
	s := tg.session(t, func(cfg *gocql.ClusterConfig) {
		cfg.PoolConfig.HostSelectionPolicy = gocql.TokenAwareHostPolicy(gocql.RoundRobinHostPolicy())
	})
	ks := keyspace(t, s)
	exec(t, s, "CREATE TABLE "+ks+".kv (k int PRIMARY KEY, v text)")
	if err := s.AwaitSchemaAgreement(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, k := range []int32{1, 42, 1000, -7} {
		key, err := store.Encode(cql.Type{Name: "int"}, k)
		if err != nil {
			t.Fatal(err)
		}
		owner := ringOwner(t, tg.c, store.Token(key))
		// Prepare first, and wait for gocql to learn the keyspace's
		// replication, so routing is settled before counting.
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			tg.c.ResetStats()
			if err := s.Query("SELECT v FROM "+ks+".kv WHERE k = ?", k).Exec(); err != nil {
				t.Fatal(err)
			}
			if tg.c.Stats().NodeRequests[owner-1] == 1 || time.Now().After(deadline) {
				break
			}
		}
		tg.c.ResetStats()
		for i := 0; i < 5; i++ {
			if err := s.Query("SELECT v FROM "+ks+".kv WHERE k = ?", k).Exec(); err != nil {
				t.Fatal(err)
			}
		}
		if got := tg.c.Stats().NodeRequests; got[owner-1] != 5 {
			t.Fatalf("key %d (token owned by node %d): requests by node %v", k, owner, got)
		}
	}
}

// ringOwner returns the node owning token t: the one with the smallest
// token not below t, wrapping around the ring.
func ringOwner(t *testing.T, c *Cluster, tok int64) int {
	t.Helper()
	best, bestTok := 0, int64(0)
	first, firstTok := 0, int64(0)
	for _, n := range c.Nodes() {
		for _, s := range n.Tokens() {
			v, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			if first == 0 || v < firstTok {
				first, firstTok = n.index, v
			}
			if v >= tok && (best == 0 || v < bestTok) {
				best, bestTok = n.index, v
			}
		}
	}
	if best == 0 {
		return first
	}
	return best
}

// TestTriggerClassMustLoad: like a fresh Cassandra install, the nodes load
// no trigger class, so CREATE TRIGGER fails naming the class; with the
// class installed (WithTriggerClasses) the trigger is created and listed
// in system_schema.triggers.
func TestTriggerClassMustLoad(t *testing.T) {
	tg := newTarget(t, false)
	s := tg.session(t)
	ks := keyspace(t, s)
	exec(t, s, "CREATE TABLE "+ks+".t (k int PRIMARY KEY)")
	var release string
	if err := s.Query("SELECT release_version FROM system.local").Scan(&release); err != nil {
		t.Fatal(err)
	}
	err := s.Query("CREATE TRIGGER audit ON " + ks + ".t USING 'org.example.NoSuchTrigger'").Exec()
	code, msg := gocql.ErrCodeInvalid, "Trigger class 'org.example.NoSuchTrigger' couldn't be loaded"
	if strings.HasPrefix(release, "3.") {
		code, msg = gocql.ErrCodeConfig, "Trigger class 'org.example.NoSuchTrigger' doesn't exist"
	}
	var re gocql.RequestError
	if !errors.As(err, &re) || re.Code() != code || re.Message() != msg {
		t.Fatalf("CREATE TRIGGER with a class the node lacks: %v, want %#x %q", err, code, msg)
	}
	if !strings.HasPrefix(release, "3.") {
		// Node-local keyspaces refuse every schema statement when it runs.
		err = s.Query("DROP INDEX IF EXISTS system.nope").Exec()
		if !errors.As(err, &re) || re.Code() != gocql.ErrCodeInvalid || re.Message() != "System keyspace 'system' is not user-modifiable" {
			t.Errorf("DROP INDEX in system: %v", err)
		}
	}
	if tg.c == nil {
		return
	}
	installed := newTarget(t, true, WithTriggerClasses("org.example.Audit"))
	s2 := installed.session(t)
	ks2 := keyspace(t, s2)
	exec(t, s2, "CREATE TABLE "+ks2+".t (k int PRIMARY KEY)")
	exec(t, s2, "CREATE TRIGGER audit ON "+ks2+".t USING 'org.example.Audit'")
	var name string
	if err := s2.Query("SELECT trigger_name FROM system_schema.triggers WHERE keyspace_name = ? AND table_name = 't'", ks2).Scan(&name); err != nil || name != "audit" {
		t.Fatalf("system_schema.triggers: %q %v", name, err)
	}
}
