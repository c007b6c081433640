package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/cqltrack/cqltrack/engine/cql"
	"github.com/cqltrack/cqltrack/engine/cqltest/wire"
	"github.com/cqltrack/cqltrack/engine/schema"
)

// ExecOptions are the per-request settings of the protocol's QUERY, EXECUTE
// and BATCH messages that matter to the store.
type ExecOptions struct {
	// Timestamp is the client's default timestamp in microseconds, used when
	// HasTimestamp is set and the statement has no USING TIMESTAMP.
	Timestamp    int64
	HasTimestamp bool
	// PageSize limits the rows of one SELECT answer; 0 or less means all.
	PageSize int
	// PagingState resumes a SELECT where the previous page ended; it is the
	// opaque Result.PagingState of that page.
	PagingState []byte
	// Consistency is the request's consistency level as the protocol codes
	// it (ANY 0x0000 ... LOCAL_ONE 0x000A), checked only when
	// HasConsistency is set. The store is one replica and honours every
	// level alike; what it checks is which levels Cassandra refuses for
	// the statement (ConsistencyLevel.validateForRead, validateForWrite,
	// validateCounterForWrite, validateForCasCommit).
	Consistency    wire.Consistency
	HasConsistency bool
	// SerialConsistency is the protocol's serial consistency (SERIAL 0x0008
	// or LOCAL_SERIAL 0x0009) of a conditional update; a caller that checks
	// consistency passes SERIAL when the client sent none, as the protocol
	// defines. The store is one replica, so either gives the same
	// linearizable result.
	SerialConsistency wire.Consistency
	// Resolve finds the table of each statement of a CQL BATCH run through
	// Execute (their tables may differ). Nil means they all target the
	// table passed to Execute.
	Resolve func(name cql.QualifiedName) (*schema.Table, error)
}

// ColumnSpec names and types one column of a result.
type ColumnSpec struct {
	Keyspace string
	Table    string
	Name     string
	Type     cql.Type
}

// Result is the answer to a statement that returns rows: a SELECT, or a
// conditional update (whose first column is the boolean "[applied]").
// Values are Go values as Decode returns them. PagingState is set when more
// rows remain.
type Result struct {
	Columns     []ColumnSpec
	Rows        [][]any
	PagingState []byte
}

// BatchItem is one statement of a batch with its table and bound values
// (the protocol's BATCH message carries values per statement).
type BatchItem struct {
	Stmt  cql.Stmt
	Table *schema.Table
	Bound []BoundValue
}

// Batch types, as the CQL keywords and the protocol name them.
const (
	BatchLogged   = ""
	BatchUnlogged = "UNLOGGED"
	BatchCounter  = "COUNTER"
)

// Execute runs one statement against table: INSERT, UPDATE, DELETE (with or
// without conditions), SELECT, a CQL BATCH (whose statements target table,
// or the tables opts.Resolve finds for them) or TRUNCATE. A nil
// Result with a nil error is the protocol's VOID answer. Request errors are
// *schema.Error values with Cassandra's code and message.
func (s *Store) Execute(ctx context.Context, stmt cql.Stmt, table *schema.Table, bound []BoundValue, opts ExecOptions) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if table == nil {
		return nil, fmt.Errorf("execute %s: no table", stmt.Kind())
	}
	switch x := stmt.(type) {
	case *cql.Select:
		return s.selectStmt(x, table, bound, opts)
	case *cql.Insert, *cql.Update, *cql.Delete:
		return s.modify("", nil, []BatchItem{{Stmt: stmt, Table: table, Bound: bound}}, opts, false)
	case *cql.Batch:
		items := make([]BatchItem, len(x.Statements))
		for i, st := range x.Statements {
			items[i] = BatchItem{Stmt: st, Table: table, Bound: bound}
			if opts.Resolve == nil {
				continue
			}
			name, ok := modifiedTable(st)
			if !ok {
				return nil, invalidf("Invalid statement in batch: only UPDATE, INSERT and DELETE statements are allowed.")
			}
			t, err := opts.Resolve(name)
			if err != nil {
				return nil, err
			}
			items[i].Table = t
		}
		return s.modify(x.Type, x.Using, items, opts, true)
	case *cql.Truncate:
		s.Truncate(table)
		return nil, nil
	}
	return nil, invalidf("%s statements are not executed by the row store", stmt.Kind())
}

// modifiedTable is the table an INSERT, UPDATE or DELETE names.
func modifiedTable(stmt cql.Stmt) (cql.QualifiedName, bool) {
	switch x := stmt.(type) {
	case *cql.Insert:
		return x.Table, true
	case *cql.Update:
		return x.Table, true
	case *cql.Delete:
		return x.Table, true
	}
	return cql.QualifiedName{}, false
}

