package schema

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/cqltrack/cqltrack/engine/cql"
)

const base = `
CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};
USE ks;
CREATE TYPE addr (street text, tags set<text>);
CREATE TYPE pt (x int, y int);
CREATE TABLE t (k int, c int, v text, s text static, l list<int>, PRIMARY KEY (k, c));
CREATE TABLE cnt (k int PRIMARY KEY, n counter);
CREATE INDEX t_v ON t (v);
CREATE MATERIALIZED VIEW mv AS SELECT k, c, v FROM t
    WHERE k IS NOT NULL AND c IS NOT NULL AND v IS NOT NULL PRIMARY KEY (v, k, c);
CREATE TABLE u (k int PRIMARY KEY, a frozen<addr>, x int, y int);
CREATE FUNCTION f(a int, b int) CALLED ON NULL INPUT RETURNS int LANGUAGE java AS 'return a;';
CREATE AGGREGATE agg(int) SFUNC f STYPE int;
`

func baseCatalog(t *testing.T) *Catalog {
	c := newTestCatalog(V5_0)
	mustRun(t, c, "", base)
	return c
}

func TestApplyRejects(t *testing.T) {
	cases := []struct {
		name    string
		src     string // the last statement must fail
		noUse   bool   // run without a session keyspace
		code    ErrorCode
		msg     string
		errKs   string
		errTbl  string
		version Version
	}{
		// keyspaces
		{name: "keyspace exists", src: `CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
			code: CodeAlreadyExists, msg: `Cannot add existing keyspace "ks"`, errKs: "ks"},
		{name: "simple strategy without factor", src: `CREATE KEYSPACE k2 WITH replication = {'class': 'SimpleStrategy'}`,
			code: CodeConfig, msg: "SimpleStrategy requires a replication_factor strategy option."},
		{name: "unknown strategy", src: `CREATE KEYSPACE k2 WITH replication = {'class': 'FooStrategy', 'replication_factor': 1}`,
			code: CodeConfig, msg: "Unable to find replication strategy class 'org.apache.cassandra.locator.FooStrategy'"},
		{name: "non-numeric factor", src: `CREATE KEYSPACE k2 WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 'three'}`,
			code: CodeConfig, msg: "Replication factor must be numeric; found three"},
		{name: "negative factor", src: `CREATE KEYSPACE k2 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': -1}`,
			code: CodeConfig, msg: "Replication factor must be non-negative; found -1"},
		{name: "simple strategy with datacenter", src: `CREATE KEYSPACE k2 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1, 'dc1': 2}`,
			code: CodeConfig, msg: "Unrecognized strategy option {dc1} passed to SimpleStrategy for keyspace k2"},
		{name: "local strategy", src: `CREATE KEYSPACE k2 WITH replication = {'class': 'LocalStrategy'}`,
			code: CodeConfig, msg: "Unable to use given strategy class: LocalStrategy is reserved for internal use."},
		{name: "missing replication", src: `CREATE KEYSPACE k2 WITH durable_writes = true`,
			code: CodeConfig, msg: "Missing mandatory option 'replication'"},
		{name: "unknown keyspace property", src: `CREATE KEYSPACE k2 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1} AND speed = 3`,
			code: CodeSyntax, msg: "Unknown property 'speed'"},
		{name: "bad keyspace name", src: `CREATE KEYSPACE "bad-name" WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
			code: CodeInvalid, msg: `Keyspace name must not be empty, more than 48 characters long, or contain non-alphanumeric-underscore characters (got "bad-name")`},
		{name: "drop unknown keyspace", src: `DROP KEYSPACE nope`, code: CodeInvalid, msg: "Keyspace 'nope' doesn't exist"},
		{name: "drop system keyspace", src: `DROP KEYSPACE system`, code: CodeUnauthorized, msg: "system keyspace is not user-modifiable."},
		{name: "drop system keyspace if exists", src: `DROP KEYSPACE IF EXISTS system`, code: CodeUnauthorized, msg: "system keyspace is not user-modifiable."},
		{name: "table in system keyspace", src: `CREATE TABLE system.t (k int PRIMARY KEY)`, code: CodeUnauthorized, msg: "system keyspace is not user-modifiable."},
		{name: "index on system table", src: `CREATE INDEX ON system_schema.tables (comment)`, code: CodeUnauthorized, msg: "system_schema keyspace is not user-modifiable."},
		{name: "alter system keyspace", src: `ALTER KEYSPACE system_auth WITH durable_writes = false`, code: CodeUnauthorized, msg: "system_auth keyspace is not user-modifiable."},

		// tables
		{name: "table exists", src: `CREATE TABLE t (k int PRIMARY KEY)`, code: CodeAlreadyExists,
			msg: `Cannot add already existing table "t" to keyspace "ks"`, errKs: "ks", errTbl: "t"},
		{name: "table named like a view", src: `CREATE TABLE mv (k int PRIMARY KEY)`, code: CodeAlreadyExists,
			msg: `Cannot add already existing table "mv" to keyspace "ks"`, errKs: "ks", errTbl: "mv"},
		{name: "no session keyspace", src: `CREATE TABLE x (k int PRIMARY KEY)`, noUse: true, code: CodeInvalid,
			msg: "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename"},
		{name: "table in unknown keyspace", src: `CREATE TABLE nope.x (k int PRIMARY KEY)`, code: CodeInvalid, msg: "Keyspace 'nope' doesn't exist"},
		{name: "unknown type", src: `CREATE TABLE x (k int PRIMARY KEY, a frozen<nope>)`, code: CodeInvalid, msg: "Unknown type ks.nope"},
		{name: "type from another keyspace", src: `CREATE TABLE x (k int PRIMARY KEY, a frozen<other.addr>)`, code: CodeInvalid,
			msg: "Statement on keyspace ks cannot refer to a user type in keyspace other; user types can only be used in the keyspace they are defined in"},
		{name: "collection in primary key", src: `CREATE TABLE x (k list<int> PRIMARY KEY, v int)`, code: CodeInvalid,
			msg: "Invalid non-frozen collection type list<int> for PRIMARY KEY column 'k'"},
		{name: "non-frozen udt in primary key", src: `CREATE TABLE x (k int, p pt, PRIMARY KEY (k, p))`, code: CodeInvalid,
			msg: "Invalid non-frozen user-defined type pt for PRIMARY KEY column 'p'"},
		{name: "non-frozen udt with collections", src: `CREATE TABLE x (k int PRIMARY KEY, a addr)`, code: CodeInvalid,
			msg: "Non-frozen UDTs with nested non-frozen collections are not supported"},
		{name: "counter mixed", src: `CREATE TABLE x (k int PRIMARY KEY, n counter, v int)`, code: CodeInvalid,
			msg: "Cannot mix counter and non counter columns in the same table"},
		{name: "counter key", src: `CREATE TABLE x (k counter PRIMARY KEY, n counter)`, code: CodeInvalid,
			msg: "counter type is not supported for PRIMARY KEY column 'k'"},
		{name: "duration key", src: `CREATE TABLE x (k int, d duration, PRIMARY KEY (k, d))`, code: CodeInvalid,
			msg: "duration type is not supported for PRIMARY KEY column 'd'"},
		{name: "unknown key column", src: `CREATE TABLE x (k int, v int, PRIMARY KEY (k, z))`, code: CodeInvalid,
			msg: "Unknown column 'z' referenced in PRIMARY KEY for table 'x'"},
		{name: "duplicate column", src: `CREATE TABLE x (k int PRIMARY KEY, v int, v text)`, code: CodeInvalid,
			msg: "Duplicate column 'v' declaration for table 'x'"},
		{name: "static without clustering", src: `CREATE TABLE x (k int PRIMARY KEY, s int static)`, code: CodeInvalid,
			msg: "Static columns are only useful (and thus allowed) if the table has at least one clustering column"},
		{name: "clustering order on partition key", src: `CREATE TABLE x (k int, c int, PRIMARY KEY (k, c)) WITH CLUSTERING ORDER BY (k DESC)`,
			code: CodeInvalid, msg: "Missing CLUSTERING ORDER for column c"},
		{name: "clustering order out of order", src: `CREATE TABLE x (k int, a int, b int, PRIMARY KEY (k, a, b)) WITH CLUSTERING ORDER BY (b DESC, a ASC)`,
			code: CodeInvalid, msg: "The order of columns in the CLUSTERING ORDER directive must match that of the clustering columns (a must appear before b)"},
		{name: "nested non-frozen collection", src: `CREATE TABLE x (k int PRIMARY KEY, l list<list<int>>)`, code: CodeInvalid,
			msg: "Non-frozen collections are not allowed inside collections: list<list<int>>"},
		{name: "counter in collection", src: `CREATE TABLE x (k int PRIMARY KEY, l list<counter>)`, code: CodeInvalid,
			msg: "Counters are not allowed inside collections: list<counter>"},
		{name: "unknown table option", src: `CREATE TABLE x (k int PRIMARY KEY) WITH speed = 'fast'`, code: CodeSyntax, msg: "Unknown property 'speed'"},
		{name: "3.11 option on 5.0", src: `CREATE TABLE x (k int PRIMARY KEY) WITH read_repair_chance = 0.1`, code: CodeSyntax,
			msg: "Unknown property 'read_repair_chance'"},
		{name: "4.0 option on 3.11", version: V3_11, src: `CREATE TABLE x (k int PRIMARY KEY) WITH read_repair = 'NONE'`, code: CodeSyntax,
			msg: "Unknown property 'read_repair'"},
		{name: "negative gc grace", src: `CREATE TABLE x (k int PRIMARY KEY) WITH gc_grace_seconds = -1`, code: CodeConfig,
			msg: "gc_grace_seconds must be greater than or equal to 0 (got -1)"},
		{name: "non-integer option", src: `CREATE TABLE x (k int PRIMARY KEY) WITH gc_grace_seconds = 'soon'`, code: CodeSyntax,
			msg: "Invalid integer value soon for 'gc_grace_seconds'"},
		{name: "unknown compaction", src: `CREATE TABLE x (k int PRIMARY KEY) WITH compaction = {'class': 'FastCompaction'}`, code: CodeConfig,
			msg: "Unable to find compaction strategy class 'FastCompaction'"},
		{name: "compaction sub-option", src: `CREATE TABLE x (k int PRIMARY KEY) WITH compaction = {'class': 'LeveledCompactionStrategy', 'bucket_high': '2'}`,
			code: CodeConfig, msg: "Properties specified [bucket_high] are not understood by LeveledCompactionStrategy"},
		{name: "chunk length", src: `CREATE TABLE x (k int PRIMARY KEY) WITH compression = {'class': 'LZ4Compressor', 'chunk_length_in_kb': '3'}`,
			code: CodeConfig, msg: "chunk_length_in_kb must be a power of 2"},
		{name: "caching keys", src: `CREATE TABLE x (k int PRIMARY KEY) WITH caching = {'keys': 'SOME'}`, code: CodeConfig,
			msg: "Invalid value 'SOME' for caching sub-option 'keys': only 'ALL' and 'NONE' are allowed"},
		{name: "map option given a string", src: `CREATE TABLE x (k int PRIMARY KEY) WITH caching = 'all'`, code: CodeSyntax,
			msg: "Invalid value for property 'caching'. It should be a map."},
		{name: "ttl on counters", src: `CREATE TABLE x (k int PRIMARY KEY, n counter) WITH default_time_to_live = 5`, code: CodeInvalid,
			msg: "Cannot set default_time_to_live on a table with counters"},
		{name: "duplicate property", src: `CREATE TABLE x (k int PRIMARY KEY) WITH comment = 'a' AND comment = 'b'`, code: CodeSyntax,
			msg: "Multiple definitions for property comment"},

		// alter table
		{name: "alter unknown table", src: `ALTER TABLE nope ADD x int`, code: CodeInvalid, msg: "Table 'ks.nope' doesn't exist"},
		{name: "add existing column", src: `ALTER TABLE t ADD v int`, code: CodeInvalid, msg: "Column with name 'v' already exists"},
		{name: "drop key column", src: `ALTER TABLE t DROP k`, code: CodeInvalid, msg: "Cannot drop PRIMARY KEY column k"},
		{name: "drop clustering column", src: `ALTER TABLE t DROP c`, code: CodeInvalid, msg: "Cannot drop PRIMARY KEY column c"},
		{name: "drop unknown column", src: `ALTER TABLE t DROP nope`, code: CodeInvalid, msg: "Column nope was not found in table 'ks.t'"},
		{name: "drop indexed column", src: `ALTER TABLE t DROP v`, code: CodeInvalid,
			msg: "Cannot drop column v because it has dependent secondary indexes (t_v)"},
		{name: "drop column under a view", src: `ALTER TABLE t DROP l`, code: CodeInvalid,
			msg: "Cannot drop column l on base table t with materialized views"},
		{name: "rename regular column", src: `ALTER TABLE u RENAME x TO z`, code: CodeInvalid, msg: "Cannot rename non PRIMARY KEY column x"},
		{name: "rename onto existing", src: `ALTER TABLE u RENAME k TO x`, code: CodeInvalid,
			msg: "Cannot rename column k to x in table 'ks.u'; another column with that name already exists"},
		{name: "alter column type", src: `ALTER TABLE u ALTER x TYPE bigint`, code: CodeInvalid, msg: "Altering column types is no longer supported"},
		{name: "non-counter in counter table", src: `ALTER TABLE cnt ADD v int`, code: CodeConfig,
			msg: `Cannot have a non counter column ("v") in a counter table`},
		{name: "counter in normal table", src: `ALTER TABLE u ADD n counter`, code: CodeConfig,
			msg: `Cannot have a counter column ("n") in a non counter table`},
		{name: "alter table on a view", src: `ALTER TABLE mv WITH comment = 'x'`, code: CodeInvalid,
			msg: "Cannot use ALTER TABLE on a materialized view; use ALTER MATERIALIZED VIEW instead"},
		{name: "zero gc grace under a view", src: `ALTER TABLE t WITH gc_grace_seconds = 0`, code: CodeInvalid,
			msg: "Cannot alter gc_grace_seconds of the base table of a materialized view to 0, since this value is used to TTL undelivered updates. Setting gc_grace_seconds too low might cause undelivered updates to expire before being replayed."},
		{name: "re-add dropped column with another type", src: "ALTER TABLE u DROP x;\nALTER TABLE u ADD x text", code: CodeInvalid,
			msg: "Cannot re-add previously dropped column 'x' of type text, incompatible with previous type int"},
		{name: "re-add dropped column as static", src: "CREATE TABLE st (k int, c int, s text static, PRIMARY KEY (k, c));\nALTER TABLE st DROP s;\nALTER TABLE st ADD s text", code: CodeInvalid,
			msg: "Cannot re-add previously dropped column 's' of kind REGULAR, incompatible with previous kind STATIC"},
		{name: "alter table id", src: `ALTER TABLE u WITH id = '5a1c395e-b41f-11e5-9f22-ba0be0483c18'`, code: CodeConfig, msg: "Cannot alter table id."},

		// drop table
		{name: "drop view as table", src: `DROP TABLE mv`, code: CodeInvalid,
			msg: "Cannot use DROP TABLE on a materialized view. Please use DROP MATERIALIZED VIEW instead."},
		{name: "drop table with views", src: `DROP TABLE t`, code: CodeInvalid, msg: "Cannot drop a table when materialized views still depend on it (mv)"},
		{name: "drop unknown table", src: `DROP TABLE nope`, code: CodeInvalid, msg: "Table 'ks.nope' doesn't exist"},
		{name: "drop table names its views in order", src: "CREATE TABLE o (k int PRIMARY KEY, v int);\n" +
			"CREATE MATERIALIZED VIEW o_mv AS SELECT k, v FROM o WHERE k IS NOT NULL AND v IS NOT NULL PRIMARY KEY (v, k);\n" +
			"CREATE MATERIALIZED VIEW a_mv AS SELECT k, c FROM t WHERE k IS NOT NULL AND c IS NOT NULL PRIMARY KEY (c, k);\n" +
			"DROP TABLE t", code: CodeInvalid, msg: "Cannot drop a table when materialized views still depend on it (a_mv, mv)"},

		// types
		{name: "type exists", src: `CREATE TYPE addr (a int)`, code: CodeInvalid, msg: "A user type with name 'addr' already exists"},
		{name: "duplicate field", src: `CREATE TYPE x (a int, a text)`, code: CodeInvalid, msg: "Duplicate field name a in type x"},
		{name: "non-frozen udt field", src: `CREATE TYPE x (p pt)`, code: CodeInvalid, msg: "A user type cannot contain non-frozen UDTs"},
		{name: "self-referencing type", src: `CREATE TYPE x (p frozen<x>)`, code: CodeInvalid, msg: "Unknown type ks.x"},
		{name: "add existing field", src: `ALTER TYPE addr ADD street text`, code: CodeInvalid,
			msg: "Cannot add field street to type ks.addr: a field with name street already exists"},
		{name: "alter field type", src: `ALTER TYPE addr ALTER street TYPE blob`, code: CodeInvalid, msg: "Altering field types is no longer supported"},
		{name: "alter unknown type", src: `ALTER TYPE nope ADD a int`, code: CodeInvalid, msg: "Type ks.nope doesn't exist"},
		{name: "rename unknown field", src: `ALTER TYPE addr RENAME nope TO other`, code: CodeInvalid, msg: "Unkown field nope in user type ks.addr"},
		{name: "type used by a table", src: `DROP TYPE addr`, code: CodeInvalid, msg: "Cannot drop user type 'ks.addr' as it is still used by tables u"},
		{name: "type used by a type", src: "CREATE TYPE line (a frozen<pt>, b frozen<pt>);\nDROP TYPE pt", code: CodeInvalid,
			msg: "Cannot drop user type 'ks.pt' as it is still used by user types line"},
		{name: "type used by a function", src: "CREATE FUNCTION g(p pt) CALLED ON NULL INPUT RETURNS int LANGUAGE java AS 'return 1;';\nDROP TYPE pt",
			code: CodeInvalid, msg: "Cannot drop user type 'ks.pt' as it is still used by functions ks.g"},
		{name: "drop unknown type", src: `DROP TYPE nope`, code: CodeInvalid, msg: "Type 'ks.nope' doesn't exist"},
		{name: "type used by tables, in order", src: "CREATE TABLE pb (k int PRIMARY KEY, p frozen<pt>);\nCREATE TABLE pa (k int PRIMARY KEY, p frozen<pt>);\nDROP TYPE pt",
			code: CodeInvalid, msg: "Cannot drop user type 'ks.pt' as it is still used by tables pa, pb"},
		{name: "type in partition keys, in order", src: "CREATE TABLE pb (p frozen<pt> PRIMARY KEY);\nCREATE TABLE pc (k int PRIMARY KEY, p frozen<pt>);\n" +
			"CREATE TABLE pa (p frozen<pt>, k int, PRIMARY KEY ((k, p)));\nALTER TYPE pt ADD z int", code: CodeInvalid,
			msg: "Cannot add new field z of type int to user type ks.pt as the type is being used in partition key by the following tables: ks.pa, ks.pb"},

		// indexes
		{name: "index exists", src: `CREATE INDEX t_v ON t (c)`, code: CodeInvalid, msg: "Index 't_v' already exists"},
		{name: "index name taken after its table changed", src: "ALTER TABLE t WITH comment = 'changed';\nCREATE TRIGGER tr ON t USING 'org.example.Trigger';\nCREATE INDEX t_v ON u (x)",
			code: CodeInvalid, msg: "Index 't_v' already exists"},
		{name: "index on unknown column", src: `CREATE INDEX ON t (nope)`, code: CodeInvalid, msg: "Column 'nope' doesn't exist"},
		{name: "index on unknown table", src: `CREATE INDEX ON nope (v)`, code: CodeInvalid, msg: "Table 'nope' doesn't exist"},
		{name: "index on counter table", src: `CREATE INDEX ON cnt (n)`, code: CodeInvalid, msg: "Secondary indexes on counter tables aren't supported"},
		{name: "index on view", src: `CREATE INDEX ON mv (k)`, code: CodeInvalid, msg: "Secondary indexes on materialized views aren't supported"},
		{name: "duplicate index", src: `CREATE INDEX ON t (v)`, code: CodeInvalid, msg: "Index t_v_idx is a duplicate of existing index t_v"},
		{name: "index on only partition key", src: `CREATE INDEX ON u (k)`, code: CodeInvalid,
			msg: "Cannot create secondary index on the only partition key column k"},
		{name: "keys index on a list", src: `CREATE INDEX ON t (KEYS(l))`, code: CodeInvalid, msg: "Cannot create index on keys of column l with non-map type"},
		{name: "values index on frozen collection", src: "CREATE TABLE fz (k int PRIMARY KEY, l frozen<list<int>>);\nCREATE INDEX ON fz (l)",
			code: CodeInvalid, msg: "Cannot create values() index on frozen column l. Frozen collections are immutable and must be fully indexed by using the 'full(l)' modifier"},
		{name: "full index on non-frozen", src: `CREATE INDEX ON t (FULL(l))`, code: CodeInvalid, msg: "full() indexes can only be created on frozen collections"},
		{name: "drop unknown index", src: `DROP INDEX nope`, code: CodeInvalid, msg: "Index 'ks.nope' doesn't exist'"},

		// views
		{name: "view without not null", src: `CREATE MATERIALIZED VIEW mv2 AS SELECT k, c, v FROM t WHERE k IS NOT NULL PRIMARY KEY (k, c)`,
			code: CodeInvalid, msg: "Primary key columns c must be restricted with 'IS NOT NULL' or otherwise"},
		{name: "view on unknown table", src: `CREATE MATERIALIZED VIEW mv2 AS SELECT * FROM nope WHERE k IS NOT NULL PRIMARY KEY (k)`,
			code: CodeInvalid, msg: "Base table 'nope' doesn't exist"},
		{name: "view missing base key", src: `CREATE MATERIALIZED VIEW mv2 AS SELECT k, c, v FROM t WHERE v IS NOT NULL AND k IS NOT NULL PRIMARY KEY (v, k)`,
			code: CodeInvalid, msg: "Cannot create materialized view 'mv2' without primary key columns c from base table 't'"},
		{name: "view with two non-key columns", src: `CREATE MATERIALIZED VIEW mv2 AS SELECT * FROM u WHERE k IS NOT NULL AND x IS NOT NULL AND y IS NOT NULL PRIMARY KEY (x, y, k)`,
			code: CodeInvalid, msg: "Cannot include more than one non-primary key column in materialized view primary key (got x, y)"},
		{name: "view exists", src: `CREATE MATERIALIZED VIEW mv AS SELECT * FROM u WHERE k IS NOT NULL PRIMARY KEY (k)`,
			code: CodeAlreadyExists, msg: `Cannot add already existing table "mv" to keyspace "ks"`, errKs: "ks", errTbl: "mv"},
		{name: "view with static column", src: `CREATE MATERIALIZED VIEW mv2 AS SELECT k, c, s FROM t WHERE k IS NOT NULL AND c IS NOT NULL PRIMARY KEY (k, c)`,
			code: CodeInvalid, msg: "Cannot include static column 's' in materialized view 'mv2'"},
		{name: "view of all columns with a static one", src: `CREATE MATERIALIZED VIEW mv2 AS SELECT * FROM t WHERE k IS NOT NULL AND c IS NOT NULL PRIMARY KEY (k, c)`,
			code: CodeInvalid, msg: "Cannot include static column 's' in materialized view 'mv2'"},
		{name: "view key not selected", src: `CREATE MATERIALIZED VIEW mv2 AS SELECT k, c FROM t WHERE k IS NOT NULL AND c IS NOT NULL AND v IS NOT NULL PRIMARY KEY (v, k, c)`,
			code: CodeInvalid, msg: "Unknown column 'v' referenced in PRIMARY KEY for materialized view 'mv2'"},
		{name: "view selects unknown column", src: `CREATE MATERIALIZED VIEW mv2 AS SELECT k, nope FROM u WHERE k IS NOT NULL PRIMARY KEY (k)`,
			code: CodeInvalid, msg: "Undefined column name nope in table ks.u"},
		{name: "view filters a regular column", src: `CREATE MATERIALIZED VIEW mv2 AS SELECT * FROM u WHERE k IS NOT NULL AND x = 1 PRIMARY KEY (k)`,
			code: CodeInvalid, msg: "Non-primary key columns can only be restricted with 'IS NOT NULL' (got: x restricted illegally)"},
		{name: "view clustering order mismatch", src: `CREATE MATERIALIZED VIEW mv2 AS SELECT k, c, v FROM t WHERE k IS NOT NULL AND c IS NOT NULL AND v IS NOT NULL PRIMARY KEY (v, k, c) WITH CLUSTERING ORDER BY (c DESC)`,
			code: CodeInvalid, msg: "Clustering key columns must exactly match columns in CLUSTERING ORDER BY directive"},
		{name: "view in another keyspace", src: "CREATE KEYSPACE k3 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};\nCREATE MATERIALIZED VIEW k3.mv2 AS SELECT * FROM ks.u WHERE k IS NOT NULL PRIMARY KEY (k)",
			code: CodeInvalid, msg: "Cannot create a materialized view on a table in a different keyspace"},
		{name: "view with ttl", src: `CREATE MATERIALIZED VIEW mv2 AS SELECT * FROM u WHERE k IS NOT NULL PRIMARY KEY (k) WITH default_time_to_live = 10`,
			code: CodeInvalid, msg: "Cannot set default_time_to_live for a materialized view. Data in a materialized view always expire at the same time than the corresponding data in the parent table."},
		{name: "view on counters", src: `CREATE MATERIALIZED VIEW mv2 AS SELECT * FROM cnt WHERE k IS NOT NULL PRIMARY KEY (k)`,
			code: CodeInvalid, msg: "Materialized views are not supported on counter tables"},
		{name: "drop unknown view", src: `DROP MATERIALIZED VIEW nope`, code: CodeInvalid, msg: "Materialized view 'ks.nope' doesn't exist"},

		// functions, aggregates, triggers
		{name: "function exists", src: `CREATE FUNCTION f(a int, b int) CALLED ON NULL INPUT RETURNS int LANGUAGE java AS 'return b;'`,
			code: CodeInvalid, msg: "Function 'f' already exists"},
		{name: "replace and if not exists", src: `CREATE OR REPLACE FUNCTION IF NOT EXISTS f(a int, b int) CALLED ON NULL INPUT RETURNS int LANGUAGE java AS 'return b;'`,
			code: CodeInvalid, msg: "Cannot use both 'OR REPLACE' and 'IF NOT EXISTS' directives"},
		{name: "replace changes null handling", src: `CREATE OR REPLACE FUNCTION f(a int, b int) RETURNS NULL ON NULL INPUT RETURNS int LANGUAGE java AS 'return b;'`,
			code: CodeInvalid, msg: "Function 'f' must have RETURNS NULL ON NULL INPUT directive"},
		{name: "frozen argument", src: `CREATE FUNCTION g(a frozen<list<int>>) CALLED ON NULL INPUT RETURNS int LANGUAGE java AS 'return 1;'`,
			code: CodeInvalid, msg: "Argument 'frozen<list<int>>' cannot be frozen; remove frozen<> modifier from 'frozen<list<int>>'"},
		{name: "duplicate argument", src: `CREATE FUNCTION g(a int, a int) CALLED ON NULL INPUT RETURNS int LANGUAGE java AS 'return 1;'`,
			code: CodeInvalid, msg: "Duplicate argument names for given function g with argument names [a, a]"},
		{name: "aggregate needs initcond", src: "CREATE FUNCTION h(s int, v int) RETURNS NULL ON NULL INPUT RETURNS int LANGUAGE java AS 'return s;';\nCREATE AGGREGATE a2(int) SFUNC h STYPE int",
			code: CodeInvalid, msg: "Cannot create aggregate 'a2' without INITCOND because state function ks.h does not accept 'null' arguments"},
		{name: "function language", src: `CREATE FUNCTION g(a int) CALLED ON NULL INPUT RETURNS int LANGUAGE javascript AS 'a'`,
			code: CodeInvalid, msg: "Invalid language 'javascript' for function 'ks.g'"},
		{name: "function used by aggregate", src: `DROP FUNCTION f`, code: CodeInvalid,
			msg: "Function 'ks.f' is still referenced by aggregates ks.agg"},
		{name: "drop unknown function", src: `DROP FUNCTION nope`, code: CodeInvalid, msg: "Function 'ks.nope' doesn't exist"},
		{name: "ambiguous drop function", src: "CREATE FUNCTION g(a int) CALLED ON NULL INPUT RETURNS int LANGUAGE java AS 'return a;';\n" +
			"CREATE FUNCTION g(a text) CALLED ON NULL INPUT RETURNS int LANGUAGE java AS 'return 1;';\nDROP FUNCTION g",
			code: CodeInvalid, msg: "'DROP FUNCTION g' matches multiple function definitions; specify the argument types by issuing a statement like 'DROP FUNCTION g (type, type, ...)'. You can use cqlsh 'DESCRIBE FUNCTION g' command to find all overloads"},
		{name: "missing state function", src: `CREATE AGGREGATE a2(text) SFUNC f STYPE int`, code: CodeInvalid,
			msg: "State function ks.f(int, text) doesn't exist"},
		{name: "missing final function", src: `CREATE AGGREGATE a2(int) SFUNC f STYPE int FINALFUNC fin`, code: CodeInvalid,
			msg: "Final function ks.fin(int) doesn't exist"},
		{name: "aggregate exists", src: `CREATE AGGREGATE agg(int) SFUNC f STYPE int`, code: CodeInvalid, msg: "Aggregate 'agg' already exists"},
		{name: "drop unknown aggregate", src: `DROP AGGREGATE nope`, code: CodeInvalid, msg: "Aggregate 'ks.nope' doesn't exist"},
		{name: "trigger on unknown table", src: `CREATE TRIGGER tr ON nope USING 'org.example.T'`, code: CodeInvalid, msg: "Table 'nope' doesn't exist"},
		{name: "trigger exists", src: "CREATE TRIGGER tr ON u USING 'org.example.T';\nCREATE TRIGGER tr ON u USING 'org.example.T'",
			code: CodeInvalid, msg: "Trigger 'tr' already exists"},
		{name: "drop unknown trigger", src: `DROP TRIGGER nope ON t`, code: CodeInvalid, msg: "Trigger 'nope' on 'ks.t' doesn't exist"},
		// DROP INDEX and the trigger statements check no permission on a
		// system keyspace; execution refuses node-local and virtual ones.
		{name: "drop index in system", src: `DROP INDEX IF EXISTS system.foo`, code: CodeInvalid, msg: "System keyspace 'system' is not user-modifiable"},
		{name: "trigger on system table", src: `CREATE TRIGGER tr ON system_schema.tables USING 'org.example.T'`, code: CodeInvalid, msg: "System keyspace 'system_schema' is not user-modifiable"},
		{name: "drop trigger on virtual table", src: `DROP TRIGGER IF EXISTS tr ON system_views.clients`, code: CodeInvalid, msg: "Virtual keyspace 'system_views' is not user-modifiable"},
		{name: "drop index in replicated system keyspace", src: `DROP INDEX system_auth.foo`, code: CodeInvalid, msg: "Index 'system_auth.foo' doesn't exist'"},

		// statements without schema effect still check what they name
		{name: "insert into unknown table", src: `INSERT INTO nope (k) VALUES (1)`, code: CodeInvalid, msg: "unconfigured table nope"},
		{name: "insert into a view", src: `INSERT INTO mv (v, k, c) VALUES ('a', 1, 1)`, code: CodeInvalid, msg: "Cannot directly modify a materialized view"},
		{name: "truncate a view", src: `TRUNCATE mv`, code: CodeInvalid, msg: "Cannot TRUNCATE materialized view directly; must truncate base table instead"},
		{name: "insert into counters", src: `INSERT INTO cnt (k, n) VALUES (1, 1)`, code: CodeInvalid, msg: "INSERT statements are not allowed on counter tables, use UPDATE instead"},
		{name: "use unknown keyspace", src: `USE nope`, code: CodeInvalid, msg: "Keyspace 'nope' does not exist"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := tc.version
			if v == 0 {
				v = V5_0
			}
			c := newTestCatalog(v)
			mustRun(t, c, "", strings.ReplaceAll(base, "CREATE MATERIALIZED VIEW", "CREATE MATERIALIZED VIEW"))
			session := "ks"
			if tc.noUse {
				session = ""
			}
			stmts := strings.Split(tc.src, ";\n")
			for _, s := range stmts[:len(stmts)-1] {
				_, session, _ = run(c, session, s)
			}
			before := c.Render("ks")
			_, _, err := run(c, session, stmts[len(stmts)-1])
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want a schema error", err)
			}
			if e.Code != tc.code || e.Msg != tc.msg {
				t.Errorf("got %v %q\nwant %v %q", e.Code, e.Msg, tc.code, tc.msg)
			}
			if e.Keyspace != tc.errKs || e.Table != tc.errTbl {
				t.Errorf("error names %q.%q, want %q.%q", e.Keyspace, e.Table, tc.errKs, tc.errTbl)
			}
			if !e.Pos.IsValid() {
				t.Errorf("error has no position")
			}
			if after := c.Render("ks"); after != before {
				t.Errorf("a failed statement changed the catalog")
			}
		})
	}
}

func TestApplyVersionDifferences(t *testing.T) {
	// 3.11 keeps read_repair_chance and its own spellings.
	c := newTestCatalog(V3_11)
	mustRun(t, c, "", `CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};
CREATE TABLE ks.t (k int PRIMARY KEY) WITH read_repair_chance = 0.2 AND speculative_retry = '95p';`)
	o := c.Keyspaces["ks"].Tables["t"].Options
	if o.ReadRepairChance != 0.2 || o.DCLocalReadRepairChance != 0.1 || o.SpeculativeRetry != "95PERCENTILE" {
		t.Errorf("3.11 options: read_repair_chance %v dclocal %v speculative_retry %q", o.ReadRepairChance, o.DCLocalReadRepairChance, o.SpeculativeRetry)
	}
	if o.Compression["chunk_length_in_kb"] != "64" {
		t.Errorf("3.11 default chunk length %q, want 64", o.Compression["chunk_length_in_kb"])
	}
	if got := c.Render("ks"); strings.Contains(got, "read_repair = ") || !strings.Contains(got, "dclocal_read_repair_chance = 0.1") {
		t.Errorf("3.11 render has the wrong options:\n%s", got)
	}
	// Vector types and masks are 5.0 only; 4.1 has memtable, 4.0 not.
	c4 := newTestCatalog(V4_0)
	if _, _, err := run(c4, "", `CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};
