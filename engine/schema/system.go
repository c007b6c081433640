package schema

import (
	"crypto/md5"
	"fmt"
	"strings"
)

// systemKeyspaceDefs are Cassandra's own keyspaces: name, replication (nil
// for virtual keyspaces) and the first release that has them.
var systemKeyspaceDefs = []struct {
	name        string
	replication map[string]string
	since       Version
}{
	{"system", map[string]string{"class": classPrefixLocator + "LocalStrategy"}, V3_11},
	{"system_auth", map[string]string{"class": classPrefixLocator + "SimpleStrategy", "replication_factor": "1"}, V3_11},
	{"system_distributed", map[string]string{"class": classPrefixLocator + "SimpleStrategy", "replication_factor": "3"}, V3_11},
	{"system_schema", map[string]string{"class": classPrefixLocator + "LocalStrategy"}, V3_11},
	{"system_traces", map[string]string{"class": classPrefixLocator + "SimpleStrategy", "replication_factor": "2"}, V3_11},
	{"system_views", nil, V4_0},
	{"system_virtual_schema", nil, V4_0},
}

// IsSystemKeyspace reports whether name is one of Cassandra's own
// keyspaces (in any supported release).
func IsSystemKeyspace(name string) bool {
	for _, d := range systemKeyspaceDefs {
		if d.name == name {
			return true
		}
	}
	return false
}

// SystemKeyspaces returns Cassandra v's own keyspaces, flagged System (and
// Virtual for the virtual ones). system_schema holds the definitions of its
// tables (SystemSchemaTables); the others are empty here: their tables
// belong to whoever serves them.
func SystemKeyspaces(v Version) []*Keyspace {
	var out []*Keyspace
	for _, d := range systemKeyspaceDefs {
		if v < d.since {
			continue
		}
		ks := NewKeyspace(d.name, cloneMap(d.replication))
		ks.System = true
		ks.Virtual = d.replication == nil
		ks.DurableWrites = !ks.Virtual
		if d.name == "system_schema" {
			for _, t := range SystemSchemaTables(v) {
				ks.Tables[t.Name] = t
			}
		}
		out = append(out, ks)
	}
	return out
}

// systemSchemaDef is the CREATE TABLE of one system_schema table: columns
// as "name type" pairs, the partition key and the clustering columns.
type systemSchemaDef struct {
	name, comment string
	since         Version
	columns       []string
	pk, ck        []string
}

// tableOptionColumns are the option columns of system_schema.tables and
// views, with the releases that have them.
var tableOptionColumns = []struct {
	col          string
	since, until Version
}{
	{"additional_write_policy text", V4_0, 0},
	{"allow_auto_snapshot boolean", V5_0, 0},
	{"bloom_filter_fp_chance double", V3_11, 0},
	{"caching frozen<map<text, text>>", V3_11, 0},
	{"cdc boolean", V3_11, 0},
	{"comment text", V3_11, 0},
	{"compaction frozen<map<text, text>>", V3_11, 0},
	{"compression frozen<map<text, text>>", V3_11, 0},
	{"crc_check_chance double", V3_11, 0},
	{"dclocal_read_repair_chance double", V3_11, 0},
	{"default_time_to_live int", V3_11, 0},
	{"extensions frozen<map<text, blob>>", V3_11, 0},
	{"gc_grace_seconds int", V3_11, 0},
	{"id uuid", V3_11, 0},
	{"incremental_backups boolean", V5_0, 0},
	{"max_index_interval int", V3_11, 0},
	{"memtable text", V4_1, 0},
	{"memtable_flush_period_in_ms int", V3_11, 0},
	{"min_index_interval int", V3_11, 0},
	{"read_repair text", V4_0, 0},
	{"read_repair_chance double", V3_11, 0},
	{"speculative_retry text", V3_11, 0},
}

