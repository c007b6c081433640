package cqltest

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/cqltrack/cqltrack/engine/cql"
	"github.com/cqltrack/cqltrack/engine/cqltest/store"
	"github.com/cqltrack/cqltrack/engine/cqltest/wire"
	"github.com/cqltrack/cqltrack/engine/schema"
)

// dataStore is the row data every node shares, and the glue between
// protocol requests and the store.
type dataStore struct {
	c     *Cluster
	store *store.Store
	// types is the newest schema, for decoding user types in the store
	// (which outlives any one node's view).
	types atomic.Pointer[schema.Catalog]
}

func newDataStore(c *Cluster) *dataStore {
	ds := &dataStore{c: c}
	ds.store = store.New(store.Options{Clock: c.cfg.clock, Types: ds.resolveStoreType})
	return ds
}

func (ds *dataStore) resolveStoreType(keyspace, name string) (*store.UserType, error) {
	cat := ds.types.Load()
	if cat == nil {
		return nil, fmt.Errorf("unknown type %s.%s", keyspace, name)
	}
	u, err := lookupUserType(cat, keyspace, name)
	if err != nil {
		return nil, err
	}
	return &store.UserType{Keyspace: u.Keyspace, Name: u.Name, FieldNames: u.FieldNames, FieldTypes: u.FieldTypes}, nil
}

func lookupUserType(cat *schema.Catalog, keyspace, name string) (*schema.UserType, error) {
	ks := cat.Keyspace(keyspace)
	if ks == nil {
		return nil, fmt.Errorf("unknown keyspace %s for type %s", keyspace, name)
	}
	u := ks.Types[name]
	if u == nil {
		return nil, fmt.Errorf("unknown type %s.%s", keyspace, name)
	}
	return u, nil
}

// wireResolver resolves user types for result metadata from a node's view.
func wireResolver(cat *schema.Catalog) wire.UDTResolver {
	return func(keyspace, name string) (wire.UserType, error) {
		u, err := lookupUserType(cat, keyspace, name)
		if err != nil {
			return wire.UserType{}, err
		}
		return wire.UserType{Keyspace: u.Keyspace, Name: u.Name, FieldNames: u.FieldNames, FieldTypes: u.FieldTypes}, nil
	}
}

func noKeyspace() *wire.Error {
	return invalidf("No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename")
}

// resolveTable finds the table a statement writes to in a node's schema,
// with Cassandra's errors for a missing keyspace or table.
func resolveTable(cat *schema.Catalog, name cql.QualifiedName, sessionKeyspace string) (*schema.Table, error) {
	return lookupTable(cat, name, sessionKeyspace, false)
}

// resolveReadable is resolveTable for reads, which may also name a
// materialized view. The stand-in keeps no view data (docs/testing.md), so
// a view reads as a table nobody writes to.
func resolveReadable(cat *schema.Catalog, name cql.QualifiedName, sessionKeyspace string) (*schema.Table, error) {
	return lookupTable(cat, name, sessionKeyspace, true)
}

func lookupTable(cat *schema.Catalog, name cql.QualifiedName, sessionKeyspace string, read bool) (*schema.Table, error) {
	ksName := name.KeyspaceOr(sessionKeyspace)
	if ksName == "" {
		return nil, noKeyspace()
	}
	// Cassandra 4.0 reworded these (Schema.validateTable); 3.11 still
	// speaks of unconfigured tables.
	ks := cat.Keyspace(ksName)
	if ks == nil {
		if cat.Version >= schema.V4_0 {
			return nil, invalidf("keyspace %s does not exist", ksName)
		}
		return nil, invalidf("Keyspace %s does not exist", ksName)
	}
	t := ks.Tables[name.Name.Name]
	if t == nil {
		if v := ks.Views[name.Name.Name]; v != nil {
			if !read {
				return nil, invalidf("Cannot directly modify a materialized view")
			}
			return &schema.Table{Keyspace: v.Keyspace, Name: v.Name, ID: v.ID, Columns: v.Columns, Options: v.Options,
				Dropped: map[string]*schema.DroppedColumn{}, Flags: []string{"compound"},
				Indexes: map[string]*schema.Index{}, Triggers: map[string]*schema.Trigger{}}, nil
		}
		if cat.Version >= schema.V4_0 {
			return nil, invalidf("table %s does not exist", name.Name.Name)
		}
		return nil, invalidf("unconfigured table %s", name.Name.Name)
	}
	return t, nil
}