CREATE TABLE ks.t (k int PRIMARY KEY) WITH memtable = 'default'`); err == nil || err.Error() != "Unknown property 'memtable'" {
		t.Errorf("4.0 memtable option: got %v", err)
	}
}

func TestApplyEffects(t *testing.T) {
	c := baseCatalog(t)
	cases := []struct {
		src     string
		want    Effect
		event   string // change target keyspace name
		changed bool
	}{
		{`CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`, Effect{}, "", false},
		{`CREATE KEYSPACE k2 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
			Effect{Op: OpCreate, Object: ObjKeyspace, Keyspace: "k2", Name: "k2"}, "CREATED KEYSPACE k2 ", true},
		{`ALTER KEYSPACE k2 WITH durable_writes = false`, Effect{Op: OpAlter, Object: ObjKeyspace, Keyspace: "k2", Name: "k2"}, "UPDATED KEYSPACE k2 ", true},
		{`CREATE TABLE IF NOT EXISTS t (k int PRIMARY KEY)`, Effect{}, "", false},
		{`CREATE TABLE n (k int PRIMARY KEY, v int)`, Effect{Op: OpCreate, Object: ObjTable, Keyspace: "ks", Name: "n"}, "CREATED TABLE ks n", true},
		{`ALTER TABLE n ADD IF NOT EXISTS v int`, Effect{}, "", false},
		{`ALTER TABLE n ADD w int`, Effect{Op: OpAlter, Object: ObjTable, Keyspace: "ks", Name: "n"}, "UPDATED TABLE ks n", true},
		{`CREATE INDEX n_w ON n (w)`, Effect{Op: OpCreate, Object: ObjIndex, Keyspace: "ks", Name: "n_w", Table: "n"}, "UPDATED TABLE ks n", true},
		{`CREATE INDEX IF NOT EXISTS n_w ON n (v)`, Effect{}, "", false},
		{`DROP INDEX n_w`, Effect{Op: OpDrop, Object: ObjIndex, Keyspace: "ks", Name: "n_w", Table: "n"}, "UPDATED TABLE ks n", true},
		{`CREATE TYPE p3 (x int)`, Effect{Op: OpCreate, Object: ObjType, Keyspace: "ks", Name: "p3"}, "CREATED TYPE ks p3", true},
		{`ALTER TYPE p3 ADD y int`, Effect{Op: OpAlter, Object: ObjType, Keyspace: "ks", Name: "p3"}, "UPDATED TYPE ks p3", true},
		{`CREATE MATERIALIZED VIEW n_by_v AS SELECT * FROM n WHERE k IS NOT NULL AND v IS NOT NULL PRIMARY KEY (v, k)`,
			Effect{Op: OpCreate, Object: ObjView, Keyspace: "ks", Name: "n_by_v"}, "CREATED TABLE ks n_by_v", true},
		{`CREATE FUNCTION g(a int) CALLED ON NULL INPUT RETURNS int LANGUAGE java AS 'return a;'`,
			Effect{Op: OpCreate, Object: ObjFunction, Keyspace: "ks", Name: "g", ArgTypes: []string{"int"}}, "CREATED FUNCTION ks g int", true},
		{`CREATE OR REPLACE FUNCTION g(a int) CALLED ON NULL INPUT RETURNS int LANGUAGE java AS 'return a + 1;'`,
			Effect{Op: OpAlter, Object: ObjFunction, Keyspace: "ks", Name: "g", ArgTypes: []string{"int"}}, "UPDATED FUNCTION ks g int", true},
		{`CREATE TRIGGER tr ON n USING 'org.example.T'`, Effect{Op: OpCreate, Object: ObjTrigger, Keyspace: "ks", Name: "tr", Table: "n"}, "UPDATED TABLE ks n", true},
		{`INSERT INTO n (k, v) VALUES (1, 2)`, Effect{}, "", false},
		{`CREATE ROLE admin WITH LOGIN = true`, Effect{}, "", false},
		{`DROP MATERIALIZED VIEW n_by_v`, Effect{Op: OpDrop, Object: ObjView, Keyspace: "ks", Name: "n_by_v"}, "DROPPED TABLE ks n_by_v", true},
		{`DROP TABLE IF EXISTS nope`, Effect{}, "", false},
		{`DROP KEYSPACE IF EXISTS nope`, Effect{}, "", false},
		{`ALTER KEYSPACE IF EXISTS nope WITH durable_writes = false`, Effect{}, "", false},
		{`DROP KEYSPACE k2`, Effect{Op: OpDrop, Object: ObjKeyspace, Keyspace: "k2", Name: "k2"}, "DROPPED KEYSPACE k2 ", true},
	}
	for _, tc := range cases {
		effs, _, err := run(c, "ks", tc.src)
		if err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		got := effs[0]
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.src, got, tc.want)
		}
		if got.Changed() != tc.changed {
			t.Errorf("%s: Changed() = %v", tc.src, got.Changed())
		}
		change, target, ks, name, args, ok := got.SchemaChange()
		ev := ""
		if ok {
			ev = strings.TrimSpace(change + " " + target + " " + ks + " " + name + " " + strings.Join(args, ","))
		}
		if ev != strings.TrimSpace(tc.event) {
			t.Errorf("%s: event %q, want %q", tc.src, ev, tc.event)
		}
	}
}

