// Package schema is cqltrack's model of a Cassandra schema: a catalog of
// keyspaces, tables, user types, indexes, materialized views, functions,
// aggregates and triggers.
//
// A catalog changes only through Apply, which takes a parsed DDL statement
// (engine/cql) and validates it the way Cassandra does, with Cassandra's own
// wording in its errors. A catalog can be rendered back to CQL (Render), rebuilt
// from the rows of Cassandra's system_schema tables (LoadSystemSchema) or turned
// into those rows (SystemSchemaRows), and two keyspaces can be compared (Diff)
// into a list of changes and a script that turns one into the other.
//
// The offline planner replays migrations into a catalog, the in-process test
// server (engine/cqltest) keeps its schema in one, and snapshot, diff and
// drift compare catalogs loaded from live clusters.
package schema

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cqltrack/cqltrack/engine/cql"
)

// Version is a Cassandra release line. It decides which table options exist,
// their defaults and the layout of system_schema.
type Version int

// The Cassandra release lines the catalog can model.
const (
	V3_11 Version = 311
	V4_0  Version = 400
	V4_1  Version = 401
	V5_0  Version = 500
)

// String renders the version as Cassandra writes it, e.g. "4.1".
func (v Version) String() string {
	return strconv.Itoa(int(v)/100) + "." + strconv.Itoa(int(v)%100)
}

// ParseVersion reads a Cassandra release_version such as "5.0.2" or "4.1"
// and returns the release line it belongs to. Versions newer than the
// newest known line map to it; older ones than 3.11 are an error.
func ParseVersion(s string) (Version, error) {
	parts := strings.SplitN(strings.TrimSpace(s), ".", 3)
	if len(parts) < 2 {
		return 0, fmt.Errorf("parse cassandra version %q: want major.minor", s)
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(strings.TrimFunc(parts[1], func(r rune) bool { return r < '0' || r > '9' }))
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("parse cassandra version %q: want major.minor", s)
	}
	v := Version(major*100 + minor)
	switch {
	case v >= V5_0:
		return V5_0, nil
	case v >= V4_1:
		return V4_1, nil
	case v >= V4_0:
		return V4_0, nil
	case v >= V3_11:
		return V3_11, nil
	}
	return 0, fmt.Errorf("parse cassandra version %q: versions before 3.11 are not supported", s)
}

// UUID is a 16-byte UUID as Cassandra stores table ids.
type UUID [16]byte

// String renders u in the canonical 8-4-4-4-12 form.
func (u UUID) String() string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}

// IsZero reports whether u is all zeroes (no id assigned).
func (u UUID) IsZero() bool { return u == UUID{} }

// ParseUUID reads a UUID in the canonical form.
func ParseUUID(s string) (UUID, error) {
	var u UUID
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return u, fmt.Errorf("invalid uuid %q", s)
	}
	h := s[:8] + s[9:13] + s[14:18] + s[19:23] + s[24:]
	if _, err := hex.Decode(u[:], []byte(h)); err != nil {
		return u, fmt.Errorf("invalid uuid %q", s)
	}
	return u, nil
}

// randomUUID returns a version 4 UUID: Cassandra uses time UUIDs for table
// ids, but nothing depends on the ordering, only on uniqueness.
func randomUUID() UUID {
	var u UUID
	_, _ = rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return u
}