// bound converts protocol values to the store's, putting values sent by
// name into bind-marker order.
func boundValues(values []wire.Value, names []string, vars []wire.Column) ([]store.BoundValue, error) {
	if len(names) > 0 {
		byName := make(map[string]wire.Value, len(names))
		for i, n := range names {
			byName[strings.ToLower(n)] = values[i]
		}
		ordered := make([]wire.Value, len(vars))
		for i, v := range vars {
			val, ok := byName[strings.ToLower(v.Name)]
			if !ok {
				return nil, invalidf("Invalid unset value for column %s", v.Name)
			}
			ordered[i] = val
		}
		values = ordered
	}
	if vars != nil && len(values) != len(vars) {
		return nil, invalidf("There were %d markers(?) in CQL but %d bound variables", len(vars), len(values))
	}
	out := make([]store.BoundValue, len(values))
	for i, v := range values {
		switch {
		case v.Unset:
			out[i] = store.BoundValue{Unset: true}
		case v.Null:
			out[i] = store.BoundValue{}
		default:
			out[i] = store.BoundValue{Bytes: v.Bytes}
		}
	}
	return out, nil
}

func (r *request) execOptions() store.ExecOptions {
	o := store.ExecOptions{Timestamp: r.params.Timestamp, HasTimestamp: r.params.HasTimestamp,
		PagingState: r.params.PagingState, Consistency: r.params.Consistency, HasConsistency: true,
		SerialConsistency: serialConsistency(r.params.Flags, r.params.SerialConsistency)}
	if r.params.PageSize > 0 {
		o.PageSize = int(r.params.PageSize)
	}
	return o
}

// serialConsistency is the serial consistency a request asks for: the one
// it sent, or SERIAL, the protocol's default when the flag is absent.
func serialConsistency(flags byte, sent wire.Consistency) wire.Consistency {
	if flags&wire.QuerySerialConsistency == 0 {
		return wire.Serial
	}
	return sent
}

// variables returns the bind variables of the request's statement, computed
// at PREPARE or now for a QUERY with values.
func (r *request) variables(cat *schema.Catalog) []wire.Column {
	if r.prepared != nil {
		return r.prepared.meta.Variables
	}
	if len(r.values) == 0 {
		return nil
	}
	vars, _, err := bindVariables(cat, r.stmt, r.keyspace)
	if err != nil {
		return nil
	}
	return vars
}

func (ds *dataStore) selectRows(ctx context.Context, n *Node, r *request) ([]byte, error) {
	s := r.stmt.(*cql.Select)
	cat := n.currentCatalog()
	t, err := resolveReadable(cat, s.Table, r.keyspace)
	if err != nil {
		return nil, err
	}
	vars := r.variables(cat)
	bound, err := boundValues(r.values, r.names, vars)
	if err != nil {
		return nil, err
	}
	var res *store.Result
	if rows, ok := ds.virtualRows(n, cat, t); ok {
		rows, err = canonicalRows(t, rows)
		if err != nil {
			return nil, err
		}
		res, err = store.SelectRows(t, rows, s, bound, r.execOptions())
	} else {
		ds.types.Store(cat)
		res, err = ds.store.Execute(ctx, s, t, bound, r.execOptions())
	}
	if err != nil {
		return nil, err
	}
	return ds.encodeResult(cat, t.Keyspace, res, r)
}

