package cql

import (
	"strings"
	"testing"
)

// parseCases maps input statements to their canonical rendering. Every case
// is also checked to round-trip: Parse(String()) equals the first AST and
// renders identically.
var parseCases = []struct {
	kind Kind
	in   string
	want string
}{
	// keyspaces
	{KindCreateKeyspace, `create keyspace if not exists Ks with replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3} and durable_writes = false;`,
		`CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3} AND durable_writes = false`},
	{KindCreateKeyspace, `CREATE SCHEMA "MyKs" WITH replication = {'class': 'SimpleStrategy', 'replication_factor': '1'}`,
		`CREATE KEYSPACE "MyKs" WITH replication = {'class': 'SimpleStrategy', 'replication_factor': '1'}`},
	{KindAlterKeyspace, `ALTER KEYSPACE IF EXISTS ks WITH durable_writes = true`, `ALTER KEYSPACE IF EXISTS ks WITH durable_writes = true`},
	{KindDropKeyspace, `drop keyspace if exists ks`, `DROP KEYSPACE IF EXISTS ks`},

	// tables
	// Names shaped like ISO 8601 durations (p1d, pt1h) are names: the
	// duration forms are upper case.
	{KindCreateTable, `CREATE TABLE metrics (host text PRIMARY KEY, p1d double, pt1h double, p2w double)`,
		`CREATE TABLE metrics (host text PRIMARY KEY, p1d double, pt1h double, p2w double)`},
	{KindCreateTable, `CREATE TABLE ks.users (id uuid PRIMARY KEY, name text, emails set<text>)`,
		`CREATE TABLE ks.users (id uuid PRIMARY KEY, name text, emails set<text>)`},
	{KindCreateTable, `CREATE COLUMNFAMILY t (a int, b int, c int, d counter, PRIMARY KEY ((a, b), c)) WITH CLUSTERING ORDER BY (c DESC) AND COMPACT STORAGE AND comment = 'x''y'`,
		`CREATE TABLE t (a int, b int, c int, d counter, PRIMARY KEY ((a, b), c)) WITH CLUSTERING ORDER BY (c DESC) AND COMPACT STORAGE AND comment = 'x''y'`},
	{KindCreateTable, `CREATE TABLE t (k int, c1 int, c2 text, s text static, PRIMARY KEY ((k), c1, c2),) WITH clustering order by (c1 asc, c2 desc)`,
		`CREATE TABLE t (k int, c1 int, c2 text, s text STATIC, PRIMARY KEY (k, c1, c2)) WITH CLUSTERING ORDER BY (c1 ASC, c2 DESC)`},
	{KindCreateTable, `CREATE TABLE t (k int PRIMARY KEY, a ascii, b bigint, c blob, d boolean, e date, f decimal, g double, h duration, i float, j inet, l smallint, m time, n timestamp, o timeuuid, p tinyint, q varchar, r varint)`,
		`CREATE TABLE t (k int PRIMARY KEY, a ascii, b bigint, c blob, d boolean, e date, f decimal, g double, h duration, i float, j inet, l smallint, m time, n timestamp, o timeuuid, p tinyint, q varchar, r varint)`},
	{KindCreateTable, `CREATE TABLE t (k int PRIMARY KEY, a frozen<address>, b ks.phone, c tuple<int, text, frozen<list<int>>>, d vector<float, 1536>, e map<text, frozen<set<uuid>>>, f "MyType", g 'org.apache.cassandra.db.marshal.UTF8Type')`,
		`CREATE TABLE t (k int PRIMARY KEY, a frozen<address>, b ks.phone, c tuple<int, text, frozen<list<int>>>, d vector<float, 1536>, e map<text, frozen<set<uuid>>>, f "MyType", g 'org.apache.cassandra.db.marshal.UTF8Type')`},
	{KindCreateTable, `CREATE TABLE t (k int PRIMARY KEY, ssn text MASKED WITH mask_inner(2, null), email text MASKED WITH DEFAULT)`,
		`CREATE TABLE t (k int PRIMARY KEY, ssn text MASKED WITH mask_inner(2, null), email text MASKED WITH DEFAULT)`},
	{KindCreateTable, `CREATE TABLE IF NOT EXISTS t (k int PRIMARY KEY) WITH compaction = {'class': 'SizeTieredCompactionStrategy', 'min_threshold': 4} AND compression = {'chunk_length_in_kb': 64, 'class': 'LZ4Compressor'} AND caching = {'keys': 'ALL', 'rows_per_partition': 'NONE'} AND bloom_filter_fp_chance = 0.01 AND default_time_to_live = 0 AND speculative_retry = '99p' AND cdc = false AND memtable = 'default'`,
		`CREATE TABLE IF NOT EXISTS t (k int PRIMARY KEY) WITH compaction = {'class': 'SizeTieredCompactionStrategy', 'min_threshold': 4} AND compression = {'chunk_length_in_kb': 64, 'class': 'LZ4Compressor'} AND caching = {'keys': 'ALL', 'rows_per_partition': 'NONE'} AND bloom_filter_fp_chance = 0.01 AND default_time_to_live = 0 AND speculative_retry = '99p' AND cdc = false AND memtable = 'default'`},
	{KindCreateTable, `CREATE TABLE "Quoted"."Tbl" ("Id" int PRIMARY KEY, "select" text, key text, type int, "a""b" int)`,
		`CREATE TABLE "Quoted"."Tbl" ("Id" int PRIMARY KEY, "select" text, key text, type int, "a""b" int)`},
	{KindAlterTable, `ALTER TABLE t ADD c int`, `ALTER TABLE t ADD c int`},
	{KindAlterTable, `ALTER TABLE IF EXISTS ks.t ADD IF NOT EXISTS (c int, d list<text> static, e text MASKED WITH DEFAULT)`,
		`ALTER TABLE IF EXISTS ks.t ADD IF NOT EXISTS (c int, d list<text> STATIC, e text MASKED WITH DEFAULT)`},
	{KindAlterTable, `ALTER TABLE t DROP c`, `ALTER TABLE t DROP c`},
	{KindAlterTable, `ALTER TABLE t DROP IF EXISTS (c, d) USING TIMESTAMP 1234`, `ALTER TABLE t DROP IF EXISTS (c, d) USING TIMESTAMP 1234`},
	{KindAlterTable, `ALTER TABLE t RENAME a TO b AND c TO "D"`, `ALTER TABLE t RENAME a TO b AND c TO "D"`},
	{KindAlterTable, `ALTER TABLE t RENAME IF EXISTS a TO b`, `ALTER TABLE t RENAME IF EXISTS a TO b`},
	{KindAlterTable, `ALTER TABLE t WITH gc_grace_seconds = 3600 AND comment = 'hi'`, `ALTER TABLE t WITH gc_grace_seconds = 3600 AND comment = 'hi'`},
	{KindAlterTable, `ALTER TABLE t ALTER c TYPE blob`, `ALTER TABLE t ALTER c TYPE blob`},
	{KindAlterTable, `ALTER TABLE t ALTER IF EXISTS c MASKED WITH mask_replace('*')`, `ALTER TABLE t ALTER IF EXISTS c MASKED WITH mask_replace('*')`},
	{KindAlterTable, `ALTER TABLE t ALTER c DROP MASKED`, `ALTER TABLE t ALTER c DROP MASKED`},
	{KindAlterTable, `ALTER TABLE t DROP COMPACT STORAGE`, `ALTER TABLE t DROP COMPACT STORAGE`},
	{KindDropTable, `DROP TABLE IF EXISTS ks.t`, `DROP TABLE IF EXISTS ks.t`},
	{KindTruncate, `TRUNCATE ks.t`, `TRUNCATE TABLE ks.t`},
	{KindTruncate, `truncate table t`, `TRUNCATE TABLE t`},

	// types
	{KindCreateType, `CREATE TYPE IF NOT EXISTS ks.address (street text, city text, zip int, phones frozen<list<text>>,)`,
		`CREATE TYPE IF NOT EXISTS ks.address (street text, city text, zip int, phones frozen<list<text>>)`},
	{KindAlterType, `ALTER TYPE address ADD country text`, `ALTER TYPE address ADD country text`},
	{KindAlterType, `ALTER TYPE IF EXISTS address ADD IF NOT EXISTS country text`, `ALTER TYPE IF EXISTS address ADD IF NOT EXISTS country text`},
	{KindAlterType, `ALTER TYPE address RENAME IF EXISTS zip TO zipcode AND city TO town`, `ALTER TYPE address RENAME IF EXISTS zip TO zipcode AND city TO town`},
	{KindAlterType, `ALTER TYPE address ALTER zip TYPE varint`, `ALTER TYPE address ALTER zip TYPE varint`},
	{KindDropType, `DROP TYPE IF EXISTS ks.address`, `DROP TYPE IF EXISTS ks.address`},

	// indexes
	{KindCreateIndex, `CREATE INDEX ON t (c)`, `CREATE INDEX ON t (c)`},
	{KindCreateIndex, `CREATE INDEX IF NOT EXISTS idx ON ks.t (keys(m))`, `CREATE INDEX IF NOT EXISTS idx ON ks.t (KEYS(m))`},
	{KindCreateIndex, `CREATE INDEX i2 ON t (VALUES(m))`, `CREATE INDEX i2 ON t (VALUES(m))`},
	{KindCreateIndex, `CREATE INDEX i3 ON t (entries(m))`, `CREATE INDEX i3 ON t (ENTRIES(m))`},
	{KindCreateIndex, `CREATE INDEX i4 ON t (full(fl))`, `CREATE INDEX i4 ON t (FULL(fl))`},
	{KindCreateIndex, `CREATE CUSTOM INDEX ann ON t (vec) USING 'StorageAttachedIndex' WITH OPTIONS = {'similarity_function': 'cosine'}`,
		`CREATE CUSTOM INDEX ann ON t (vec) USING 'StorageAttachedIndex' WITH options = {'similarity_function': 'cosine'}`},
	{KindCreateIndex, `CREATE INDEX sai_idx ON t (name) USING 'sai' WITH OPTIONS = {'case_sensitive': 'false', 'normalize': 'true'}`,
		`CREATE INDEX sai_idx ON t (name) USING 'sai' WITH options = {'case_sensitive': 'false', 'normalize': 'true'}`},
	{KindDropIndex, `DROP INDEX IF EXISTS ks.idx`, `DROP INDEX IF EXISTS ks.idx`},

	// materialized views
	{KindCreateView, `CREATE MATERIALIZED VIEW IF NOT EXISTS ks.by_name AS SELECT id, name FROM ks.users WHERE name IS NOT NULL AND id IS NOT NULL PRIMARY KEY (name, id) WITH CLUSTERING ORDER BY (id DESC) AND comment = 'v'`,
		`CREATE MATERIALIZED VIEW IF NOT EXISTS ks.by_name AS SELECT id, name FROM ks.users WHERE name IS NOT NULL AND id IS NOT NULL PRIMARY KEY (name, id) WITH CLUSTERING ORDER BY (id DESC) AND comment = 'v'`},
	{KindCreateView, `CREATE MATERIALIZED VIEW mv AS SELECT * FROM t WHERE a IS NOT NULL AND b IS NOT NULL PRIMARY KEY ((a, b))`,
		`CREATE MATERIALIZED VIEW mv AS SELECT * FROM t WHERE a IS NOT NULL AND b IS NOT NULL PRIMARY KEY ((a, b))`},
	{KindAlterView, `ALTER MATERIALIZED VIEW mv WITH gc_grace_seconds = 10`, `ALTER MATERIALIZED VIEW mv WITH gc_grace_seconds = 10`},
	{KindDropView, `DROP MATERIALIZED VIEW IF EXISTS ks.mv`, `DROP MATERIALIZED VIEW IF EXISTS ks.mv`},

	// functions, aggregates, triggers
	{KindCreateFunction, `CREATE OR REPLACE FUNCTION IF NOT EXISTS ks.fLog (input double) RETURNS NULL ON NULL INPUT RETURNS double LANGUAGE Java AS $$ return Double.valueOf(Math.log(input.doubleValue())); $$`,
		`CREATE OR REPLACE FUNCTION IF NOT EXISTS ks.flog (input double) RETURNS NULL ON NULL INPUT RETURNS double LANGUAGE java AS $$ return Double.valueOf(Math.log(input.doubleValue())); $$`},
	{KindCreateFunction, `CREATE FUNCTION f () CALLED ON NULL INPUT RETURNS text LANGUAGE javascript AS 'it''s'`,
		`CREATE FUNCTION f () CALLED ON NULL INPUT RETURNS text LANGUAGE javascript AS $$it's$$`},
	{KindDropFunction, `DROP FUNCTION IF EXISTS ks.f(int, text)`, `DROP FUNCTION IF EXISTS ks.f(int, text)`},
	{KindDropFunction, `DROP FUNCTION f`, `DROP FUNCTION f`},
	{KindDropFunction, `DROP FUNCTION f()`, `DROP FUNCTION f()`},
	{KindCreateAggregate, `CREATE OR REPLACE AGGREGATE ks.average(int) SFUNC avgState STYPE tuple<int, bigint> FINALFUNC avgFinal INITCOND (0, 0)`,
		`CREATE OR REPLACE AGGREGATE ks.average(int) SFUNC avgstate STYPE tuple<int, bigint> FINALFUNC avgfinal INITCOND (0, 0)`},
	{KindCreateAggregate, `CREATE AGGREGATE IF NOT EXISTS agg() SFUNC s STYPE int`, `CREATE AGGREGATE IF NOT EXISTS agg() SFUNC s STYPE int`},
	{KindDropAggregate, `DROP AGGREGATE IF EXISTS agg(int)`, `DROP AGGREGATE IF EXISTS agg(int)`},
	{KindCreateTrigger, `CREATE TRIGGER IF NOT EXISTS trg ON ks.t USING 'org.example.Trigger'`, `CREATE TRIGGER IF NOT EXISTS trg ON ks.t USING 'org.example.Trigger'`},
	{KindDropTrigger, `DROP TRIGGER IF EXISTS trg ON ks.t`, `DROP TRIGGER IF EXISTS trg ON ks.t`},

	// security
	{KindCreateRole, `CREATE ROLE IF NOT EXISTS alice WITH PASSWORD = 'pw' AND LOGIN = true AND SUPERUSER = false AND OPTIONS = {'a': 1} AND ACCESS TO DATACENTERS {'dc1', 'dc2'} AND ACCESS FROM ALL CIDRS`,
		`CREATE ROLE IF NOT EXISTS alice WITH PASSWORD = 'pw' AND LOGIN = true AND SUPERUSER = false AND OPTIONS = {'a': 1} AND ACCESS TO DATACENTERS {'dc1', 'dc2'} AND ACCESS FROM ALL CIDRS`},
	{KindCreateRole, `CREATE ROLE 'Bob' WITH HASHED PASSWORD = '$2a$10$x' AND ACCESS TO ALL DATACENTERS AND ACCESS FROM CIDRS {'region1'}`,
		`CREATE ROLE "Bob" WITH HASHED PASSWORD = '$2a$10$x' AND ACCESS TO ALL DATACENTERS AND ACCESS FROM CIDRS {'region1'}`},
	{KindCreateRole, `CREATE ROLE r`, `CREATE ROLE r`},
	{KindAlterRole, `ALTER ROLE IF EXISTS r WITH GENERATED PASSWORD AND LOGIN = false`, `ALTER ROLE IF EXISTS r WITH GENERATED PASSWORD AND LOGIN = false`},
	{KindDropRole, `DROP ROLE IF EXISTS r`, `DROP ROLE IF EXISTS r`},
	{KindCreateUser, `CREATE USER IF NOT EXISTS Bob WITH PASSWORD 'pw' SUPERUSER`, `CREATE USER IF NOT EXISTS 'Bob' WITH PASSWORD 'pw' SUPERUSER`},
	{KindAlterUser, `ALTER USER 'bob' WITH HASHED PASSWORD 'h' NOSUPERUSER`, `ALTER USER 'bob' WITH HASHED PASSWORD 'h' NOSUPERUSER`},
	{KindDropUser, `DROP USER IF EXISTS bob`, `DROP USER IF EXISTS 'bob'`},
	{KindGrant, `GRANT SELECT, MODIFY PERMISSION ON ks.t TO analyst`, `GRANT SELECT, MODIFY ON TABLE ks.t TO analyst`},
	{KindGrant, `GRANT ALL PERMISSIONS ON ALL KEYSPACES TO admin`, `GRANT ALL PERMISSIONS ON ALL KEYSPACES TO admin`},
	{KindGrant, `GRANT EXECUTE ON FUNCTION ks.f(int) TO r`, `GRANT EXECUTE ON FUNCTION ks.f(int) TO r`},
	{KindGrant, `GRANT ALTER ON ALL FUNCTIONS IN KEYSPACE ks TO r`, `GRANT ALTER ON ALL FUNCTIONS IN KEYSPACE ks TO r`},
	{KindGrant, `GRANT UNMASK ON TABLE t TO r`, `GRANT UNMASK ON TABLE t TO r`},
	{KindGrant, `GRANT SELECT_MASKED ON KEYSPACE ks TO r`, `GRANT SELECT_MASKED ON KEYSPACE ks TO r`},
	{KindGrant, `GRANT DESCRIBE ON ALL ROLES TO r`, `GRANT DESCRIBE ON ALL ROLES TO r`},
	{KindGrant, `GRANT AUTHORIZE ON ROLE other TO r`, `GRANT AUTHORIZE ON ROLE other TO r`},
	{KindGrant, `GRANT EXECUTE ON ALL MBEANS TO r`, `GRANT EXECUTE ON ALL MBEANS TO r`},
	{KindGrant, `GRANT SELECT ON MBEAN 'org.apache.cassandra.db:type=Tables' TO r`, `GRANT SELECT ON MBEAN 'org.apache.cassandra.db:type=Tables' TO r`},
	{KindRevoke, `REVOKE CREATE ON KEYSPACE ks FROM r`, `REVOKE CREATE ON KEYSPACE ks FROM r`},
	{KindGrantRole, `GRANT analyst TO alice`, `GRANT analyst TO alice`},
	{KindRevokeRole, `REVOKE analyst FROM alice`, `REVOKE analyst FROM alice`},
	{KindListRoles, `LIST ROLES OF alice NORECURSIVE`, `LIST ROLES OF alice NORECURSIVE`},
	{KindListRoles, `LIST ROLES`, `LIST ROLES`},
	{KindListUsers, `list users`, `LIST USERS`},
	{KindListPermissions, `LIST ALL PERMISSIONS ON ks.t OF alice`, `LIST ALL PERMISSIONS ON TABLE ks.t OF alice`},
	{KindListPermissions, `LIST SELECT`, `LIST SELECT`},
	{KindListPermissions, `LIST ALL`, `LIST ALL PERMISSIONS`},
	{KindListPermissions, `LIST ALL OF bob NORECURSIVE`, `LIST ALL PERMISSIONS OF bob NORECURSIVE`},
	{KindAddIdentity, `ADD IDENTITY IF NOT EXISTS 'spiffe://test.cassandra.apache.org/unitTest/mtls' TO ROLE 'read_only_user'`,
		`ADD IDENTITY IF NOT EXISTS 'spiffe://test.cassandra.apache.org/unitTest/mtls' TO ROLE 'read_only_user'`},
	{KindDropIdentity, `DROP IDENTITY IF EXISTS 'spiffe://x'`, `DROP IDENTITY IF EXISTS 'spiffe://x'`},

	// DML
	{KindInsert, `INSERT INTO ks.t (a, b, c, d, e) VALUES (1, 'x', [1, 2], {'k': 'v'}, {1, 2}) IF NOT EXISTS USING TTL 86400 AND TIMESTAMP 123`,
		`INSERT INTO ks.t (a, b, c, d, e) VALUES (1, 'x', [1, 2], {'k': 'v'}, {1, 2}) IF NOT EXISTS USING TTL 86400 AND TIMESTAMP 123`},
	{KindInsert, `INSERT INTO t (a, u, tu, n, f, b, d, id, bl, neg, inf) VALUES (?, {street: 'x', "Zip": 1}, (1, 'a'), null, 1.5e3, true, 1h30m, 123e4567-e89b-12d3-a456-426614174000, 0xCAFE, -NaN, Infinity)`,
		`INSERT INTO t (a, u, tu, n, f, b, d, id, bl, neg, inf) VALUES (?, {street: 'x', "Zip": 1}, (1, 'a'), null, 1.5e3, true, 1h30m, 123e4567-e89b-12d3-a456-426614174000, 0xCAFE, -NaN, Infinity)`},
	{KindInsert, `INSERT INTO t JSON '{"a": 1}' DEFAULT UNSET`, `INSERT INTO t JSON '{"a": 1}' DEFAULT UNSET`},
	{KindInsert, `INSERT INTO t JSON :j IF NOT EXISTS`, `INSERT INTO t JSON :j IF NOT EXISTS`},
	{KindInsert, `INSERT INTO t (a, b, c) VALUES (now(), toTimestamp(now()), (bigint) :v)`, `INSERT INTO t (a, b, c) VALUES (now(), totimestamp(now()), (bigint) :v)`},
	{KindInsert, `INSERT INTO t (d, e) VALUES (P1DT2H, -P2W)`, `INSERT INTO t (d, e) VALUES (P1DT2H, -P2W)`},
	{KindUpdate, `UPDATE t USING TIMESTAMP ? AND TTL ? SET c = c + 1, d = d - 2, l = l + [3], l2 = [0] + l2, s = s - {'a'}, m['k'] = 'v', u.f = 1, x += 1, y -= {'z'} WHERE k = 1 AND c2 IN (1, 2) IF a = 1 AND m['k'] != 'v' AND u.f > 0 AND b IN (1, 2)`,
		`UPDATE t USING TIMESTAMP ? AND TTL ? SET c = c + 1, d = d - 2, l = l + [3], l2 = [0] + l2, s = s - {'a'}, m['k'] = 'v', u.f = 1, x += 1, y -= {'z'} WHERE k = 1 AND c2 IN (1, 2) IF a = 1 AND m['k'] != 'v' AND u.f > 0 AND b IN (1, 2)`},
	{KindUpdate, `UPDATE t SET c = c -1, d = d -2.5, e = e -1h WHERE k = 0 IF EXISTS`, `UPDATE t SET c = c - 1, d = d - 2.5, e = e - 1h WHERE k = 0 IF EXISTS`},
	{KindDelete, `DELETE FROM t WHERE k = 1`, `DELETE FROM t WHERE k = 1`},
	{KindDelete, `DELETE a, m['k'], u.f, l[0] FROM ks.t USING TIMESTAMP 99 WHERE k = 1 AND c > 2 IF EXISTS`,
		`DELETE a, m['k'], u.f, l[0] FROM ks.t USING TIMESTAMP 99 WHERE k = 1 AND c > 2 IF EXISTS`},
	{KindDelete, `DELETE FROM t WHERE k IN ? IF s CONTAINS 3`, `DELETE FROM t WHERE k IN ? IF s CONTAINS 3`},
	{KindBatch, `BEGIN UNLOGGED BATCH USING TIMESTAMP 5 INSERT INTO t (a) VALUES (?) UPDATE t SET b = ? WHERE a = ?; DELETE FROM t WHERE a = ? APPLY BATCH`,
		`BEGIN UNLOGGED BATCH USING TIMESTAMP 5 INSERT INTO t (a) VALUES (?); UPDATE t SET b = ? WHERE a = ?; DELETE FROM t WHERE a = ?; APPLY BATCH`},
	{KindBatch, `begin counter batch update c set n = n + 1 where k = 1; apply batch`, `BEGIN COUNTER BATCH UPDATE c SET n = n + 1 WHERE k = 1; APPLY BATCH`},
	{KindSelect, `SELECT * FROM t`, `SELECT * FROM t`},
	{KindSelect, `SELECT JSON DISTINCT k FROM t`, `SELECT JSON DISTINCT k FROM t`},
	{KindSelect, `SELECT json, distinct FROM t`, `SELECT json, distinct FROM t`},
	{KindSelect, `SELECT a AS x, WRITETIME(b), TTL(b), maxwritetime(b), count(*), CAST(c AS text), ks.fn(a, 1), u.f, m['k'], l[1..3], s[..'b'], (int) ?, a + b * 2 FROM t WHERE token(a, b) > token(1, 2) AND (c, d) >= (1, 2) AND (c, d) IN ((1, 2), (3, 4)) AND e CONTAINS KEY 'x' AND f CONTAINS 1 AND g LIKE 'a%' AND m['k'] = 1 AND h != 3 AND i NOT IN (1) AND j BETWEEN 1 AND 5 GROUP BY a, floor(ts, 1h) ORDER BY c DESC, d ASC PER PARTITION LIMIT 2 LIMIT ? ALLOW FILTERING`,
		`SELECT a AS x, writetime(b), ttl(b), maxwritetime(b), count(*), CAST(c AS text), ks.fn(a, 1), u.f, m['k'], l[1..3], s[..'b'], (int) ?, a + b * 2 FROM t WHERE token(a, b) > token(1, 2) AND (c, d) >= (1, 2) AND (c, d) IN ((1, 2), (3, 4)) AND e CONTAINS KEY 'x' AND f CONTAINS 1 AND g LIKE 'a%' AND m['k'] = 1 AND h != 3 AND i NOT IN (1) AND j BETWEEN 1 AND 5 GROUP BY a, floor(ts, 1h) ORDER BY c DESC, d ASC PER PARTITION LIMIT 2 LIMIT ? ALLOW FILTERING`},
	{KindSelect, `SELECT id FROM t ORDER BY vec ANN OF [0.1, -0.2, 3.5e-1] LIMIT 3`, `SELECT id FROM t ORDER BY vec ANN OF [0.1, -0.2, 3.5e-1] LIMIT 3`},
	{KindSelect, `SELECT (a - b) * c, - a, a - -1 FROM t WHERE k = (1, 2) AND (c) IN ()`, `SELECT (a - b) * c, - a, a - -1 FROM t WHERE k = (1, 2) AND (c) IN ()`},
	{KindSelect, `SELECT * FROM t WHERE expr(ks.idx, 'name:foo*') AND k = 1`, `SELECT * FROM t WHERE expr(ks.idx, 'name:foo*') AND k = 1`},
	{KindSelect, `SELECT expr FROM t WHERE expr = 1`, `SELECT expr FROM t WHERE expr = 1`},
	{KindUse, `USE "MyKeyspace"`, `USE "MyKeyspace"`},
	{KindUse, `use ks;`, `USE ks`},
}