func systemSchemaDefs(v Version) []systemSchemaDef {
	var tableCols, viewCols []string
	for _, c := range tableOptionColumns {
		if v >= c.since && (c.until == 0 || v < c.until) {
			tableCols = append(tableCols, c.col)
			viewCols = append(viewCols, c.col)
		}
	}
	tableCols = append([]string{"keyspace_name text", "table_name text", "flags frozen<set<text>>"}, tableCols...)
	viewCols = append([]string{"keyspace_name text", "view_name text", "base_table_id uuid", "base_table_name text",
		"include_all_columns boolean", "where_clause text"}, viewCols...)
	return []systemSchemaDef{
		{"aggregates", "user defined aggregate definitions", V3_11,
			[]string{"keyspace_name text", "aggregate_name text", "argument_types frozen<list<text>>", "final_func text",
				"initcond text", "return_type text", "state_func text", "state_type text"},
			[]string{"keyspace_name"}, []string{"aggregate_name", "argument_types"}},
		{"column_masks", "column dynamic data masks", V5_0,
			[]string{"keyspace_name text", "table_name text", "column_name text", "function_keyspace text",
				"function_name text", "function_argument_types frozen<list<text>>",
				"function_argument_values frozen<list<text>>", "function_argument_nulls frozen<list<boolean>>"},
			[]string{"keyspace_name"}, []string{"table_name", "column_name"}},
		{"columns", "column definitions", V3_11,
			[]string{"keyspace_name text", "table_name text", "column_name text", "clustering_order text",
				"column_name_bytes blob", "kind text", "position int", "type text"},
			[]string{"keyspace_name"}, []string{"table_name", "column_name"}},
		{"dropped_columns", "dropped column registry", V3_11,
			[]string{"keyspace_name text", "table_name text", "column_name text", "dropped_time timestamp",
				"kind text", "type text"},
			[]string{"keyspace_name"}, []string{"table_name", "column_name"}},
		{"functions", "user defined function definitions", V3_11,
			[]string{"keyspace_name text", "function_name text", "argument_types frozen<list<text>>",
				"argument_names frozen<list<text>>", "body text", "called_on_null_input boolean", "language text",
				"return_type text"},
			[]string{"keyspace_name"}, []string{"function_name", "argument_types"}},
		{"indexes", "secondary index definitions", V3_11,
			[]string{"keyspace_name text", "table_name text", "index_name text", "kind text",
				"options frozen<map<text, text>>"},
			[]string{"keyspace_name"}, []string{"table_name", "index_name"}},
		{"keyspaces", "keyspace definitions", V3_11,
			[]string{"keyspace_name text", "durable_writes boolean", "replication frozen<map<text, text>>"},
			[]string{"keyspace_name"}, nil},
		{"tables", "table definitions", V3_11, tableCols, []string{"keyspace_name"}, []string{"table_name"}},
		{"triggers", "trigger definitions", V3_11,
			[]string{"keyspace_name text", "table_name text", "trigger_name text", "options frozen<map<text, text>>"},
			[]string{"keyspace_name"}, []string{"table_name", "trigger_name"}},
		{"types", "user defined type definitions", V3_11,
			[]string{"keyspace_name text", "type_name text", "field_names frozen<list<text>>",
				"field_types frozen<list<text>>"},
			[]string{"keyspace_name"}, []string{"type_name"}},
		{"views", "view definitions", V3_11, viewCols, []string{"keyspace_name"}, []string{"view_name"}},
	}
}

// SystemSchemaTableNames returns the names of the system_schema tables of
// Cassandra v, sorted.
func SystemSchemaTableNames(v Version) []string {
	var names []string
	for _, d := range systemSchemaDefs(v) {
		if v >= d.since {
			names = append(names, d.name)
		}
	}
	return names
}

// SystemSchemaTables returns the definitions of the system_schema tables of
// Cassandra v, with the exact columns and types that release has, so that a
// server can describe their result sets.
func SystemSchemaTables(v Version) []*Table {
	var out []*Table
	for _, d := range systemSchemaDefs(v) {
		if v < d.since {
			continue
		}
		t := SystemTable(v, "system_schema", d.name, d.comment, d.columns, d.pk, d.ck)
		t.Options.GCGraceSeconds = 7 * 24 * 3600
		t.Options.MemtableFlushPeriodInMs = 3600 * 1000
		out = append(out, t)
	}
	return out
}

// SystemTable returns one of Cassandra's own tables, with v's default
// options, the comment, and the id Cassandra derives from the keyspace and
// table names. columns are "name type" pairs; pk and ck name the partition
// key and clustering columns in order. A bad type or key column panics: the
// definitions are the program's own.
func SystemTable(v Version, keyspace, name, comment string, columns, pk, ck []string) *Table {
	t := &Table{
		Keyspace: keyspace, Name: name, ID: nameUUID(keyspace + name),
		Columns: map[string]*Column{}, Options: DefaultOptions(v), Dropped: map[string]*DroppedColumn{},
		Flags: []string{"compound"}, Indexes: map[string]*Index{}, Triggers: map[string]*Trigger{},
	}
	t.Options.Comment = comment
	for _, spec := range columns {
		cn, typ, _ := strings.Cut(spec, " ")
		ct, err := ParseType(typ)
		if err != nil {
			panic(fmt.Sprintf("schema: bad column %s.%s %s: %v", keyspace, name, spec, err))
		}
		t.Columns[cn] = &Column{Name: cn, Type: ct, Kind: Regular, Position: -1, Order: None}
	}
	for i, n := range pk {
		c := t.Columns[n]
		c.Kind, c.Position = PartitionKey, i
	}
	for i, n := range ck {
		c := t.Columns[n]
		c.Kind, c.Position, c.Order = Clustering, i, Asc
	}
	return t
}

// nameUUID is a name-based (version 3) UUID, as Cassandra derives the ids
// of its system tables from their names.
func nameUUID(name string) UUID {
	sum := md5.Sum([]byte(name))
	var u UUID
	copy(u[:], sum[:])
	u[6] = u[6]&0x0f | 0x30
	u[8] = u[8]&0x3f | 0x80
	return u
}