// virtualRows returns the rows of the tables the server generates: system
// tables from the node itself and system_schema from its schema.
func (ds *dataStore) virtualRows(n *Node, cat *schema.Catalog, t *schema.Table) ([]map[string]any, bool) {
	if rows, ok := ds.c.systemRows(n, t.Keyspace, t.Name); ok {
		return rows, true
	}
	if t.Keyspace == "system_schema" {
		return cat.SystemSchemaRows(t.Name), true
	}
	if ks := cat.Keyspace(t.Keyspace); ks != nil && ks.System {
		// Cassandra's other system tables (batches, paxos, ...) hold
		// nothing a client of the stand-in can see.
		return nil, true
	}
	return nil, false
}

func (ds *dataStore) modify(ctx context.Context, n *Node, r *request) ([]byte, error) {
	cat := n.currentCatalog()
	var t *schema.Table
	if b, ok := r.stmt.(*cql.Batch); ok {
		if len(b.Statements) == 0 {
			return wire.EncodeVoid(), nil
		}
		// Every statement of the batch is checked; the first names the
		// keyspace of the result.
		for i, st := range b.Statements {
			bt, err := writableTable(cat, st, r.keyspace)
			if err != nil {
				return nil, err
			}
			if i == 0 {
				t = bt
			}
		}
	} else {
		var err error
		if t, err = writableTable(cat, r.stmt, r.keyspace); err != nil {
			return nil, err
		}
	}
	bound, err := boundValues(r.values, r.names, r.variables(cat))
	if err != nil {
		return nil, err
	}
	ds.types.Store(cat)
	opts := r.execOptions()
	opts.Resolve = func(q cql.QualifiedName) (*schema.Table, error) { return resolveTable(cat, q, r.keyspace) }
	res, err := ds.store.Execute(ctx, r.stmt, t, bound, opts)
	if err != nil {
		return nil, err
	}
	return ds.encodeResult(cat, t.Keyspace, res, r)
}

// writableTable resolves the table a write or TRUNCATE names, refusing one
// that does not exist or belongs to a system keyspace, whether the write
// comes alone, in a CQL batch or in a BATCH message.
func writableTable(cat *schema.Catalog, stmt cql.Stmt, session string) (*schema.Table, error) {
	name, _ := stmtTable(stmt)
	t, err := resolveTable(cat, name, session)
	if err != nil {
		return nil, err
	}
	if ks := cat.Keyspace(t.Keyspace); ks != nil && ks.System {
		return nil, &wire.Error{Code: wire.CodeUnauthorized, Message: fmt.Sprintf("%s keyspace is not user-modifiable.", t.Keyspace)}
	}
	return t, nil
}

func (ds *dataStore) truncate(n *Node, r *request) ([]byte, error) {
	cat := n.currentCatalog()
	t, err := writableTable(cat, r.stmt, r.keyspace)
	if err != nil {
		return nil, err
	}
	ds.store.Truncate(t)
	return wire.EncodeVoid(), nil
}

var batchKinds = map[wire.BatchType]string{
	wire.BatchLogged: store.BatchLogged, wire.BatchUnlogged: store.BatchUnlogged, wire.BatchCounter: store.BatchCounter,
}

func (ds *dataStore) batch(ctx context.Context, n *Node, b wire.Batch, items []batchItem) ([]byte, error) {
	kind, ok := batchKinds[b.Type]
	if !ok {
		return nil, protocolError("Invalid batch type %d", b.Type)
	}
	cat := n.currentCatalog()
	var (
		sitems []store.BatchItem
		first  *schema.Table
	)
	for _, it := range items {
		t, err := writableTable(cat, it.stmt, it.keyspace)
		if err != nil {
			return nil, err
		}
		if first == nil {
			first = t
		}
		vars, _, err := bindVariables(cat, it.stmt, it.keyspace)
		if err != nil {
			return nil, err
		}
		bound, err := boundValues(it.values, nil, vars)
		if err != nil {
			return nil, err
		}
		sitems = append(sitems, store.BatchItem{Stmt: it.stmt, Table: t, Bound: bound})
	}
	ds.types.Store(cat)
	opts := store.ExecOptions{Timestamp: b.Timestamp, HasTimestamp: b.HasTimestamp,
		Consistency: b.Consistency, HasConsistency: true,
		SerialConsistency: serialConsistency(b.Flags, b.SerialConsistency)}
	res, err := ds.store.ExecuteBatch(ctx, kind, sitems, opts)
	if err != nil {
		return nil, err
	}
	ks := ""
	if first != nil {
		ks = first.Keyspace
	}
	return ds.encodeResult(cat, ks, res, nil)
}

