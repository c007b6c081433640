package sdk

import "github.com/cqltrack/cqltrack/plugins/abi"

// Value is a decoded JSON value of any shape (rule options, table options,
// the statement AST). Lookups on missing members return null, so paths can
// be followed without checks: v.Path("table", "name", "name").Str().
type Value = abi.Value

// Severity is how serious a finding is.
type Severity string

// The severities, most serious first.
const (
	Error   Severity = abi.SeverityError
	Warning Severity = abi.SeverityWarning
	Info    Severity = abi.SeverityInfo
)

// Valid reports whether s is one of Error, Warning and Info.
func (s Severity) Valid() bool { return s == Error || s == Warning || s == Info }

// Sections of a migration file a statement belongs to.
const (
	Up   = "up"
	Down = "down"
)

// Pos is a position in the migration file: a 0-based byte offset and a
// 1-based line and column (columns count Unicode code points).
type Pos struct {
	Offset int
	Line   int
	Column int
}

// IsValid reports whether p was set.
func (p Pos) IsValid() bool { return p.Line > 0 }

// LintRequest is what the host sends to cqltrack_lint: one migration file.
type LintRequest struct {
	File File
	// Statements of the file in source order, up section first. The host
	// sends only the statement kinds the plugin's enabled rules declared
	// (every kind when any of them declared none).
	Statements []*Statement
	// Rules lists the ids of the rules to run; empty means all of them.
	Rules []string
	// RuleOptions holds each rule's options from the user's configuration,
	// by rule id; a missing entry reads as null.
	RuleOptions map[string]Value
}

// File describes the migration file being linted.
type File struct {
	Path        string // slash-separated, relative to the migrations directory
	Version     string // e.g. "003" of V003__add_users.cql
	Description string // e.g. "add users"
	// DownSection reports whether the file has a `-- @down` section at all;
	// UpStatements and DownStatements count the statements of each section
	// before any filtering by kind, so file-level rules (a missing or empty
	// rollback) work whatever kinds were sent.
	DownSection    bool
	UpStatements   int
	DownStatements int
}

// Statement is one CQL statement of the file.
type Statement struct {
	Section string // Up or Down
	// Index numbers the statements of the file from 1 in source order,
	// across both sections; findings refer to statements by it.
	Index int
	Kind  string // upper-case kind name, e.g. "CREATE TABLE", "ALTER TABLE"
	Text  string // the statement's source text, without the terminating ';'
	Pos   Pos    // where the statement starts
	// ASTJSON is the parsed statement as JSON, in the shape documented in
	// docs/plugin-abi.md (engine/cql's AST); read it through AST.
	ASTJSON []byte
	// Before is the definition, from the offline replay of the earlier
	// statements and migrations, of the object the statement changes; nil
	// when it changes no existing object (a CREATE of something new, DML).
	Before *Object

	ast Value // ASTJSON with its index (abi.Reader.IndexedValue), when decoded
}

// AST returns the parsed statement (null when the host sent none). Nothing
// is decoded that a rule does not ask for: for a statement of a decoded
// request, lookups read the index of the AST built while decoding; for one
// made by hand, or whose ASTJSON was replaced, they scan the JSON text.
func (s *Statement) AST() Value {
	if s.indexed() {
		return s.ast
	}
	return abi.RawValue(s.ASTJSON) // made or changed by hand
}

// indexed reports whether s.ast is ASTJSON with its index.
func (s *Statement) indexed() bool { return sameText(s.ast.JSON(), s.ASTJSON) }

// sameText reports whether a and b are the same bytes in memory.
func sameText(a, b []byte) bool { return len(a) == len(b) && len(a) > 0 && &a[0] == &b[0] }

// Object is a schema object as it was before a statement. Which fields are
// set depends on the statement: a table statement sets Table (and Keyspace
// when the host knows it), a keyspace statement Keyspace, a type statement
// Type.
type Object struct {
	Keyspace *Keyspace
	Table    *Table
	Type     *UserType
}

// Keyspace is a keyspace definition.
type Keyspace struct {
	Name string
	// Replication holds the replication map as system_schema stores it,
	// every value a string: {"class": "...NetworkTopologyStrategy", "dc1": "3"}.
	Replication   map[string]string
	DurableWrites bool
}

// Table is a table or materialized view definition.
type Table struct {
	Keyspace string
	Name     string
	// Columns in definition order: partition key, clustering, then the
	// others as declared.
	Columns      []Column
	PartitionKey []string
	Clustering   []ClusteringColumn
	// Options are the table options (compaction, gc_grace_seconds, ...)
	// with values as CQL gives them: maps as objects, numbers as numbers,
	// strings as strings.
	Options map[string]Value
	// Dropped lists columns dropped earlier, which Cassandra remembers.
	Dropped        []DroppedColumn
	Indexes        []Index
	View           bool   // a materialized view
	BaseTable      string // the view's base table
	CompactStorage bool
	// Counter reports a counter table: Cassandra fixes it when the table
	// is created (it has counter columns then) and never changes it, so a
	// table created with key columns only is not one.
	Counter bool
}

// Column kinds, as system_schema.columns names them.
const (
	PartitionKey = "partition_key"
	Clustering   = "clustering"
	Regular      = "regular"
	Static       = "static"
)

// Column is a column of a table.
type Column struct {
	Name string
	Type string // CQL syntax, e.g. "frozen<map<text, int>>"
	Kind string // PartitionKey, Clustering, Regular or Static
}

// ClusteringColumn is a clustering column with its order, "asc" or "desc".
type ClusteringColumn struct {
	Name  string
	Order string
}

// DroppedColumn is a column Cassandra remembers as dropped.
type DroppedColumn struct {
	Name string
	Type string
	Kind string // Regular or Static; "" when unknown
	// DroppedAt is the drop time in microseconds since the epoch, 0 when
	// unknown (the offline replay has no clock).
	DroppedAt int64
}

// Index is a secondary index (or a custom/SAI index) on a table.
type Index struct {
	Name   string
	Target string
	Class  string // the custom index class, "" for a regular index
}

// UserType is a user-defined type.
type UserType struct {
	Keyspace string
	Name     string
	Fields   []Field
}

// Field is a field of a user-defined type.
type Field struct {
	Name string
	Type string
}

// LintResponse is what cqltrack_lint answers.
type LintResponse struct {
	Findings []Finding
	// Errors lists rules that failed (a panic in a check) while the others
	// still ran.
	Errors []RuleError
}

// Finding is one problem a rule found.
type Finding struct {
	Rule     string
	Severity Severity // the rule's default unless the check chose otherwise
	Message  string
	Pos      Pos
	// Statement is the Index of the statement the finding is about, 0 for
	// a finding about the whole file.
	Statement int
}

// RuleError is a rule that could not complete.
type RuleError struct {
	Rule    string
	Message string
}