func TestParseStatements(t *testing.T) {
	seen := map[Kind]bool{}
	for _, tc := range parseCases {
		st, err := Parse(tc.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		seen[st.Kind()] = true
		if st.Kind() != tc.kind {
			t.Errorf("Parse(%q).Kind() = %q, want %q", tc.in, st.Kind(), tc.kind)
		}
		got, err := roundTrip(st)
		if got != tc.want {
			t.Errorf("Parse(%q).String()\n got: %s\nwant: %s", tc.in, got, tc.want)
			continue
		}
		if err != nil {
			t.Errorf("round trip of %q: %v", tc.in, err)
		}
	}
	for _, k := range Kinds() {
		if !seen[k] {
			t.Errorf("no parse case covers %s", k)
		}
	}
}

func TestParseFields(t *testing.T) {
	st, err := Parse(`CREATE TABLE Ks.Events (Tenant text, "Day" date, ts timeuuid, payload blob, PRIMARY KEY ((tenant, "Day"), ts)) WITH CLUSTERING ORDER BY (ts DESC) AND gc_grace_seconds = 3600 AND compaction = {'class': 'TimeWindowCompactionStrategy', 'compaction_window_size': '1'}`)
	if err != nil {
		t.Fatal(err)
	}
	ct := st.(*CreateTable)
	if ct.Name.Keyspace == nil || ct.Name.Keyspace.Name != "ks" || ct.Name.Name.Name != "events" {
		t.Errorf("name = %v, want ks.events (unquoted names fold to lower case)", ct.Name)
	}
	if ct.Columns[1].Name.Name != "Day" || !ct.Columns[1].Name.Quoted {
		t.Errorf("quoted column = %+v, want Day kept as written", ct.Columns[1].Name)
	}
	if len(ct.PartitionKey) != 2 || ct.PartitionKey[0].Name != "tenant" || ct.PartitionKey[1].Name != "Day" {
		t.Errorf("partition key = %v", ct.PartitionKey)
	}
	if len(ct.Clustering) != 1 || ct.Clustering[0].Name != "ts" || !ct.ClusteringOrder[0].Desc {
		t.Errorf("clustering = %v order %v", ct.Clustering, ct.ClusteringOrder)
	}
	if n, ok := mustProp(t, ct.Options, "gc_grace_seconds").NumberValue(); !ok || n != 3600 {
		t.Errorf("gc_grace_seconds = %v %v", n, ok)
	}
	m, ok := mustProp(t, ct.Options, "compaction").MapValue()
	if !ok || m["class"] != "TimeWindowCompactionStrategy" || m["compaction_window_size"] != "1" {
		t.Errorf("compaction = %v %v", m, ok)
	}
	if ct.Columns[3].Type.Name != "blob" {
		t.Errorf("payload type = %v", ct.Columns[3].Type)
	}
	if st.Position() != (Pos{Offset: 0, Line: 1, Col: 1}) {
		t.Errorf("position = %v", st.Position())
	}

	st, err = Parse(`CREATE INDEX ON t (keys(m)) USING 'sai'`)
	if err != nil {
		t.Fatal(err)
	}
	ci := st.(*CreateIndex)
	if ci.Name != nil || ci.Target() != (IndexTarget{Column: ci.Target().Column, Kind: "keys"}) || ci.Target().Column.Name != "m" || ci.Using != "sai" {
		t.Errorf("index = %+v", ci)
	}

	st, err = Parse(`UPDATE t SET a = ?, b = :name WHERE k = ? AND c IN ? IF d = ?`)
	if err != nil {
		t.Fatal(err)
	}
	up := st.(*Update)
	markers := []*BindMarker{
		up.Assignments[0].Value.(*BindMarker), up.Assignments[1].Value.(*BindMarker),
		up.Where[0].Value.(*BindMarker), up.Where[1].Value.(*BindMarker), up.Conditions[0].Value.(*BindMarker),
	}
	for i, m := range markers {
		if m.Index != i {
			t.Errorf("marker %d has index %d", i, m.Index)
		}
	}
	if markers[1].Name != "name" {
		t.Errorf("named marker = %q", markers[1].Name)
	}

	st, err = Parse(`BEGIN BATCH INSERT INTO t (a) VALUES (?); UPDATE t SET b = ? WHERE a = ?; APPLY BATCH`)
	if err != nil {
		t.Fatal(err)
	}
	last := st.(*Batch).Statements[1].(*Update).Where[0].Value.(*BindMarker)
	if last.Index != 2 {
		t.Errorf("markers number across a batch: last index = %d, want 2", last.Index)
	}

	st, err = Parse(`INSERT INTO t (a, b, c, d) VALUES ('it''s', $$x'y$$, -12, 1.5)`)
	if err != nil {
		t.Fatal(err)
	}
	vals := st.(*Insert).Values
	wantLits := []Literal{{Type: LitString, Text: "it's"}, {Type: LitString, Text: "x'y", Dollar: true}, {Type: LitInteger, Text: "-12"}, {Type: LitFloat, Text: "1.5"}}
	for i, w := range wantLits {
		l := vals[i].(*Literal)
		if l.Type != w.Type || l.Text != w.Text || l.Dollar != w.Dollar {
			t.Errorf("value %d = %+v, want %+v", i, *l, w)
		}
	}
}

func mustProp(t *testing.T, props []Property, name string) Property {
	t.Helper()
	p, ok := FindProperty(props, name)
	if !ok {
		t.Fatalf("no property %q in %v", name, props)
	}
	return p
}

func TestCaseFolding(t *testing.T) {
	tests := []struct{ in, table, col string }{
		{`SeLeCt MyCol FROM MyTable`, "mytable", "mycol"},
		{`select "MyCol" from "MyTable"`, "MyTable", "MyCol"},
		{`SELECT "mycol" FROM "mytable"`, "mytable", "mycol"},
		{`SELECT key FROM type`, "type", "key"}, // non-reserved keywords as names
		{`SELECT "select" FROM "FROM"`, "FROM", "select"},
	}
	for _, tc := range tests {
		st, err := Parse(tc.in)
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		s := st.(*Select)
		if s.Table.Name.Name != tc.table {
			t.Errorf("%s: table %q, want %q", tc.in, s.Table.Name.Name, tc.table)
		}
		if c := s.Selectors[0].Expr.(*ColumnRef).Name.Name; c != tc.col {
			t.Errorf("%s: column %q, want %q", tc.in, c, tc.col)
		}
	}
	a, _ := Parse(`CREATE TABLE Foo (A int PRIMARY KEY)`)
	b, _ := Parse(`create table "foo" ("a" int primary key)`)
	if !Equal(a, b) {
		t.Error(`Foo and "foo" should name the same table`)
	}
	c, _ := Parse(`CREATE TABLE "Foo" (a int PRIMARY KEY)`)
	if Equal(a, c) {
		t.Error(`"Foo" and Foo must differ`)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{`CREATE TABLE t foo`, `line 1:16: expected "(" after table name, found "foo"`},
		{`CREATE TABLE t (k int PRIMARY KEY) WITH compaction = {'class': 'LeveledCompactionStrategy', 'class': 'SizeTieredCompactionStrategy'}`, `line 1:93: multiple definition for property class, found "class"`},
		{`CREATE AGGREGATE ks.a(int) SFUNC ks.s STYPE int`, `line 1:34: expected state function name without a keyspace: it is the aggregate's keyspace's, found "ks."`},
		{`CREATE AGGREGATE a(int) SFUNC s STYPE int FINALFUNC other.f`, `line 1:53: expected final function name without a keyspace: it is the aggregate's keyspace's, found "other."`},
		{"CREATE TABLE t (\n  a int,\n  b frozen<list<int>\n)", `line 4:1: expected ">" to close frozen<...>, found ")"`},
		{`CREATE TABLE t (a int PRIMARY KEY, b int PRIMARY KEY)`, `line 1:36: multiple primary keys: PRIMARY KEY given twice, found "b"`},
		{`SELEC * FROM t`, `line 1:1: expected a statement (SELECT, INSERT, UPDATE, DELETE, BEGIN BATCH, CREATE, ALTER, DROP, TRUNCATE, USE, GRANT, REVOKE, LIST, ADD IDENTITY), found "SELEC"`},
		{`SELECT * FROM t WHERE`, `line 1:22: expected column name in WHERE, found end of statement`},
		{`CREATE TABLE table (a int PRIMARY KEY)`, `line 1:14: expected table name (TABLE is a reserved keyword; double-quote it to use it as a name), found "table"`},
		{`INSERT INTO t (a) VALUES (1) extra`, `line 1:30: expected end of statement, found "extra"`},
		{`CREATE KEYSPACE ks`, `line 1:19: expected WITH after keyspace name (replication is required), found end of statement`},
		{`SELECT 'abc FROM t`, `line 1:8: unterminated string`},
		{`SELECT a FROM t WHERE a = 1 # x`, `line 1:29: unexpected character, found "#"`},
		{`CREATE TABLE t (a int) WITH CLUSTERING ORDER BY (a)`, `line 1:51: expected ASC or DESC after clustering column a, found ")"`},
		{`CREATE TYPE int (a int)`, `line 1:13: invalid user type name: int is a native or reserved type name, found "int"`},
		{`ALTER TABLE t FROB x`, `line 1:15: expected ADD, DROP, ALTER, RENAME or WITH after table name, found "FROB"`},
		{`UPDATE t SET a == 1 WHERE k = 1`, `line 1:17: expected a column, a value or a function call, found "="`},
		{`INSERT INTO t (a) VALUES (b)`, `line 1:27: expected a value (a constant, a bind marker, a collection or a function call), found "b"`},
		{`BEGIN BATCH SELECT * FROM t APPLY BATCH`, `line 1:13: expected INSERT, UPDATE, DELETE or APPLY BATCH in batch, found "SELECT"`},
		{`CREATE TABLE t (a int b text)`, `line 1:23: expected "," or ")" after column a, found "b"`},
		{`CREATE TABLE t (a int, PRIMARY KEY (a) b int)`, `line 1:40: expected "," or ")" after the primary key, found "b"`},
		{`CREATE TABLE t (a list, b int)`, `line 1:23: expected "<" after list, found ","`},
		{`CREATE TABLE t (a ks.map)`, `line 1:22: expected a user type name, not the type name map, found "map"`},
		{`CREATE TYPE map (a int)`, `line 1:13: invalid user type name: map is a native or reserved type name, found "map"`},
		{"CREATE TABLE a (k int PRIMARY KEY)\nCREATE TABLE b (k int PRIMARY KEY)", `line 2:1: expected end of statement (is a ";" missing before CREATE?), found "CREATE"`},
		{`CREATE TABLE t (k int PRIMARY KEY) WITH comment = "hello"`, `line 1:51: expected a value; double quotes make an identifier, strings take single quotes, found "\"hello\""`},
		{`CREATE TABLE t (a vector<float, x>)`, `line 1:33: expected vector dimension (a positive integer), found "x"`},
		{`CREATE TABLE t (k int PRIMARY KEY) WITH comment = [1]`, `line 1:51: expected an option value (a constant or a map)`},
		// A long name is cut in the excerpt like any other token.
		{`CREATE TABLE t (a int PRIMARY KEY, order_line_discount_applied_at_checkout_time int PRIMARY KEY)`,
			`line 1:36: multiple primary keys: PRIMARY KEY given twice, found "order_line_discount_applied_at_checkout_..."`},
	}
	deep := "INSERT INTO t (a) VALUES (" + strings.Repeat("[", 300) + strings.Repeat("]", 300) + ")"
	tests = append(tests, struct{ in, want string }{deep, `line 1:227: nested too deeply, found "["`})
	deepType := "CREATE TABLE t (a " + strings.Repeat("list<", 300) + "int" + strings.Repeat(">", 300) + ")"
	tests = append(tests, struct{ in, want string }{deepType, `line 1:1019: nested too deeply, found "list"`})
	deepNeg := "INSERT INTO t (a) VALUES (" + strings.Repeat("- ", 300) + "1)"
	tests = append(tests, struct{ in, want string }{deepNeg, `line 1:427: nested too deeply, found "-"`})
	deepRel := "SELECT * FROM t WHERE " + strings.Repeat("(", 300) + "a = 1" + strings.Repeat(")", 300)
	tests = append(tests, struct{ in, want string }{deepRel, `line 1:223: nested too deeply, found "("`})
	for _, tc := range tests {
		_, err := Parse(tc.in)
		if err == nil {
			t.Errorf("Parse(%q) succeeded, want error %q", tc.in, tc.want)
			continue
		}
		if _, ok := err.(*SyntaxError); !ok {
			t.Errorf("Parse(%q) error type %T, want *SyntaxError", tc.in, err)
		}
		if err.Error() != tc.want {
			t.Errorf("Parse(%q) error\n got: %s\nwant: %s", tc.in, err, tc.want)
		}
	}
}

func TestParseScriptPositions(t *testing.T) {
	src := "\uFEFF-- header\r\nCREATE TABLE a (k int PRIMARY KEY);\r\n\r\n  /* c */ INSERT INTO a (k) VALUES (1);\nSELECT * FROM a WHERE k = 'ü' AND j = ?;"
	stmts, err := ParseScript([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(stmts) != 3 {
		t.Fatalf("got %d statements", len(stmts))
	}
	wantPos := []Pos{{Offset: 14, Line: 2, Col: 1}, {Offset: 63, Line: 4, Col: 11}, {Offset: 93, Line: 5, Col: 1}}
	for i, st := range stmts {
		if st.Position() != wantPos[i] {
			t.Errorf("statement %d at %v (offset %d), want %v (offset %d)", i, st.Position(), st.Position().Offset, wantPos[i], wantPos[i].Offset)
		}
	}
	sel := stmts[2].(*Select)
	// 'ü' is one column but two bytes: the marker after it is at column 39.
	if got := sel.Where[1].Value.Position(); got.Line != 5 || got.Col != 39 || src[got.Offset] != '?' {
		t.Errorf("marker at %v offset %d", got, got.Offset)
	}

	_, err = ParseScript([]byte("CREATE TABLE a (k int PRIMARY KEY);\nCREATE TABLE b (k int PRIMARY KEY,, v int);"))
	if err == nil || err.Error() != `line 2:35: expected column name, found ","` {
		t.Errorf("error = %v", err)
	}
}