func TestApplyAtomic(t *testing.T) {
	c := baseCatalog(t)
	before := comparable(c)
	// The second column is invalid: the first must not stay behind.
	if _, _, err := run(c, "ks", `ALTER TABLE u ADD (fresh int, a text)`); err == nil {
		t.Fatal("adding an existing column succeeded")
	}
	if !reflect.DeepEqual(comparable(c), before) {
		t.Error("a failed ALTER TABLE left a partial change")
	}
	if _, _, err := run(c, "ks", `ALTER TABLE u DROP (y, k)`); err == nil {
		t.Fatal("dropping a key column succeeded")
	}
	if c.Keyspaces["ks"].Tables["u"].Columns["y"] == nil || len(c.Keyspaces["ks"].Tables["u"].Dropped) != 0 {
		t.Error("a failed ALTER TABLE DROP dropped a column")
	}
}

func TestApplyDropRecordsColumn(t *testing.T) {
	c := baseCatalog(t)
	mustRun(t, c, "ks", `ALTER TABLE u DROP a; ALTER TABLE u DROP x USING TIMESTAMP 1700000000123456`)
	d := c.Keyspaces["ks"].Tables["u"].Dropped
	if got := typeText(d["a"].Type); got != "frozen<tuple<text, frozen<set<text>>>>" {
		t.Errorf("dropped user type recorded as %s, want the expanded tuple", got)
	}
	if d["x"].Time != 1700000000123000 || d["x"].Kind != Regular {
		t.Errorf("dropped x: %+v", d["x"])
	}
	// Re-adding with the same type is allowed.
	mustRun(t, c, "ks", `ALTER TABLE u ADD x int`)
}