// Catalog is a whole schema: every keyspace of a cluster, including
// Cassandra's own system keyspaces (flagged System, never rendered).
//
// A Catalog is not safe for concurrent use: callers that share one (the
// test server) serialise Apply and readers themselves, or Clone.
type Catalog struct {
	// Version is the Cassandra release line the catalog behaves as.
	Version Version
	// Keyspaces by name.
	Keyspaces map[string]*Keyspace
	// NewID assigns ids to new tables and views; nil means random UUIDs.
	// Tests set it to get reproducible ids.
	NewID func() UUID
	// Now gives the time recorded for dropped columns; nil means time.Now.
	Now func() time.Time
	// Datacenters, when set, are the datacenters NetworkTopologyStrategy's
	// replication_factor shorthand expands to (Cassandra 4.0+ does this with
	// the datacenters it knows). Empty keeps the shorthand as written.
	Datacenters []string
	// DisableMaterializedViews rejects CREATE MATERIALIZED VIEW as Cassandra
	// 4.0+ does unless materialized_views_enabled is set in cassandra.yaml.
	DisableMaterializedViews bool
	// TriggerClasses, when not nil, are the trigger classes the server can
	// load (the jars in its triggers directory): CREATE TRIGGER with any
	// other class fails as on Cassandra. Nil accepts every class, for a
	// replay that cannot know the server's triggers directory.
	TriggerClasses map[string]bool
}

// New returns a catalog that behaves as Cassandra v (V5_0 when v is 0) and
// holds only the system keyspaces of that version.
func New(v Version) *Catalog {
	if v == 0 {
		v = V5_0
	}
	c := &Catalog{Version: v, Keyspaces: map[string]*Keyspace{}}
	for _, ks := range SystemKeyspaces(v) {
		c.Keyspaces[ks.Name] = ks
	}
	return c
}

func (c *Catalog) newID() UUID {
	if c.NewID != nil {
		return c.NewID()
	}
	return randomUUID()
}

// Keyspace returns the keyspace named name, or nil.
func (c *Catalog) Keyspace(name string) *Keyspace { return c.Keyspaces[name] }