// ExecuteBatch runs the statements of a protocol BATCH message atomically:
// kind is BatchLogged, BatchUnlogged or BatchCounter. A batch with
// conditions is one lightweight transaction on one partition.
func (s *Store) ExecuteBatch(ctx context.Context, kind string, items []BatchItem, opts ExecOptions) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return s.modify(strings.ToUpper(kind), nil, items, opts, true)
}

// Truncate removes every row of table.
func (s *Store) Truncate(table *schema.Table) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tables, tableKey{table.Keyspace, table.Name, table.ID})
}

type opKind int

const (
	opSet      opKind = iota // col = v (null deletes)
	opAppend                 // list + v, set + v, map + v
	opPrepend                // v + list
	opRemove                 // list - v, set - v, map - keys
	opSetElem                // list[i] = v, map[k] = v
	opDelete                 // DELETE col
	opDelElem                // DELETE list[i], set? map[k]
	opCounter                // counter + n
	opSetField               // udt.field = v (null deletes the field)
)

type colOp struct {
	col   *schema.Column
	kind  opKind
	value any
	key   any
}

// mutation is one statement's effect on one partition.
type mutation struct {
	v       *tableView
	stmt    cql.Stmt
	pk      []any
	key     []byte
	cks     [][]any // target rows; nil entries never occur
	rowless bool    // no clustering given: static columns or the whole partition
	ranged  func([]any) bool
	insert  bool
	delete  bool
	ops     []colOp
	ts      int64
	hasTS   bool
	ttl     int32
	// conditions
	ifNotExists, ifExists bool
	conds                 []condition
}

type condition struct {
	col      *schema.Column
	elem     any
	hasElem  bool
	field    int
	hasField bool
	op       string
	values   []any
}

func (m *mutation) conditional() bool { return m.ifExists || m.ifNotExists || len(m.conds) > 0 }