func TestApplyRenameFollowsViews(t *testing.T) {
	c := baseCatalog(t)
	mustRun(t, c, "ks", `ALTER TABLE t RENAME c TO cc`)
	v := c.Keyspaces["ks"].Views["mv"]
	if v.Columns["cc"] == nil || v.Columns["c"] != nil || v.Where != "k IS NOT NULL AND cc IS NOT NULL AND v IS NOT NULL" {
		t.Errorf("view after rename: where %q, columns %v", v.Where, sortedKeys(v.Columns))
	}
}

func TestErrorsIs(t *testing.T) {
	c := baseCatalog(t)
	_, _, err := run(c, "ks", `CREATE TABLE t (k int PRIMARY KEY)`)
	if !errors.Is(err, ErrAlreadyExists) || errors.Is(err, ErrInvalid) {
		t.Errorf("errors.Is does not match on the code: %v", err)
	}
	_, _, err = run(c, "ks", "\n\n  DROP TABLE nope")
	var e *Error
	if !errors.As(err, &e) || e.Pos.Line != 3 || e.Pos.Col != 3 {
		t.Errorf("error position %v, want 3:3", e.Pos)
	}
}

// TestIndexNamesFollowChanges: index names are unique in a keyspace however
// the tables holding them were changed, dropped or copied, and a statement
// that fails reserves no name.
func TestIndexNamesFollowChanges(t *testing.T) {
	c := baseCatalog(t)
	ks := c.Keyspaces["ks"]
	rejects := func(src, msg string) {
		t.Helper()
		if _, _, err := run(c, "ks", src); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%s: got %v, want %q", src, err, msg)
		}
	}

	mustRun(t, c, "ks", `DROP INDEX t_v; CREATE INDEX t_v ON u (x)`)
	if ix := ks.Index("t_v"); ix == nil || ix.Table != "u" {
		t.Fatalf("t_v after moving it to u: %+v", ix)
	}
	rejects(`CREATE INDEX t_v ON t (v)`, "Index 't_v' already exists")

	// An unnamed index takes the first free name across every table.
	mustRun(t, c, "ks", `CREATE INDEX u_y_idx ON t (v); CREATE INDEX ON u (y)`)
	if ix := ks.Index("u_y_idx_1"); ix == nil || ix.Table != "u" {
		t.Errorf("unnamed index on u (y): %+v, want u_y_idx_1 on u", ix)
	}

	// Dropping a table frees the names of its indexes.
	mustRun(t, c, "ks", `CREATE TABLE z (k int PRIMARY KEY, v int); CREATE INDEX zi ON z (v); DROP TABLE z`)
	if ks.Index("zi") != nil {
		t.Error("the index of a dropped table is still found")
	}
	mustRun(t, c, "ks", `CREATE INDEX zi ON t (l)`)

	// A failed CREATE INDEX leaves its name free.
	rejects(`CREATE INDEX fresh ON t (nope)`, "Column 'nope' doesn't exist")
	if ks.Index("fresh") != nil {
		t.Error("a failed CREATE INDEX left its index behind")
	}
	mustRun(t, c, "ks", `CREATE INDEX fresh ON t (c)`)

	// A clone has its own names: an index created in one is not in the other.
	n := c.Clone()
	mustRun(t, n, "ks", `CREATE INDEX only_clone ON u (a); DROP INDEX fresh`)
	if ks.Index("only_clone") != nil || ks.Index("fresh") == nil {
		t.Error("changing a clone's indexes changed the original's")
	}
	mustRun(t, c, "ks", `CREATE INDEX only_clone ON t (s)`)
	if got := n.Keyspaces["ks"].Index("only_clone"); got == nil || got.Table != "u" {
		t.Errorf("the clone's only_clone after the original made its own: %+v", got)
	}
}