// KeyspaceNames returns the names of the user keyspaces (not system ones),
// sorted.
func (c *Catalog) KeyspaceNames() []string {
	var names []string
	for n, ks := range c.Keyspaces {
		if !ks.System {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// AllKeyspaceNames returns every keyspace name, system ones included,
// sorted.
func (c *Catalog) AllKeyspaceNames() []string {
	names := make([]string, 0, len(c.Keyspaces))
	for n := range c.Keyspaces {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Clone returns a deep copy of c; changing one never changes the other.
func (c *Catalog) Clone() *Catalog {
	n := *c
	n.Datacenters = append([]string(nil), c.Datacenters...)
	n.Keyspaces = cloneEach(c.Keyspaces, (*Keyspace).Clone)
	return &n
}

// Keyspace is a keyspace and every object in it.
type Keyspace struct {
	Name string
	// Replication is the replication map as system_schema stores it: "class"
	// holds the full Java class name.
	Replication   map[string]string
	DurableWrites bool
	// System marks Cassandra's own keyspaces (system, system_schema, ...).
	System bool
	// Virtual marks virtual keyspaces (system_views, system_virtual_schema):
	// they exist but have no replication and no rows in system_schema.
	Virtual bool

	Tables     map[string]*Table
	Types      map[string]*UserType
	Views      map[string]*View
	Functions  map[string]*Function  // by Signature
	Aggregates map[string]*Aggregate // by Signature

	// indexes finds the table of an index by the index's name, so that
	// Apply does not scan every table for each CREATE or DROP INDEX. Apply
	// builds it on first use and keeps it in step; nil means not built.
	indexes *indexTables
}

// NewKeyspace returns an empty keyspace with durable writes.
func NewKeyspace(name string, replication map[string]string) *Keyspace {
	return &Keyspace{
		Name: name, Replication: replication, DurableWrites: true,
		Tables: map[string]*Table{}, Types: map[string]*UserType{}, Views: map[string]*View{},
		Functions: map[string]*Function{}, Aggregates: map[string]*Aggregate{},
	}
}

// Clone returns a deep copy of k.
func (k *Keyspace) Clone() *Keyspace {
	n := *k
	// The copy rebuilds its own index lookup when it needs one: sharing it
	// would let a change to one keyspace show in the other, and leaving it
	// out keeps a clone equal to a keyspace loaded from the same rows.
	n.indexes = nil
	n.Replication = cloneMap(k.Replication)
	n.Tables = cloneEach(k.Tables, (*Table).Clone)
	n.Types = cloneEach(k.Types, (*UserType).Clone)
	n.Views = cloneEach(k.Views, (*View).Clone)
	n.Functions = cloneEach(k.Functions, (*Function).Clone)
	n.Aggregates = cloneEach(k.Aggregates, (*Aggregate).Clone)
	return &n
}

// WithoutTables returns a copy of k without the named tables and the
// materialized views built on them (snapshot leaves cqltrack's own tracking
// tables out this way).
func (k *Keyspace) WithoutTables(names ...string) *Keyspace {
	n := k.Clone()
	for _, name := range names {
		n.removeTable(name)
		for vn, v := range n.Views {
			if v.BaseTable == name {
				delete(n.Views, vn)
			}
		}
	}
	return n
}

// TableNames returns the table names, sorted.
func (k *Keyspace) TableNames() []string { return sortedKeys(k.Tables) }

// ViewNames returns the materialized view names, sorted.
func (k *Keyspace) ViewNames() []string { return sortedKeys(k.Views) }

// Index finds an index by name in any table of the keyspace (index names
// are unique within a keyspace).
//
// Once Apply has looked up an index in the keyspace, Index answers from the
// lookup Apply keeps instead of scanning every table. Tables added or
// removed by writing Tables directly are noticed; a table replaced, or a
// table's Indexes changed, by writing the maps directly after that is not:
// build a keyspace before applying statements to it, and change it through
// Apply afterwards.
func (k *Keyspace) Index(name string) *Index {
	// Index is a read: it uses the lookup but never builds it, so that
	// readers sharing a catalog do not write to it.
	if ix, ok := k.indexes.find(k, name); ok {
		return ix
	}
	return k.scanIndex(name)
}

// index is Index for Apply, which may change the keyspace: it builds the
// lookup when there is none or it is out of step.
func (k *Keyspace) index(name string) *Index {
	if ix, ok := k.indexes.find(k, name); ok {
		return ix
	}
	k.indexes = newIndexTables(k)
	ix, _ := k.indexes.find(k, name)
	return ix
}

func (k *Keyspace) scanIndex(name string) *Index {
	for _, t := range k.Tables {
		if ix := t.Indexes[name]; ix != nil {
			return ix
		}
	}
	return nil
}

// putTable stores t in Tables under its name, in place of any table of
// that name, and keeps the index lookup in step. Apply writes Tables only
// through putTable and removeTable.
func (k *Keyspace) putTable(t *Table) {
	inStep := k.indexes.inStep(k)
	if old := k.Tables[t.Name]; old != nil && inStep {
		k.indexes.forget(old)
	}
	k.Tables[t.Name] = t
	if !inStep {
		k.indexes = nil
		return
	}
	for name := range t.Indexes {
		k.indexes.table[name] = t.Name
	}
	k.indexes.tables = len(k.Tables)
}

// removeTable deletes the named table from Tables and its indexes from the
// index lookup.
func (k *Keyspace) removeTable(name string) {
	inStep := k.indexes.inStep(k)
	if old := k.Tables[name]; old != nil && inStep {
		k.indexes.forget(old)
	}
	delete(k.Tables, name)
	if !inStep {
		k.indexes = nil
		return
	}
	k.indexes.tables = len(k.Tables)
}

// indexTables is a keyspace's lookup from index name to table name. It
// holds table names, not tables or indexes, because tables are replaced
// whenever they change: the index is always read from the current table.
type indexTables struct {
	// tables is len(Keyspace.Tables) when the lookup was last in step, so
	// that a table added or removed without putTable or removeTable is seen.
	tables int
	table  map[string]string
}

func newIndexTables(k *Keyspace) *indexTables {
	x := &indexTables{tables: len(k.Tables), table: map[string]string{}}
	for tn, t := range k.Tables {
		for name := range t.Indexes {
			x.table[name] = tn
		}
	}
	return x
}

func (x *indexTables) inStep(k *Keyspace) bool { return x != nil && x.tables == len(k.Tables) }

// find looks name up; ok is false when the lookup cannot answer (not built,
// out of step, or naming a table that no longer has the index), and the
// tables must be scanned instead.
func (x *indexTables) find(k *Keyspace, name string) (ix *Index, ok bool) {
	if !x.inStep(k) {
		return nil, false
	}
	tn, found := x.table[name]
	if !found {
		return nil, true
	}
	if t := k.Tables[tn]; t != nil && t.Indexes[name] != nil {
		return t.Indexes[name], true
	}
	return nil, false
}

// forget removes the indexes of t from the lookup. An entry left behind
// would not give a wrong answer (find checks the table), only cost a
// rebuild.
func (x *indexTables) forget(t *Table) {
	for name := range t.Indexes {
		if x.table[name] == t.Name {
			delete(x.table, name)
		}
	}
}

// ColumnKind is where a column sits in a table, as system_schema.columns.kind
// spells it.
type ColumnKind string

// The column kinds.
const (
	PartitionKey ColumnKind = "partition_key"
	Clustering   ColumnKind = "clustering"
	Regular      ColumnKind = "regular"
	Static       ColumnKind = "static"
)

// Order is a clustering order as system_schema.columns.clustering_order
// spells it.
type Order string

// The clustering orders; None is for columns that are not clustering ones.
const (
	Asc  Order = "asc"
	Desc Order = "desc"
	None Order = "none"
)

// Column is a column of a table or view.
type Column struct {
	Name string
	Type cql.Type
	Kind ColumnKind
	// Position is the index within the partition key or clustering columns,
	// -1 for regular and static columns.
	Position int
	// Order is the clustering order (Asc or Desc) of a clustering column,
	// None for the others.
	Order Order
	// Mask is the dynamic data mask of the column (Cassandra 5.0), or nil.
	Mask *Mask
}

// IsPrimaryKey reports whether c is a partition key or clustering column.
func (c *Column) IsPrimaryKey() bool { return c.Kind == PartitionKey || c.Kind == Clustering }

func (c *Column) clone() *Column {
	n := *c
	n.Type = cloneType(c.Type)
	if c.Mask != nil {
		m := *c.Mask
		m.Args = append([]string(nil), c.Mask.Args...)
		m.ArgTypes = append([]cql.Type(nil), c.Mask.ArgTypes...)
		n.Mask = &m
	}
	return &n
}

// Mask is a dynamic data masking function attached to a column: the column
// type is the function's first argument, Args are the other ones as CQL
// literals.
type Mask struct {
	Keyspace string // "system" for the built-in masking functions
	Function string
	ArgTypes []cql.Type
	Args     []string
}

// String renders the mask as it appears after MASKED WITH.
func (m *Mask) String() string {
	name := cql.QuoteIdent(m.Function)
	if m.Keyspace != "" && m.Keyspace != "system" {
		name = cql.QuoteIdent(m.Keyspace) + "." + name
	}
	return name + "(" + strings.Join(m.Args, ", ") + ")"
}

// DroppedColumn records a column dropped from a table: Cassandra keeps it
// so that data written before the drop is skipped and so that the column
// cannot come back with an incompatible type.
type DroppedColumn struct {
	Name string
	Type cql.Type
	Kind ColumnKind // Regular or Static
	// Time is the drop time in microseconds since the epoch.
	Time int64
}

// Table is a table with its columns, options, indexes and triggers.
type Table struct {
	Keyspace string
	Name     string
	ID       UUID
	Columns  map[string]*Column
	Options  Options
	Dropped  map[string]*DroppedColumn
	// Flags are the system_schema.tables.flags: "compound" for every CQL
	// table, "counter" for counter tables, "dense" and "super" only for
	// COMPACT STORAGE tables.
	Flags    []string
	Indexes  map[string]*Index
	Triggers map[string]*Trigger
}

// Clone returns a deep copy of t.
func (t *Table) Clone() *Table {
	n := *t
	n.Columns = cloneEach(t.Columns, (*Column).clone)
	n.Options = t.Options.Clone()
	n.Flags = append([]string(nil), t.Flags...)
	n.Dropped = make(map[string]*DroppedColumn, len(t.Dropped))
	for k, d := range t.Dropped {
		dc := *d
		dc.Type = cloneType(d.Type)
		n.Dropped[k] = &dc
	}
	n.Indexes = make(map[string]*Index, len(t.Indexes))
	for k, ix := range t.Indexes {
		c := *ix
		c.Options = cloneMap(ix.Options)
		n.Indexes[k] = &c
	}
	n.Triggers = make(map[string]*Trigger, len(t.Triggers))
	for k, tr := range t.Triggers {
		c := *tr
		n.Triggers[k] = &c
	}
	return &n
}

// PartitionKey returns the partition key columns in key order.
func (t *Table) PartitionKey() []*Column { return keyColumns(t.Columns, PartitionKey) }

// ClusteringColumns returns the clustering columns in key order.
func (t *Table) ClusteringColumns() []*Column { return keyColumns(t.Columns, Clustering) }

// OrderedColumns returns the columns as DESCRIBE lists them: partition key,
// clustering, then static and regular columns, each group by name.
func (t *Table) OrderedColumns() []*Column { return orderedColumns(t.Columns) }

// IsCounter reports whether the table holds counters.
func (t *Table) IsCounter() bool { return hasFlag(t.Flags, "counter") }

// IsCompact reports whether the table was created WITH COMPACT STORAGE.
func (t *Table) IsCompact() bool {
	return !hasFlag(t.Flags, "compound") || hasFlag(t.Flags, "dense") || hasFlag(t.Flags, "super")
}

// Index is a secondary index.
type Index struct {
	Keyspace string
	Table    string
	Name     string
	// Kind is "COMPOSITES" for a regular index, "CUSTOM" for one created
	// with USING (SAI, SASI, ...), "KEYS" for legacy compact tables.
	Kind string
	// Options hold "target" and, for custom indexes, "class_name" and the
	// WITH OPTIONS entries.
	Options map[string]string
}

// Target returns the index target as stored, e.g. "v" or "keys(m)".
func (ix *Index) Target() string { return ix.Options["target"] }

// Trigger is a trigger on a table.
type Trigger struct {
	Keyspace string
	Table    string
	Name     string
	Class    string
}

// UserType is a user-defined type; fields keep their declaration order.
type UserType struct {
	Keyspace   string
	Name       string
	FieldNames []string
	FieldTypes []cql.Type
}

// Clone returns a deep copy of u.
func (u *UserType) Clone() *UserType {
	n := *u
	n.FieldNames = append([]string(nil), u.FieldNames...)
	n.FieldTypes = make([]cql.Type, len(u.FieldTypes))
	for i, t := range u.FieldTypes {
		n.FieldTypes[i] = cloneType(t)
	}
	return &n
}

// Field returns the position of a field, or -1.
func (u *UserType) Field(name string) int {
	for i, f := range u.FieldNames {
		if f == name {
			return i
		}
	}
	return -1
}

// View is a materialized view.
type View struct {
	Keyspace    string
	Name        string
	ID          UUID
	BaseTable   string
	BaseTableID UUID
	// IncludeAllColumns is true for SELECT *.
	IncludeAllColumns bool
	// Where is the WHERE clause as CQL text (system_schema.views.where_clause).
	Where   string
	Columns map[string]*Column
	Options Options
}

// Clone returns a deep copy of v.
func (v *View) Clone() *View {
	n := *v
	n.Columns = cloneEach(v.Columns, (*Column).clone)
	n.Options = v.Options.Clone()
	return &n
}

// PartitionKey returns the view's partition key columns in key order.
func (v *View) PartitionKey() []*Column { return keyColumns(v.Columns, PartitionKey) }

// ClusteringColumns returns the view's clustering columns in key order.
func (v *View) ClusteringColumns() []*Column { return keyColumns(v.Columns, Clustering) }

// OrderedColumns returns the view's columns in DESCRIBE order.
func (v *View) OrderedColumns() []*Column { return orderedColumns(v.Columns) }

// Function is a user-defined function.
type Function struct {
	Keyspace          string
	Name              string
	ArgNames          []string
	ArgTypes          []cql.Type
	ReturnType        cql.Type
	CalledOnNullInput bool
	Language          string
	Body              string
}

// Signature identifies the function among overloads: name(type, ...).
func (f *Function) Signature() string { return Signature(f.Name, f.ArgTypes) }

// Clone returns a deep copy of f.
func (f *Function) Clone() *Function {
	n := *f
	n.ArgNames = append([]string(nil), f.ArgNames...)
	n.ArgTypes = cloneTypes(f.ArgTypes)
	n.ReturnType = cloneType(f.ReturnType)
	return &n
}

// Aggregate is a user-defined aggregate.
type Aggregate struct {
	Keyspace  string
	Name      string
	ArgTypes  []cql.Type
	StateFunc string
	StateType cql.Type
	// FinalFunc is empty when the aggregate has none.
	FinalFunc string
	// InitCond is the initial condition as a CQL literal; empty for none.
	InitCond   string
	ReturnType cql.Type
}

// Signature identifies the aggregate among overloads: name(type, ...).
func (a *Aggregate) Signature() string { return Signature(a.Name, a.ArgTypes) }

// Clone returns a deep copy of a.
func (a *Aggregate) Clone() *Aggregate {
	n := *a
	n.ArgTypes = cloneTypes(a.ArgTypes)
	n.StateType = cloneType(a.StateType)
	n.ReturnType = cloneType(a.ReturnType)
	return &n
}

// Signature renders a function or aggregate signature, name(t1, t2), the
// key of Keyspace.Functions and Keyspace.Aggregates. Types are rendered
// without keyspace so that ks.t and t name the same overload.
func Signature(name string, args []cql.Type) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = typeText(a)
	}
	return name + "(" + strings.Join(parts, ", ") + ")"
}

func keyColumns(cols map[string]*Column, kind ColumnKind) []*Column {
	var out []*Column
	for _, c := range cols {
		if c.Kind == kind {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Position < out[j].Position })
	return out
}

func orderedColumns(cols map[string]*Column) []*Column {
	out := keyColumns(cols, PartitionKey)
	out = append(out, keyColumns(cols, Clustering)...)
	var rest []*Column
	for _, c := range cols {
		if !c.IsPrimaryKey() {
			rest = append(rest, c)
		}
	}
	sort.Slice(rest, func(i, j int) bool {
		if (rest[i].Kind == Static) != (rest[j].Kind == Static) {
			return rest[i].Kind == Static
		}
		return rest[i].Name < rest[j].Name
	})
	return append(out, rest...)
}

// cloneEach returns a map of clones of m's values. It is never nil, even
// for a nil m, so that a clone's maps can be added to like a new object's.
func cloneEach[V any](m map[string]V, clone func(V) V) map[string]V {
	n := make(map[string]V, len(m))
	for k, v := range m {
		n[k] = clone(v)
	}
	return n
}

func cloneType(t cql.Type) cql.Type {
	t.Args = cloneTypes(t.Args)
	return t
}

func cloneTypes(ts []cql.Type) []cql.Type {
	if ts == nil {
		return nil
	}
	n := make([]cql.Type, len(ts))
	for i, t := range ts {
		n[i] = cloneType(t)
	}
	return n
}

func cloneMap[V any](m map[string]V) map[string]V {
	if m == nil {
		return nil
	}
	n := make(map[string]V, len(m))
	for k, v := range m {
		n[k] = v
	}
	return n
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// matchingKeys returns the keys of m whose entries match, sorted. The
// dependency checks of Apply report what they find in name order; sorting
// only the matches keeps each check linear in the size of the keyspace.
func matchingKeys[V any](m map[string]V, match func(key string, v V) bool) []string {
	var keys []string
	for k, v := range m {
		if match(k, v) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

func hasFlag(flags []string, f string) bool {
	for _, x := range flags {
		if x == f {
			return true
		}
	}
	return false
}