// encodeResult turns a store result into a RESULT body: Void for nil, Rows
// otherwise. The column metadata is left out when the client asked to skip
// it and the statement was prepared with exactly these columns.
func (ds *dataStore) encodeResult(cat *schema.Catalog, keyspace string, res *store.Result, r *request) ([]byte, error) {
	if res == nil {
		return wire.EncodeVoid(), nil
	}
	resolve := wireResolver(cat)
	codec := store.Codec{Types: func(ks, name string) (*store.UserType, error) {
		if ks == "" {
			ks = keyspace
		}
		u, err := lookupUserType(cat, ks, name)
		if err != nil {
			return nil, err
		}
		return &store.UserType{Keyspace: u.Keyspace, Name: u.Name, FieldNames: u.FieldNames, FieldTypes: u.FieldTypes}, nil
	}}
	cols := make([]wire.Column, len(res.Columns))
	for i, c := range res.Columns {
		ks := c.Keyspace
		if ks == "" {
			ks = keyspace
		}
		opt, err := wire.OptionOf(c.Type, ks, resolve)
		if err != nil {
			return nil, fmt.Errorf("describe result column %s: %w", c.Name, err)
		}
		cols[i] = wire.Column{Keyspace: ks, Table: c.Table, Name: c.Name, Type: opt}
	}
	rows := make([][][]byte, len(res.Rows))
	for i, row := range res.Rows {
		cells := make([][]byte, len(row))
		for j, v := range row {
			b, err := codec.Encode(res.Columns[j].Type, v)
			if err != nil {
				return nil, fmt.Errorf("encode result column %s: %w", res.Columns[j].Name, err)
			}
			cells[j] = b
		}
		rows[i] = cells
	}
	meta := wire.Metadata{Columns: cols, PagingState: res.PagingState}
	if r != nil && r.prepared != nil && r.params.Flags&wire.QuerySkipMetadata != 0 &&
		sameColumns(r.prepared.meta.Result.Columns, cols) {
		meta.NoMetadata = true
	}
	return wire.EncodeRows(meta, rows), nil
}

func sameColumns(a, b []wire.Column) bool {
	if len(a) == 0 || len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name || a[i].Keyspace != b[i].Keyspace || a[i].Table != b[i].Table ||
			fmt.Sprint(a[i].Type) != fmt.Sprint(b[i].Type) {
			return false
		}
	}
	return true
}

// canonicalRows gives generated rows the Go types the store's Decode
// returns, by a round trip through the codec, so that row producers may use
// the codec's conveniences ([]string for a set, map[string]string for a
// map, ...).
func canonicalRows(t *schema.Table, rows []map[string]any) ([]map[string]any, error) {
	out := make([]map[string]any, len(rows))
	for i, row := range rows {
		m := make(map[string]any, len(row))
		for name, v := range row {
			c := t.Columns[name]
			if c == nil || v == nil {
				continue
			}
			b, err := store.Encode(c.Type, v)
			if err != nil {
				return nil, fmt.Errorf("system table %s.%s column %s: %w", t.Keyspace, t.Name, name, err)
			}
			if m[name], err = store.Decode(c.Type, b); err != nil {
				return nil, fmt.Errorf("system table %s.%s column %s: %w", t.Keyspace, t.Name, name, err)
			}
		}
		out[i] = m
	}
	return out, nil
}