// TestIndexSeesTablesWrittenDirectly: tables added to or removed from a
// keyspace by writing Tables, as LoadSystemSchema and the test server do,
// are seen by Index and by CREATE INDEX, also after Apply has used the
// keyspace.
func TestIndexSeesTablesWrittenDirectly(t *testing.T) {
	direct := func() *Table {
		return &Table{Keyspace: "ks", Name: "direct", Columns: map[string]*Column{},
			Indexes: map[string]*Index{"direct_idx": {Keyspace: "ks", Table: "direct", Name: "direct_idx", Kind: "COMPOSITES"}}}
	}
	built := NewKeyspace("ks", nil)
	built.Tables["direct"] = direct()
	if built.Index("direct_idx") == nil {
		t.Error("an index of a keyspace built by hand is not found")
	}

	c := baseCatalog(t)
	ks := c.Keyspaces["ks"]
	mustRun(t, c, "ks", `DROP INDEX IF EXISTS nope`) // Apply has looked up an index
	ks.Tables["direct"] = direct()
	if ix := ks.Index("direct_idx"); ix == nil || ix.Table != "direct" {
		t.Errorf("index of a table added directly: %+v", ix)
	}
	if _, _, err := run(c, "ks", `CREATE INDEX direct_idx ON u (y)`); err == nil {
		t.Error("CREATE INDEX took the name of an index of a table added directly")
	}
	delete(ks.Tables, "direct")
	if ks.Index("direct_idx") != nil {
		t.Error("the index of a table removed directly is still found")
	}
	mustRun(t, c, "ks", `CREATE INDEX direct_idx ON u (y)`)
}