// modify plans every statement, checks conditions and applies all
// mutations under the store lock, so a batch is atomic and isolated.
func (s *Store) modify(batchType string, batchUsing []cql.UsingParam, items []BatchItem, opts ExecOptions, isBatch bool) (*Result, error) {
	ev := evaluator{codec: Codec{}, clock: s.clock, gen: s.gen}
	// A single write without conditions has its consistency checked
	// before anything is bound (ModificationStatement); a batch without
	// conditions is not checked at all (BatchStatement.execute goes
	// straight to StorageProxy.mutateWithTriggers).
	if !isBatch && len(items) == 1 && !HasConditions(items[0].Stmt) && items[0].Table != nil {
		if err := opts.checkWriteConsistency(items[0].Table); err != nil {
			return nil, err
		}
	}
	var muts []*mutation
	batchTS, hasBatchTS := int64(0), false
	for _, u := range batchUsing {
		switch strings.ToUpper(u.Kind) {
		case "TIMESTAMP":
			v, err := ev.eval("[timestamp]", cql.Type{Name: "bigint"}, u.Value, itemsBound(items))
			if err != nil {
				return nil, err
			}
			if n, ok := v.(int64); ok {
				batchTS, hasBatchTS = n, true
			}
		case "TTL":
			return nil, invalidf("Global TTL on the BATCH statement is not supported.")
		}
	}
	for i, it := range items {
		if it.Table == nil {
			return nil, fmt.Errorf("batch statement %d: no table", i)
		}
		v := s.view(it.Table)
		ev.codec = v.codec
		ms, err := s.plan(v, ev, it.Stmt, it.Bound)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			if hasBatchTS {
				if m.hasTS {
					return nil, invalidf("Timestamp must be set either on BATCH or individual statements")
				}
				m.ts, m.hasTS = batchTS, true
			}
			if isBatch {
				if err := checkBatchType(batchType, m); err != nil {
					return nil, err
				}
			}
		}
		muts = append(muts, ms...)
	}
	conditional := false
	for _, m := range muts {
		if m.conditional() {
			conditional = true
		}
	}
	if conditional {
		for _, m := range muts {
			if m.hasTS {
				return nil, invalidf("Cannot provide custom timestamp for conditional updates")
			}
			if m.v.t.IsCounter() {
				return nil, invalidf("Conditional updates are not supported on counter tables")
			}
		}
		if isBatch {
			for _, m := range muts[1:] {
				if m.v.t != muts[0].v.t && (m.v.t.Keyspace != muts[0].v.t.Keyspace || m.v.t.Name != muts[0].v.t.Name) {
					return nil, invalidf("Batch with conditions cannot span multiple tables")
				}
				if string(m.key) != string(muts[0].key) {
					return nil, invalidf("Batch with conditions cannot span multiple partitions")
				}
			}
		}
		if err := opts.checkCASConsistency(); err != nil {
			return nil, err
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	now := instant{sec: s.clock.Now().Unix()}
	// A client timestamp does not move the server's: as in Cassandra
	// (ClientState.getTimestampForPaxos), a conditional write is stamped
	// from the server's clock and Paxos state alone, so a plain write from
	// a client whose clock runs ahead shadows later conditional ones.
	ts := s.nextTimestamp()
	if opts.HasTimestamp && !conditional {
		ts = opts.Timestamp
	}
	if conditional {
		if res, applied := s.checkConditions(muts, now, isBatch); !applied {
			return res, nil
		}
	}
	for _, m := range muts {
		if err := s.precheck(m, now); err != nil {
			return nil, err
		}
	}
	for _, m := range muts {
		mts := ts
		if m.hasTS {
			mts = m.ts
		}
		s.apply(m, mts, now)
	}
	if conditional {
		return casResult(muts[0].v.t, true), nil
	}
	return nil, nil
}

func itemsBound(items []BatchItem) []BoundValue {
	if len(items) == 0 {
		return nil
	}
	return items[0].Bound
}

func checkBatchType(batchType string, m *mutation) error {
	counter := m.v.t.IsCounter()
	switch batchType {
	case BatchCounter:
		if !counter {
			return invalidf("Cannot include non-counter statement in a counter batch")
		}
	default:
		if counter {
			return invalidf("Cannot include a counter statement in a logged batch")
		}
	}
	return nil
}

func casResult(t *schema.Table, applied bool) *Result {
	return &Result{
		Columns: []ColumnSpec{{Keyspace: t.Keyspace, Table: t.Name, Name: "[applied]", Type: cql.Type{Name: "boolean"}}},
		Rows:    [][]any{{applied}},
	}
}

// plan turns one INSERT, UPDATE or DELETE into mutations, one per target
// partition, validating it as Cassandra does.
func (s *Store) plan(v *tableView, ev evaluator, stmt cql.Stmt, bound []BoundValue) ([]*mutation, error) {
	switch x := stmt.(type) {
	case *cql.Insert:
		return s.planInsert(v, ev, x, bound)
	case *cql.Update:
		return s.planUpdate(v, ev, x, bound)
	case *cql.Delete:
		return s.planDelete(v, ev, x, bound)
	}
	return nil, invalidf("Invalid statement in batch: only UPDATE, INSERT and DELETE statements are allowed.")
}

func (v *tableView) column(id cql.Ident) (*schema.Column, error) {
	c := v.t.Columns[id.Name]
	if c == nil {
		return nil, invalidf("Undefined column name %s", cql.QuoteIdent(id.Name))
	}
	return c, nil
}

// using reads USING TTL and TIMESTAMP; ttl is the table default when the
// statement has none.
func (v *tableView) using(ev evaluator, params []cql.UsingParam, bound []BoundValue, m *mutation) error {
	m.ttl = int32(v.t.Options.DefaultTimeToLive)
	for _, u := range params {
		switch strings.ToUpper(u.Kind) {
		case "TTL":
			val, err := ev.eval("[ttl]", cql.Type{Name: "int"}, u.Value, bound)
			if err != nil {
				return err
			}
			switch n := val.(type) {
			case nil:
				return invalidf("Invalid null value of TTL")
			case int32:
				if n < 0 {
					return invalidf("A TTL must be greater or equal to 0, but was %d", n)
				}
				if n > maxTTL {
					return invalidf("ttl is too large. requested (%d) maximum (%d)", n, maxTTL)
				}
				m.ttl = n
			}
		case "TIMESTAMP":
			val, err := ev.eval("[timestamp]", cql.Type{Name: "bigint"}, u.Value, bound)
			if err != nil {
				return err
			}
			switch n := val.(type) {
			case nil:
				return invalidf("Invalid null value of timestamp")
			case int64:
				m.ts, m.hasTS = n, true
			}
		}
	}
	if m.ttl != 0 && v.t.IsCounter() {
		return invalidf("Cannot provide custom TTL for counter updates")
	}
	return nil
}

// maxTTL is Cassandra's limit: 20 years in seconds.
const maxTTL = 20 * 365 * 24 * 60 * 60

func (s *Store) planInsert(v *tableView, ev evaluator, st *cql.Insert, bound []BoundValue) ([]*mutation, error) {
	if v.t.IsCounter() {
		return nil, invalidf("INSERT statements are not allowed on counter tables, use UPDATE instead")
	}
	cols, vals := st.Columns, st.Values
	var jsonValues map[string]any
	if st.JSON != nil {
		var err error
		if jsonValues, err = v.jsonInsert(ev, st, bound); err != nil {
			return nil, err
		}
		for _, c := range selectOrder(v.t) {
			if _, ok := jsonValues[c.Name]; ok || st.Default != "UNSET" {
				cols = append(cols, cql.Ident{Name: c.Name})
			}
		}
	} else if len(cols) != len(vals) {
		return nil, invalidf("Unmatched column names/values")
	}
	values := map[string]any{}
	var order []*schema.Column
	for i, id := range cols {
		col, err := v.column(id)
		if err != nil {
			return nil, err
		}
		if _, dup := values[col.Name]; dup {
			return nil, invalidf("Multiple definitions found for column %s", col.Name)
		}
		var val any
		if jsonValues != nil {
			val = jsonValues[col.Name]
		} else {
			if val, err = ev.eval(col.Name, col.Type, vals[i], bound); err != nil {
				return nil, err
			}
		}
		values[col.Name] = val
		order = append(order, col)
	}
	pk, err := v.keyValues(values, v.pk, "Some partition key parts are missing: %s")
	if err != nil {
		return nil, err
	}
	var ck []any
	onlyStatic := true
	for _, col := range order {
		if col.Kind == schema.Regular {
			onlyStatic = false
		}
	}
	if len(v.ck) > 0 {
		ck, err = v.keyValues(values, v.ck, "Some clustering keys are missing: %s")
		if err != nil {
			if !onlyStatic || anyKeyGiven(values, v.ck) {
				return nil, err
			}
			ck = nil
		}
	}
	m := &mutation{v: v, stmt: st, pk: pk, insert: true, ifNotExists: st.IfNotExists}
	if ck != nil || len(v.ck) == 0 {
		m.cks = [][]any{ck}
	} else {
		m.rowless = true
	}
	if m.key, err = v.partitionKey(pk); err != nil {
		return nil, invalidf("%v", err)
	}
	if err := v.using(ev, st.Using, bound, m); err != nil {
		return nil, err
	}
	for _, col := range order {
		if col.IsPrimaryKey() {
			continue
		}
		val := values[col.Name]
		if val == Unset {
			continue
		}
		m.ops = append(m.ops, colOp{col: col, kind: opSet, value: val})
	}
	return []*mutation{m}, nil
}

func anyKeyGiven(values map[string]any, cols []*schema.Column) bool {
	for _, c := range cols {
		if _, ok := values[c.Name]; ok {
			return true
		}
	}
	return false
}

// keyValues collects the values of key columns, reporting missing ones with
// Cassandra's message.
func (v *tableView) keyValues(values map[string]any, cols []*schema.Column, missing string) ([]any, error) {
	out := make([]any, len(cols))
	var absent []string
	for i, c := range cols {
		val, ok := values[c.Name]
		if !ok {
			absent = append(absent, c.Name)
			continue
		}
		if val == Unset {
			return nil, invalidf("Invalid unset value for column %s", c.Name)
		}
		if val == nil {
			return nil, invalidf("Invalid null value in condition for column %s", c.Name)
		}
		out[i] = val
	}
	if len(absent) > 0 {
		return nil, invalidf(missing, strings.Join(absent, ", "))
	}
	return out, nil
}

// keyRestrictions are the primary key restrictions of UPDATE and DELETE.
type keyRestrictions struct {
	pk    [][]any // values per partition key column (IN gives several)
	ck    [][]any // values per restricted clustering column (prefix)
	slice []sliceBound
}

type sliceBound struct {
	col   int
	op    string
	value any
}

// whereKeys reads the WHERE clause of UPDATE and DELETE: the partition key
// columns and clustering columns by = or IN, and for DELETE a slice on
// the last restricted clustering column.
func (v *tableView) whereKeys(ev evaluator, where []cql.Relation, bound []BoundValue, allowSlice bool) (*keyRestrictions, error) {
	kr := &keyRestrictions{pk: make([][]any, len(v.pk)), ck: make([][]any, len(v.ck))}
	var nonPK []string
	for _, rel := range where {
		if rel.Token || rel.Tuple {
			return nil, invalidf("Only EQ and IN relation are supported on the partition key for modification statements: %s", relString(rel))
		}
		col, err := v.column(rel.Column())
		if err != nil {
			return nil, err
		}
		if !col.IsPrimaryKey() {
			nonPK = append(nonPK, col.Name)
			continue
		}
		var vals []any
		switch rel.Op {
		case "=":
			val, err := ev.eval(col.Name, col.Type, rel.Value, bound)
			if err != nil {
				return nil, err
			}
			vals = []any{val}
		case "IN":
			if vals, err = ev.inValues(col, rel, bound); err != nil {
				return nil, err
			}
		case "<", "<=", ">", ">=":
			if col.Kind != schema.Clustering || !allowSlice {
				if col.Kind == schema.PartitionKey {
					return nil, invalidf("Only EQ and IN relation are supported on the partition key (unless you use the token() function)")
				}
				return nil, invalidf("Invalid operator %s for PRIMARY KEY part %s", rel.Op, col.Name)
			}
			val, err := ev.eval(col.Name, col.Type, rel.Value, bound)
			if err != nil {
				return nil, err
			}
			if val == nil || val == Unset {
				return nil, invalidf("Invalid null value in condition for column %s", col.Name)
			}
			kr.slice = append(kr.slice, sliceBound{col: col.Position, op: rel.Op, value: val})
			continue
		default:
			return nil, invalidf("Invalid operator %s for PRIMARY KEY part %s", rel.Op, col.Name)
		}
		for _, val := range vals {
			if val == Unset {
				return nil, invalidf("Invalid unset value for column %s", col.Name)
			}
			if val == nil {
				return nil, invalidf("Invalid null value in condition for column %s", col.Name)
			}
		}
		target := kr.ck
		if col.Kind == schema.PartitionKey {
			target = kr.pk
		}
		if target[col.Position] != nil {
			return nil, invalidf("%s cannot be restricted by more than one relation if it includes an Equal", col.Name)
		}
		target[col.Position] = vals
	}
	if len(nonPK) > 0 {
		return nil, invalidf("Non PRIMARY KEY columns found in where clause: %s ", strings.Join(nonPK, ", "))
	}
	var missing []string
	for i, c := range v.pk {
		if kr.pk[i] == nil {
			missing = append(missing, c.Name)
		}
	}
	if len(missing) > 0 {
		return nil, invalidf("Some partition key parts are missing: %s", strings.Join(missing, ", "))
	}
	// The clustering restrictions must form a prefix, a slice only after it.
	n := 0
	for n < len(kr.ck) && kr.ck[n] != nil {
		n++
	}
	for i := n; i < len(kr.ck); i++ {
		if kr.ck[i] != nil {
			return nil, invalidf("PRIMARY KEY column \"%s\" cannot be restricted as preceding column \"%s\" is not restricted", v.ck[i].Name, v.ck[i-1].Name)
		}
	}
	for _, sb := range kr.slice {
		if sb.col != n {
			if sb.col < n {
				return nil, invalidf("%s cannot be restricted by more than one relation if it includes an Equal", v.ck[sb.col].Name)
			}
			return nil, invalidf("PRIMARY KEY column \"%s\" cannot be restricted as preceding column \"%s\" is not restricted", v.ck[sb.col].Name, v.ck[sb.col-1].Name)
		}
	}
	kr.ck = kr.ck[:n]
	return kr, nil
}

func relString(r cql.Relation) string {
	names := make([]string, len(r.Columns))
	for i, c := range r.Columns {
		names[i] = c.String()
	}
	return strings.Join(names, ", ") + " " + r.Op
}

// inValues evaluates the right side of an IN relation or condition:
// a list of terms, or one bind marker holding a list.
func (ev evaluator) inValues(col *schema.Column, rel cql.Relation, bound []BoundValue) ([]any, error) {
	if rel.Values != nil || rel.Value == nil {
		out := make([]any, 0, len(rel.Values))
		for _, t := range rel.Values {
			val, err := ev.eval(col.Name, col.Type, t, bound)
			if err != nil {
				return nil, err
			}
			out = append(out, val)
		}
		return out, nil
	}
	lt := cql.Type{Name: "list", Args: []cql.Type{col.Type}}
	val, err := ev.eval("in("+col.Name+")", lt, rel.Value, bound)
	if err != nil {
		return nil, err
	}
	if val == nil {
		return nil, invalidf("Invalid null value for IN restriction")
	}
	if val == Unset {
		return nil, invalidf("Invalid unset value for column %s", col.Name)
	}
	return val.([]any), nil
}

// cartesian expands per-column value lists into every combination, in
// order, without duplicates.
func (v *tableView) cartesian(cols []*schema.Column, lists [][]any) [][]any {
	out := [][]any{{}}
	for i, vals := range lists {
		// IN values are a set: in the column's order, each once.
		uniq := v.codec.sortSet(cols[i].Type, vals)
		var next [][]any
		for _, prefix := range out {
			for _, x := range uniq {
				next = append(next, append(append([]any(nil), prefix...), x))
			}
		}
		out = next
	}
	return out
}

// targets builds one mutation per partition named by the restrictions.
func (v *tableView) targets(kr *keyRestrictions, stmt cql.Stmt) ([]*mutation, error) {
	var out []*mutation
	cks := [][]any(nil)
	if len(kr.ck) > 0 {
		cks = v.cartesian(v.ck[:len(kr.ck)], kr.ck)
	}
	for _, pk := range v.cartesian(v.pk, kr.pk) {
		key, err := v.partitionKey(pk)
		if err != nil {
			return nil, invalidf("%v", err)
		}
		m := &mutation{v: v, stmt: stmt, pk: pk, key: key}
		switch {
		case len(v.ck) == 0:
			m.cks = [][]any{nil}
		case len(kr.ck) == len(v.ck) && len(kr.slice) == 0:
			m.cks = cks
		case len(kr.ck) == 0 && len(kr.slice) == 0:
			m.rowless = true
		default:
			m.ranged = v.rangeMatcher(kr.ck, cks, kr.slice)
		}
		out = append(out, m)
	}
	return out, nil
}

// rangeMatcher matches the clusterings under one of the prefixes and
// within the slice bounds.
func (v *tableView) rangeMatcher(prefixLists [][]any, prefixes [][]any, slice []sliceBound) func([]any) bool {
	n := len(prefixLists)
	return func(ck []any) bool {
		if n > 0 {
			ok := false
			for _, p := range prefixes {
				if v.compareClustering(ck[:n], p) == 0 {
					ok = true
					break
				}
			}
			if !ok {
				return false
			}
		}
		for _, sb := range slice {
			if !compareOp(v.codec.Compare(v.ck[sb.col].Type, ck[sb.col], sb.value), sb.op) {
				return false
			}
		}
		return true
	}
}

func compareOp(c int, op string) bool {
	switch op {
	case "=":
		return c == 0
	case "!=":
		return c != 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	}
	return false
}

func (s *Store) planUpdate(v *tableView, ev evaluator, st *cql.Update, bound []BoundValue) ([]*mutation, error) {
	kr, err := v.whereKeys(ev, st.Where, bound, false)
	if err != nil {
		return nil, err
	}
	var ops []colOp
	onlyStatic := true
	for _, a := range st.Assignments {
		col, err := v.column(a.Column)
		if err != nil {
			return nil, err
		}
		if col.IsPrimaryKey() {
			return nil, invalidf("PRIMARY KEY part %s found in SET part", col.Name)
		}
		if col.Kind != schema.Static {
			onlyStatic = false
		}
		op, err := v.assignment(ev, col, a, bound)
		if err != nil {
			return nil, err
		}
		if op != nil {
			ops = append(ops, *op)
		}
	}
	if len(kr.ck) < len(v.ck) && !(len(kr.ck) == 0 && onlyStatic) {
		var missing []string
		for _, c := range v.ck[len(kr.ck):] {
			missing = append(missing, c.Name)
		}
		return nil, invalidf("Some clustering keys are missing: %s", strings.Join(missing, ", "))
	}
	ms, err := v.targets(kr, st)
	if err != nil {
		return nil, err
	}
	if len(ms) > 1 && (st.IfExists || len(st.Conditions) > 0) {
		return nil, invalidf("IN on the partition key is not supported with conditional updates")
	}
	for _, m := range ms {
		if len(m.cks) > 1 && (st.IfExists || len(st.Conditions) > 0) {
			return nil, invalidf("IN on the clustering key columns is not supported with conditional updates")
		}
		m.ops = ops
		m.ifExists = st.IfExists
		if err := v.using(ev, st.Using, bound, m); err != nil {
			return nil, err
		}
		if m.conds, err = v.conditions(ev, st.Conditions, bound); err != nil {
			return nil, err
		}
	}
	return ms, nil
}

// assignment turns one SET item into a column operation; a nil op means
// the value was unset.
func (v *tableView) assignment(ev evaluator, col *schema.Column, a cql.Assignment, bound []BoundValue) (*colOp, error) {
	t := col.Type
	counter := t.Name == "counter"
	multiCell := !t.IsFrozen() && t.IsCollection()
	if a.Field != nil {
		i, ft, err := v.udtField(col, a.Field.Name, fmt.Sprintf("Invalid operation (%s.%s = %s) for frozen UDT column %s", col.Name, a.Field.Name, a.Value, col.Name))
		if err != nil {
			return nil, err
		}
		val, err := ev.eval(col.Name+"."+a.Field.Name, ft, a.Value, bound)
		if err != nil {
			return nil, err
		}
		if val == Unset {
			return nil, nil
		}
		return &colOp{col: col, kind: opSetField, key: i, value: val}, nil
	}
	if a.Index != nil {
		if !multiCell || t.Name == "set" {
			return nil, invalidf("Invalid operation (%s[%s] = %s) for non list/map column %s", col.Name, a.Index, a.Value, col.Name)
		}
		var key any
		var err error
		if t.Name == "list" {
			key, err = ev.eval("idx("+col.Name+")", cql.Type{Name: "int"}, a.Index, bound)
		} else {
			key, err = ev.eval("key("+col.Name+")", t.Args[0], a.Index, bound)
		}
		if err != nil {
			return nil, err
		}
		if key == nil {
			return nil, invalidf("Invalid null value for %s", map[bool]string{true: "list index", false: "map key"}[t.Name == "list"])
		}
		if key == Unset {
			return nil, invalidf("Invalid unset value for %s", map[bool]string{true: "list index", false: "map key"}[t.Name == "list"])
		}
		val, err := ev.eval("value("+col.Name+")", t.Args[len(t.Args)-1], a.Value, bound)
		if err != nil {
			return nil, err
		}
		if val == Unset {
			return nil, nil
		}
		return &colOp{col: col, kind: opSetElem, key: key, value: val}, nil
	}
	op, value := a.Op, a.Value
	// col = col + x and col = x + col arrive as "=" with a BinaryOp.
	prepend := false
	if b, ok := value.(*cql.BinaryOp); ok && op == "=" {
		if l, ok := b.Left.(*cql.ColumnRef); ok && l.Name.Name == col.Name {
			op, value = b.Op+"=", b.Right
		} else if r, ok := b.Right.(*cql.ColumnRef); ok && r.Name.Name == col.Name && b.Op == "+" {
			op, value, prepend = "+=", b.Left, true
		} else {
			return nil, invalidf("Only expressions of the form X = <value> + X are supported.")
		}
	}
	switch op {
	case "=":
		if counter {
			return nil, invalidf("Cannot set the value of counter column %s (counters can only be incremented/decremented, not set)", col.Name)
		}
		val, err := ev.eval(col.Name, t, value, bound)
		if err != nil {
			return nil, err
		}
		if val == Unset {
			return nil, nil
		}
		return &colOp{col: col, kind: opSet, value: val}, nil
	case "+=", "-=":
		if counter {
			val, err := ev.eval(col.Name, cql.Type{Name: "bigint"}, value, bound)
			if err != nil {
				return nil, err
			}
			if val == Unset {
				return nil, nil
			}
			if val == nil {
				return nil, invalidf("Invalid null value for counter increment")
			}
			n := val.(int64)
			if op == "-=" {
				n = -n
			}
			return &colOp{col: col, kind: opCounter, value: n}, nil
		}
		if !multiCell {
			return nil, invalidf("Invalid operation (%s = %s %s %s) for non counter column %s", col.Name, col.Name, op[:1], value, col.Name)
		}
		vt := t
		if op == "-=" && t.Name == "map" {
			vt = cql.Type{Name: "set", Args: []cql.Type{t.Args[0]}}
		}
		val, err := ev.eval(col.Name, vt, value, bound)
		if err != nil {
			return nil, err
		}
		if val == Unset {
			return nil, nil
		}
		kind := opAppend
		switch {
		case op == "-=":
			kind = opRemove
		case prepend:
			if t.Name != "list" {
				return nil, invalidf("Invalid operation (%s = %s + %s) for non list column %s", col.Name, value, col.Name, col.Name)
			}
			kind = opPrepend
		}
		return &colOp{col: col, kind: kind, value: val}, nil
	}
	return nil, invalidf("Invalid operation %s for column %s", op, col.Name)
}

// udtField finds a field of a non-frozen user type column; frozenMsg is
// the error for a frozen one.
func (v *tableView) udtField(col *schema.Column, field, frozenMsg string) (int, cql.Type, error) {
	if col.Type.IsFrozen() && col.Type.Unfrozen().IsUser() {
		return 0, cql.Type{}, invalidf("%s", frozenMsg)
	}
	if !col.Type.IsUser() {
		return 0, cql.Type{}, invalidf("Invalid field selection: %s of type %s is not a user type", col.Name, col.Type)
	}
	u, err := v.codec.userType(col.Type)
	if err != nil {
		return 0, cql.Type{}, invalidf("%v", err)
	}
	i := indexOf(u.FieldNames, field)
	if i < 0 {
		return 0, cql.Type{}, invalidf("UDT column %s does not have a field named %s", col.Name, field)
	}
	return i, u.FieldTypes[i], nil
}

func (v *tableView) conditions(ev evaluator, conds []cql.Condition, bound []BoundValue) ([]condition, error) {
	var out []condition
	for _, c := range conds {
		col, err := v.column(c.Column)
		if err != nil {
			return nil, err
		}
		if col.IsPrimaryKey() {
			return nil, invalidf("PRIMARY KEY column '%s' cannot have IF conditions", col.Name)
		}
		cd := condition{col: col, op: strings.ToUpper(c.Op)}
		vt := col.Type
		if c.Field != nil {
			u, err := v.codec.userType(col.Type.Unfrozen())
			if err != nil || !col.Type.Unfrozen().IsUser() {
				return nil, invalidf("Invalid field selection: %s of type %s is not a user type", col.Name, col.Type)
			}
			i := indexOf(u.FieldNames, c.Field.Name)
			if i < 0 {
				return nil, invalidf("UDT column %s does not have a field named %s", col.Name, c.Field.Name)
			}
			cd.field, cd.hasField = i, true
			vt = u.FieldTypes[i]
		}
		if c.Element != nil {
			ut := col.Type.Unfrozen()
			switch ut.Name {
			case "list":
				cd.elem, err = ev.eval("idx("+col.Name+")", cql.Type{Name: "int"}, c.Element, bound)
				vt = ut.Args[0]
			case "map":
				cd.elem, err = ev.eval("key("+col.Name+")", ut.Args[0], c.Element, bound)
				vt = ut.Args[1]
			default:
				return nil, invalidf("Invalid element access syntax for set column %s", col.Name)
			}
			if err != nil {
				return nil, err
			}
			if cd.elem == nil {
				return nil, invalidf("Invalid null value for %s element access", ut.Name)
			}
			cd.hasElem = true
		}
		switch cd.op {
		case "IN":
			vals, err := ev.inValues(&schema.Column{Name: col.Name, Type: vt}, cql.Relation{Op: "IN", Value: c.Value, Values: c.Values}, bound)
			if err != nil {
				return nil, err
			}
			cd.values = vals
		case "CONTAINS", "CONTAINS KEY":
			ut := col.Type.Unfrozen()
			et := cql.Type{}
			switch {
			case cd.op == "CONTAINS KEY" && ut.Name == "map":
				et = ut.Args[0]
			case cd.op == "CONTAINS" && ut.IsCollection():
				et = ut.Args[len(ut.Args)-1]
			default:
				return nil, invalidf("Cannot use %s on non-collection column %s", cd.op, col.Name)
			}
			val, err := ev.eval(col.Name, et, c.Value, bound)
			if err != nil {
				return nil, err
			}
			cd.values = []any{val}
		default:
			val, err := ev.eval(col.Name, vt, c.Value, bound)
			if err != nil {
				return nil, err
			}
			if val == Unset {
				return nil, invalidf("Invalid 'unset' value in condition")
			}
			if val == nil && cd.op != "=" && cd.op != "!=" {
				return nil, invalidf("Invalid comparison with null for operator \"%s\"", cd.op)
			}
			cd.values = []any{val}
		}
		out = append(out, cd)
	}
	return out, nil
}

func (s *Store) planDelete(v *tableView, ev evaluator, st *cql.Delete, bound []BoundValue) ([]*mutation, error) {
	kr, err := v.whereKeys(ev, st.Where, bound, true)
	if err != nil {
		return nil, err
	}
	var ops []colOp
	for _, sel := range st.Columns {
		col, err := v.column(sel.Column)
		if err != nil {
			return nil, err
		}
		if col.IsPrimaryKey() {
			return nil, invalidf("Invalid identifier %s for deletion (should not be a PRIMARY KEY part)", col.Name)
		}
		if sel.Field != nil {
			i, _, err := v.udtField(col, sel.Field.Name, fmt.Sprintf("Invalid deletion operation for frozen UDT column %s", col.Name))
			if err != nil {
				return nil, err
			}
			ops = append(ops, colOp{col: col, kind: opSetField, key: i})
			continue
		}
		if sel.Element != nil {
			t := col.Type
			if t.IsFrozen() || !t.IsCollection() {
				return nil, invalidf("Invalid deletion operation for non collection column %s", col.Name)
			}
			kt := elemKeyType(t)
			if t.Name == "list" {
				kt = cql.Type{Name: "int"}
			}
			key, err := ev.eval("key("+col.Name+")", kt, sel.Element, bound)
			if err != nil {
				return nil, err
			}
			if key == nil || key == Unset {
				return nil, invalidf("Invalid null value for %s element access", t.Name)
			}
			ops = append(ops, colOp{col: col, kind: opDelElem, key: key})
			continue
		}
		ops = append(ops, colOp{col: col, kind: opDelete})
	}
	if len(ops) > 0 && (len(kr.slice) > 0 || len(kr.ck) > 0 && len(kr.ck) < len(v.ck)) {
		return nil, invalidf("Range deletions are not supported for specific columns")
	}
	if len(ops) > 0 && len(kr.ck) == 0 && len(v.ck) > 0 {
		for _, op := range ops {
			if op.col.Kind != schema.Static {
				var missing []string
				for _, c := range v.ck {
					missing = append(missing, c.Name)
				}
				return nil, invalidf("Some clustering keys are missing: %s", strings.Join(missing, ", "))
			}
		}
	}
	ms, err := v.targets(kr, st)
	if err != nil {
		return nil, err
	}
	conditional := st.IfExists || len(st.Conditions) > 0
	for _, m := range ms {
		if conditional && len(ms) > 1 {
			return nil, invalidf("IN on the partition key is not supported with conditional deletions")
		}
		if conditional && (len(m.cks) > 1 || m.ranged != nil) {
			return nil, invalidf("IN on the clustering key columns is not supported with conditional deletions")
		}
		m.delete, m.ops, m.ifExists = true, ops, st.IfExists
		if err := v.using(ev, st.Using, bound, m); err != nil {
			return nil, err
		}
		m.ttl = 0
		if m.conds, err = v.conditions(ev, st.Conditions, bound); err != nil {
			return nil, err
		}
	}
	return ms, nil
}