// BenchmarkApplyBigKeyspace applies ALTER TABLE, CREATE INDEX and DROP
// INDEX to each table of a keyspace of 500 tables, every fifth with a
// materialized view, the way a long replay of migrations does: what each
// statement costs should not grow with the number of objects around it.
// The statements leave the keyspace as they found it, so every iteration
// does the same work.
//
//	go test ./engine/schema -run '^$' -bench ApplyBigKeyspace -count 5
func BenchmarkApplyBigKeyspace(b *testing.B) {
	const tables = 500
	var setup, work strings.Builder
	setup.WriteString("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};\n")
	for i := range tables {
		fmt.Fprintf(&setup, "CREATE TABLE t%03d (k int, c int, v text, PRIMARY KEY (k, c));\n", i)
		fmt.Fprintf(&setup, "CREATE INDEX t%03d_c ON t%03d (c);\n", i, i)
		if i%5 == 0 {
			fmt.Fprintf(&setup, "CREATE MATERIALIZED VIEW t%03d_by_v AS SELECT * FROM t%03d WHERE v IS NOT NULL AND k IS NOT NULL AND c IS NOT NULL PRIMARY KEY (v, k, c);\n", i, i)
		}
		fmt.Fprintf(&work, "ALTER TABLE t%03d WITH comment = 'replayed';\n", i)
		fmt.Fprintf(&work, "CREATE INDEX t%03d_v ON t%03d (v);\n", i, i)
		fmt.Fprintf(&work, "DROP INDEX t%03d_v;\n", i)
	}
	c := New(V5_0)
	mustRun(b, c, "ks", setup.String())
	stmts, err := cql.ParseScript([]byte(work.String()))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		for _, s := range stmts {
			if _, err := c.Apply(s, "ks"); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(stmts)), "ns/stmt")
}

// TestTriggerClasses: with the server's trigger classes known, CREATE
// TRIGGER with another class fails as Cassandra fails it (4.0+ after the
// existence check, 3.11 before it with a configuration error); unknown
// (nil) accepts every class.
func TestTriggerClasses(t *testing.T) {
	const setup = `CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};
CREATE TABLE ks.t (k int PRIMARY KEY);
CREATE TRIGGER tr ON ks.t USING 'org.example.Audit';`
	cases := []struct {
		version Version
		src     string
		code    ErrorCode
		msg     string
	}{
		{V5_0, `CREATE TRIGGER other ON ks.t USING 'org.example.Missing'`, CodeInvalid, "Trigger class 'org.example.Missing' couldn't be loaded"},
		{V5_0, `CREATE TRIGGER tr ON ks.t USING 'org.example.Missing'`, CodeInvalid, "Trigger 'tr' already exists"},
		{V5_0, `CREATE TRIGGER IF NOT EXISTS tr ON ks.t USING 'org.example.Missing'`, 0, ""},
		{V3_11, `CREATE TRIGGER other ON ks.t USING 'org.example.Missing'`, CodeConfig, "Trigger class 'org.example.Missing' doesn't exist"},
		{V3_11, `CREATE TRIGGER IF NOT EXISTS tr ON ks.t USING 'org.example.Missing'`, CodeConfig, "Trigger class 'org.example.Missing' doesn't exist"},
	}
	for _, tc := range cases {
		c := newTestCatalog(tc.version)
		c.TriggerClasses = map[string]bool{"org.example.Audit": true}
		mustRun(t, c, "", setup)
		_, _, err := run(c, "", tc.src)
		var se *Error
		switch {
		case tc.msg == "" && err != nil:
			t.Errorf("%s %s: %v, want no error", tc.version, tc.src, err)
		case tc.msg != "" && (!errors.As(err, &se) || se.Code != tc.code || se.Msg != tc.msg):
			t.Errorf("%s %s: %v, want code %v %q", tc.version, tc.src, err, tc.code, tc.msg)
		}
	}
	open := newTestCatalog(V5_0)
	mustRun(t, open, "", setup+"\nCREATE TRIGGER any ON ks.t USING 'org.example.Anything';")
}

// Datacenter names are case-sensitive: the replication map keeps its keys
// as written, as Cassandra's parser does, and option names match exactly.
func TestReplicationKeepsDatacenterCase(t *testing.T) {
	c := baseCatalog(t)
	mustRun(t, c, "", `CREATE KEYSPACE k2 WITH replication = {'class': 'NetworkTopologyStrategy', 'DC1': 3, 'dc2': 0}`)
	repl := c.Keyspaces["k2"].Replication
	if repl["DC1"] != "3" || repl["dc2"] != "0" || repl["dc1"] != "" {
		t.Errorf("replication %v, want DC1 and dc2 as written", repl)
	}
	_, _, err := run(c, "", `CREATE KEYSPACE k3 WITH replication = {'Class': 'SimpleStrategy', 'replication_factor': 1}`)
	if err == nil || !strings.Contains(err.Error(), "Missing replication strategy class") {
		t.Errorf("'Class' read as the strategy class: %v", err)
	}
}
