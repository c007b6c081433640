package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strings"

	"github.com/cqltrack/cqltrack/engine/cql"
	"github.com/cqltrack/cqltrack/engine/schema"
)

// filteringMsg is Cassandra's refusal of a query that needs ALLOW FILTERING.
const filteringMsg = "Cannot execute this query as it might involve data filtering and thus may have unpredictable performance. If you want to execute this query despite the performance unpredictability, use ALLOW FILTERING"

// output is one selected column.
type output struct {
	name  string
	typ   cql.Type
	kind  string // "col", "writetime", "ttl", "token", "count"
	col   *schema.Column
	index int // position in the row value slice for "col"
}

// query is a planned SELECT.
type query struct {
	v          *tableView
	sel        *cql.Select
	outs       []output
	aggregate  bool
	keys       [][]any // partition keys by EQ/IN, nil for a scan
	tokenLo    *tokenBound
	tokenHi    *tokenBound
	pkFilter   []rowPred // partial partition key restrictions (filtering)
	ckPred     []rowPred
	ckGiven    bool
	filters    []rowPred
	reversed   bool
	sortRows   bool // ORDER BY over several partitions
	limit      int
	perPart    int
	distinct   bool
	json       bool
	pageSize   int
	staticOnly bool
}

type tokenBound struct {
	value     int64
	inclusive bool
}

// rowPred tests one row given as a slice of column values.
type rowPred func(r *rowData) bool

// rowData is one row as a query sees it.
type rowData struct {
	p      *partition
	r      *row // nil for a static-only row
	ck     []any
	values map[string]cellValue
	now    instant
}

func (q *query) value(rd *rowData, c *schema.Column, now instant) cellValue {
	if cv, ok := rd.values[c.Name]; ok {
		return cv
	}
	var cv cellValue
	switch c.Kind {
	case schema.PartitionKey:
		cv = cellValue{value: rd.p.values[c.Position], live: true}
	case schema.Clustering:
		if rd.ck != nil {
			cv = cellValue{value: rd.ck[c.Position], live: true}
		}
	case schema.Static:
		if rd.p.static != nil {
			cv = q.v.columnValue(rd.p, rd.p.static, c, now)
		}
	default:
		if rd.r != nil {
			cv = q.v.columnValue(rd.p, rd.r, c, now)
		}
	}
	rd.values[c.Name] = cv
	return cv
}

func (s *Store) selectStmt(sel *cql.Select, table *schema.Table, bound []BoundValue, opts ExecOptions) (*Result, error) {
	v := s.view(table)
	ev := evaluator{codec: v.codec, clock: s.clock, gen: s.gen}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := instant{sec: s.clock.Now().Unix()}
	td := s.table(table, false)
	if td == nil {
		td = &tableData{parts: map[string]*partition{}}
	}
	return runSelect(v, ev, td, sel, bound, opts, now)
}

func runSelect(v *tableView, ev evaluator, td *tableData, sel *cql.Select, bound []BoundValue, opts ExecOptions, now instant) (*Result, error) {
	q, err := planSelect(v, ev, sel, bound, opts)
	if err != nil {
		return nil, err
	}
	return q.run(td, opts.PagingState, now)
}

func planSelect(v *tableView, ev evaluator, sel *cql.Select, bound []BoundValue, opts ExecOptions) (*query, error) {
	if err := opts.checkReadConsistency(); err != nil {
		return nil, err
	}
	q := &query{v: v, sel: sel, distinct: sel.Distinct, json: sel.JSON, pageSize: opts.PageSize}
	if len(sel.GroupBy) > 0 {
		return nil, invalidf("GROUP BY is not supported by the cqltest store")
	}
	if err := q.planSelectors(); err != nil {
		return nil, err
	}
	if err := q.planWhere(ev, bound); err != nil {
		return nil, err
	}
	if err := q.checkSerialRead(opts); err != nil {
		return nil, err
	}
	if err := q.planOrder(); err != nil {
		return nil, err
	}
	var err error
	if q.limit, err = limitValue(ev, sel.Limit, bound, "LIMIT"); err != nil {
		return nil, err
	}
	if q.perPart, err = limitValue(ev, sel.PerPartitionLimit, bound, "PER PARTITION LIMIT"); err != nil {
		return nil, err
	}
	if q.distinct && q.perPart > 0 {
		return nil, invalidf("PER PARTITION LIMIT is not allowed with SELECT DISTINCT queries")
	}
	if q.sortRows && q.pageSize > 0 && !q.aggregate {
		return nil, invalidf("Cannot page queries with both ORDER BY and a IN restriction on the partition key; you must either remove the ORDER BY or the IN and sort client side, or disable paging for this query")
	}
	return q, nil
}

func limitValue(ev evaluator, t cql.Term, bound []BoundValue, what string) (int, error) {
	if t == nil {
		return 0, nil
	}
	val, err := ev.eval("["+strings.ToLower(strings.ReplaceAll(what, " ", "_"))+"]", cql.Type{Name: "int"}, t, bound)
	if err != nil {
		return 0, err
	}
	switch n := val.(type) {
	case nil:
		return 0, invalidf("Invalid null value of limit")
	case int32:
		if n <= 0 {
			return 0, invalidf("%s must be strictly positive", what)
		}
		return int(n), nil
	}
	return 0, nil
}

func (q *query) planSelectors() error {
	v := q.v
	if len(q.sel.Selectors) == 0 {
		for _, c := range selectOrder(v.t) {
			if q.distinct && c.Kind != schema.PartitionKey && c.Kind != schema.Static {
				continue
			}
			q.outs = append(q.outs, output{name: c.Name, typ: c.Type, kind: "col", col: c})
		}
		return nil
	}
	for _, s := range q.sel.Selectors {
		var o output
		switch x := s.Expr.(type) {
		case *cql.ColumnRef:
			c, err := v.column(x.Name)
			if err != nil {
				return err
			}
			o = output{name: c.Name, typ: c.Type, kind: "col", col: c}
		case *cql.FunctionCall:
			name := strings.ToLower(x.Name.Name.Name)
			switch name {
			case "writetime", "ttl":
				if len(x.Args) != 1 {
					return invalidf("Invalid number of arguments for function %s", name)
				}
				ref, ok := x.Args[0].(*cql.ColumnRef)
				if !ok {
					return invalidf("Invalid argument %s for function %s", x.Args[0], name)
				}
				c, err := v.column(ref.Name)
				if err != nil {
					return err
				}
				fn := map[string]string{"writetime": "writeTime", "ttl": "ttl"}[name]
				if c.IsPrimaryKey() {
					return invalidf("Cannot use selection function %s on PRIMARY KEY part %s", fn, c.Name)
				}
				if !c.Type.IsFrozen() && c.Type.IsCollection() {
					return invalidf("Cannot use selection function %s on non-frozen collection %s", fn, c.Name)
				}
				o = output{name: name + "(" + c.Name + ")", typ: cql.Type{Name: "bigint"}, kind: name, col: c}
				if name == "ttl" {
					o.typ = cql.Type{Name: "int"}
				}
			case "count":
				if len(x.Args) != 1 {
					return invalidf("Invalid number of arguments in call to function system.count: 1 required but %d provided", len(x.Args))
				}
				o = output{name: "count", typ: cql.Type{Name: "bigint"}, kind: "count"}
				switch a := x.Args[0].(type) {
				case *cql.Star, *cql.Literal:
				case *cql.ColumnRef:
					c, err := v.column(a.Name)
					if err != nil {
						return err
					}
					o.col = c
					o.name = "system.count(" + c.Name + ")"
				default:
					return invalidf("Invalid argument %s for function count", a)
				}
				q.aggregate = true
			case "min", "max", "sum", "avg":
				if len(x.Args) != 1 {
					return invalidf("Invalid number of arguments in call to function system.%s: 1 required but %d provided", name, len(x.Args))
				}
				ref, ok := x.Args[0].(*cql.ColumnRef)
				if !ok {
					return invalidf("Invalid argument %s for function %s", x.Args[0], name)
				}
				c, err := v.column(ref.Name)
				if err != nil {
					return err
				}
				if (name == "sum" || name == "avg") && !isNumeric(c.Type) {
					return invalidf("Invalid call to function %s, none of its type signatures match (column %s is of type %s)", name, c.Name, c.Type)
				}
				o = output{name: "system." + name + "(" + c.Name + ")", typ: c.Type, kind: name, col: c}
				if c.Type.Name == "counter" {
					o.typ = cql.Type{Name: "bigint"}
				}
				q.aggregate = true
			case "token":
				if len(x.Args) != len(v.pk) {
					return invalidf("Invalid number of arguments in call to function system.token: %d required but %d provided", len(v.pk), len(x.Args))
				}
				names := make([]string, len(x.Args))
				for i, a := range x.Args {
					ref, ok := a.(*cql.ColumnRef)
					if !ok || ref.Name.Name != v.pk[i].Name {
						return invalidf("Type error: %s cannot be passed as argument %d of function system.token of type %s", a, i, v.pk[i].Type)
					}
					names[i] = ref.Name.Name
				}
				o = output{name: "system.token(" + strings.Join(names, ", ") + ")", typ: cql.Type{Name: "bigint"}, kind: "token"}
			default:
				return invalidf("Unknown function '%s'", x.Name)
			}
		default:
			return invalidf("Selector %s is not supported by the cqltest store", s.Expr)
		}
		if s.Alias != nil {
			o.name = s.Alias.Name
		}
		if q.distinct && o.kind == "col" && o.col.Kind != schema.PartitionKey && o.col.Kind != schema.Static {
			return invalidf("SELECT DISTINCT queries must only request partition key columns and/or static columns (not %s)", o.col.Name)
		}
		q.outs = append(q.outs, o)
	}
	if q.distinct {
		have := map[string]bool{}
		for _, o := range q.outs {
			if o.kind == "col" {
				have[o.col.Name] = true
			}
		}
		var missing []string
		for _, c := range v.pk {
			if !have[c.Name] {
				missing = append(missing, c.Name)
			}
		}
		if len(missing) > 0 && !q.aggregate {
			return invalidf("SELECT DISTINCT queries must request all the partition key columns (missing %s)", strings.Join(missing, ", "))
		}
	}
	return nil
}

func (q *query) planWhere(ev evaluator, bound []BoundValue) error {
	v := q.v
	pkVals := make([][]any, len(v.pk))
	ckEq := make([][]any, len(v.ck))
	ckRestricted := make([]bool, len(v.ck))
	ckSlice := make([]bool, len(v.ck))
	tupleTail := make([]bool, len(v.ck)) // later columns of a tuple slice
	needFiltering := false
	hasIndex := func(c *schema.Column) bool {
		for _, ix := range v.t.Indexes {
			t := ix.Target()
			if t == c.Name || strings.Trim(t, `"`) == c.Name || strings.Contains(t, "("+c.Name+")") {
				return true
			}
		}
		return false
	}
	for _, rel := range q.sel.Where {
		if rel.Token {
			if err := q.tokenRelation(ev, rel, bound); err != nil {
				return err
			}
			continue
		}
		if rel.Tuple {
			cols := make([]*schema.Column, len(rel.Columns))
			for i, id := range rel.Columns {
				c, err := v.column(id)
				if err != nil {
					return err
				}
				if c.Kind != schema.Clustering {
					return invalidf("Multi-column relations can only be applied to clustering columns but was applied to: %s", c.Name)
				}
				if i > 0 && c.Position != cols[i-1].Position+1 || i == 0 && c.Position != 0 && !q.sel.AllowFiltering && !ckRestricted[c.Position-1] {
					return invalidf("Clustering columns must appear in the PRIMARY KEY order in multi-column relations: %s", relString(rel))
				}
				cols[i] = c
				ckRestricted[c.Position] = true
				if rel.Op != "=" && rel.Op != "IN" {
					if i == 0 {
						ckSlice[c.Position] = true
					} else {
						tupleTail[c.Position] = true
					}
				}
			}
			pred, err := q.tupleRelation(ev, rel, cols, bound)
			if err != nil {
				return err
			}
			q.ckPred = append(q.ckPred, pred)
			q.ckGiven = true
			continue
		}
		col, err := v.column(rel.Column())
		if err != nil {
			return err
		}
		if rel.Element != nil {
			return invalidf("Element restrictions (%s[...]) are not supported by the cqltest store", col.Name)
		}
		pred, vals, err := q.columnRelation(ev, col, rel, bound)
		if err != nil {
			return err
		}
		switch col.Kind {
		case schema.PartitionKey:
			if (rel.Op == "=" || rel.Op == "IN") && pkVals[col.Position] == nil {
				pkVals[col.Position] = vals
			} else if rel.Op == "=" || rel.Op == "IN" {
				return invalidf("%s cannot be restricted by more than one relation if it includes an Equal", col.Name)
			} else {
				if !q.sel.AllowFiltering {
					return invalidf("Only EQ and IN relation are supported on the partition key (unless you use the token() function or ALLOW FILTERING)")
				}
				q.pkFilter = append(q.pkFilter, pred)
			}
		case schema.Clustering:
			if rel.Op == "=" || rel.Op == "IN" {
				if ckEq[col.Position] != nil {
					return invalidf("%s cannot be restricted by more than one relation if it includes an Equal", col.Name)
				}
				ckEq[col.Position] = vals
			} else if rel.Op == "CONTAINS" || rel.Op == "CONTAINS KEY" || rel.Op == "!=" || rel.Op == "LIKE" || rel.Op == "IS NOT NULL" {
				needFiltering = needFiltering || !hasIndex(col)
			} else {
				if ckEq[col.Position] != nil {
					return invalidf("%s cannot be restricted by more than one relation if it includes an Equal", col.Name)
				}
				ckSlice[col.Position] = true
			}
			ckRestricted[col.Position] = true
			q.ckPred = append(q.ckPred, pred)
			q.ckGiven = true
		default:
			switch rel.Op {
			case "=", "CONTAINS", "CONTAINS KEY":
				// An index answers these without filtering.
				needFiltering = needFiltering || !hasIndex(col)
			default:
				needFiltering = true
			}
			q.filters = append(q.filters, pred)
		}
	}
	// Partition key: all columns by EQ/IN, or none (a scan).
	given := 0
	for _, vals := range pkVals {
		if vals != nil {
			given++
		}
	}
	switch {
	case given == len(v.pk):
		if q.tokenLo != nil || q.tokenHi != nil {
			return invalidf("Columns \"%s\" cannot be restricted by both a normal relation and a token relation", v.pk[0].Name)
		}
		q.keys = v.cartesian(v.pk, pkVals)
		if q.keys == nil {
			q.keys = [][]any{} // IN (): no partition, not a scan
		}
	case given > 0:
		if !q.sel.AllowFiltering {
			return invalidf(filteringMsg)
		}
		for i, vals := range pkVals {
			if vals == nil {
				continue
			}
			c, vs := v.pk[i], vals
			q.pkFilter = append(q.pkFilter, func(rd *rowData) bool {
				for _, x := range vs {
					if v.codec.Compare(c.Type, rd.p.values[c.Position], x) == 0 {
						return true
					}
				}
				return false
			})
		}
	}
	// Clustering: a prefix of EQ/IN, then at most one slice, unless filtering.
	seenGap, seenSlice := false, false
	for i := range v.ck {
		if !ckRestricted[i] {
			seenGap = true
			continue
		}
		if tupleTail[i] {
			continue
		}
		if seenGap || seenSlice {
			if !q.sel.AllowFiltering {
				if seenSlice {
					return invalidf("Clustering column \"%s\" cannot be restricted (preceding column \"%s\" is restricted by a non-EQ relation)", v.ck[i].Name, v.ck[i-1].Name)
				}
				return invalidf("PRIMARY KEY column \"%s\" cannot be restricted as preceding column \"%s\" is not restricted", v.ck[i].Name, v.ck[i-1].Name)
			}
		}
		if ckSlice[i] {
			seenSlice = true
		}
	}
	if q.ckGiven && q.keys == nil && !q.sel.AllowFiltering {
		return invalidf(filteringMsg)
	}
	if needFiltering && !q.sel.AllowFiltering {
		return invalidf(filteringMsg)
	}
	if q.distinct && q.ckGiven {
		return invalidf("SELECT DISTINCT with WHERE clause only supports restriction by partition key and/or static columns.")
	}
	return nil
}

// columnRelation evaluates the right side of a single-column relation and
// returns a predicate, plus the values for = and IN.
func (q *query) columnRelation(ev evaluator, col *schema.Column, rel cql.Relation, bound []BoundValue) (rowPred, []any, error) {
	v := q.v
	op := strings.ToUpper(rel.Op)
	get := func(rd *rowData) any { return q.value(rd, col, nowOf(rd)).value }
	switch op {
	case "=", "<", "<=", ">", ">=", "!=":
		val, err := ev.eval(col.Name, col.Type, rel.Value, bound)
		if err != nil {
			return nil, nil, err
		}
		if val == Unset {
			return nil, nil, invalidf("Invalid unset value for column %s", col.Name)
		}
		if val == nil {
			return nil, nil, invalidf("Invalid null value in condition for column %s", col.Name)
		}
		return func(rd *rowData) bool {
			cur := get(rd)
			if cur == nil {
				return false
			}
			return compareOp(v.codec.Compare(col.Type, cur, val), op)
		}, []any{val}, nil
	case "IN":
		vals, err := ev.inValues(col, rel, bound)
		if err != nil {
			return nil, nil, err
		}
		for _, x := range vals {
			if x == nil || x == Unset {
				return nil, nil, invalidf("Invalid null value in condition for column %s", col.Name)
			}
		}
		return func(rd *rowData) bool {
			cur := get(rd)
			for _, x := range vals {
				if cur != nil && v.codec.Compare(col.Type, cur, x) == 0 {
					return true
				}
			}
			return false
		}, vals, nil
	case "CONTAINS", "CONTAINS KEY":
		ut := col.Type.Unfrozen()
		if !ut.IsCollection() || op == "CONTAINS KEY" && ut.Name != "map" {
			return nil, nil, invalidf("Cannot use %s on non-collection column %s", op, col.Name)
		}
		et := ut.Args[len(ut.Args)-1]
		if op == "CONTAINS KEY" {
			et = ut.Args[0]
		}
		val, err := ev.eval(col.Name, et, rel.Value, bound)
		if err != nil {
			return nil, nil, err
		}
		cond := condition{col: col, op: op, values: []any{val}}
		return func(rd *rowData) bool { return v.conditionHolds(cond, get(rd)) }, nil, nil
	case "IS NOT NULL":
		return func(rd *rowData) bool { return get(rd) != nil }, nil, nil
	}
	return nil, nil, invalidf("Unsupported restriction: %s", relString(rel))
}

func nowOf(rd *rowData) instant { return rd.now }

func (q *query) tupleRelation(ev evaluator, rel cql.Relation, cols []*schema.Column, bound []BoundValue) (rowPred, error) {
	v := q.v
	args := make([]cql.Type, len(cols))
	for i, c := range cols {
		args[i] = c.Type
	}
	tt := cql.Type{Name: "tuple", Args: args}
	var tuples [][]any
	evalTuple := func(t cql.Term) error {
		val, err := ev.eval("("+relString(rel)+")", tt, t, bound)
		if err != nil {
			return err
		}
		tup, ok := val.([]any)
		if !ok {
			return invalidf("Invalid null value for tuple relation %s", relString(rel))
		}
		tuples = append(tuples, tup)
		return nil
	}
	op := strings.ToUpper(rel.Op)
	if op == "IN" {
		if rel.Values != nil {
			for _, t := range rel.Values {
				if err := evalTuple(t); err != nil {
					return nil, err
				}
			}
		} else {
			val, err := ev.eval("in("+relString(rel)+")", cql.Type{Name: "list", Args: []cql.Type{tt}}, rel.Value, bound)
			if err != nil {
				return nil, err
			}
			l, _ := val.([]any)
			for _, x := range l {
				tup, _ := x.([]any)
				tuples = append(tuples, tup)
			}
		}
	} else if err := evalTuple(rel.Value); err != nil {
		return nil, err
	}
	cmpTuple := func(ck []any, tup []any) int {
		for i, c := range cols {
			if i >= len(tup) {
				return 0
			}
			if r := v.codec.Compare(c.Type, ck[c.Position], tup[i]); r != 0 {
				return r
			}
		}
		return 0
	}
	return func(rd *rowData) bool {
		if rd.ck == nil {
			return false
		}
		if op == "IN" {
			for _, tup := range tuples {
				if cmpTuple(rd.ck, tup) == 0 {
					return true
				}
			}
			return false
		}
		return compareOp(cmpTuple(rd.ck, tuples[0]), op)
	}, nil
}

func (q *query) tokenRelation(ev evaluator, rel cql.Relation, bound []BoundValue) error {
	v := q.v
	if len(rel.Columns) != len(v.pk) {
		return invalidf("The token() function must be applied to all partition key components or none of them")
	}
	for i, id := range rel.Columns {
		if id.Name != v.pk[i].Name {
			return invalidf("The token function arguments must be in the partition key order: %s", relString(rel))
		}
	}
	var tok int64
	if fc, ok := rel.Value.(*cql.FunctionCall); ok && strings.EqualFold(fc.Name.Name.Name, "token") {
		if len(fc.Args) != len(v.pk) {
			return invalidf("Invalid number of arguments in call to function system.token: %d required but %d provided", len(v.pk), len(fc.Args))
		}
		vals := make([]any, len(v.pk))
		for i, a := range fc.Args {
			x, err := ev.eval(v.pk[i].Name, v.pk[i].Type, a, bound)
			if err != nil {
				return err
			}
			if x == nil || x == Unset {
				return invalidf("Invalid null value for partition key part %s", v.pk[i].Name)
			}
			vals[i] = x
		}
		key, err := v.partitionKey(vals)
		if err != nil {
			return invalidf("%v", err)
		}
		tok = Token(key)
	} else {
		x, err := ev.eval("partition key token", cql.Type{Name: "bigint"}, rel.Value, bound)
		if err != nil {
			return err
		}
		n, ok := x.(int64)
		if !ok {
			return invalidf("Invalid null value for token")
		}
		tok = n
	}
	switch rel.Op {
	case ">", ">=":
		q.tokenLo = &tokenBound{tok, rel.Op == ">="}
	case "<", "<=":
		q.tokenHi = &tokenBound{tok, rel.Op == "<="}
	case "=":
		q.tokenLo = &tokenBound{tok, true}
		q.tokenHi = &tokenBound{tok, true}
	default:
		return invalidf("Unsupported restriction on token: %s", rel.Op)
	}
	return nil
}

func (q *query) planOrder() error {
	v := q.v
	if len(q.sel.OrderBy) == 0 {
		return nil
	}
	if q.keys == nil {
		return invalidf("ORDER BY is only supported when the partition key is restricted by an EQ or an IN.")
	}
	for i, o := range q.sel.OrderBy {
		if o.ANN != nil {
			return invalidf("ANN ordering is not supported by the cqltest store")
		}
		c := v.t.Columns[o.Column.Name]
		if c == nil {
			return invalidf("Order by on unknown column %s", cql.QuoteIdent(o.Column.Name))
		}
		if c.Kind != schema.Clustering {
			return invalidf("Order by is currently only supported on the clustered columns of the PRIMARY KEY, got %s", c.Name)
		}
		if c.Position != i {
			return invalidf("Order by currently only supports the ordering of columns following their declared order in the PRIMARY KEY")
		}
		rev := o.Desc != (c.Order == schema.Desc)
		if i == 0 {
			q.reversed = rev
		} else if rev != q.reversed {
			return invalidf("Unsupported order by relation")
		}
	}
	if len(q.keys) > 1 {
		q.sortRows = true
	}
	return nil
}

// pagingState is where a page ended: the partition key, the clustering of
// the last row (absent for a static-only row), and the limits left.
type pagingState struct {
	key       []byte
	ck        []any
	hasCK     bool
	remaining int
	partLeft  int
}

func (q *query) encodePaging(ps pagingState) []byte {
	var b []byte
	b = binary.BigEndian.AppendUint32(b, uint32(len(ps.key)))
	b = append(b, ps.key...)
	if ps.hasCK {
		b = append(b, 1)
		b = binary.BigEndian.AppendUint32(b, uint32(len(ps.ck)))
		for i, x := range ps.ck {
			b, _ = q.v.codec.appendBytes(b, q.v.ck[i].Type, x)
		}
	} else {
		b = append(b, 0)
	}
	b = binary.BigEndian.AppendUint32(b, uint32(int32(ps.remaining)))
	b = binary.BigEndian.AppendUint32(b, uint32(int32(ps.partLeft)))
	return b
}

var errBadPaging = errors.New("bad paging state")

func (q *query) decodePaging(b []byte) (pagingState, error) {
	var ps pagingState
	read32 := func() (int, error) {
		if len(b) < 4 {
			return 0, errBadPaging
		}
		n := int(int32(binary.BigEndian.Uint32(b)))
		b = b[4:]
		return n, nil
	}
	n, err := read32()
	if err != nil || n < 0 || n > len(b) {
		return ps, errBadPaging
	}
	ps.key, b = append([]byte{}, b[:n]...), b[n:]
	if len(b) < 1 {
		return ps, errBadPaging
	}
	ps.hasCK, b = b[0] == 1, b[1:]
	if ps.hasCK {
		cnt, err := read32()
		if err != nil || cnt > len(q.v.ck) || cnt < 0 {
			return ps, errBadPaging
		}
		for i := 0; i < cnt; i++ {
			x, m, err := q.v.codec.readBytes(q.v.ck[i].Type, b)
			if err != nil {
				return ps, errBadPaging
			}
			ps.ck, b = append(ps.ck, x), b[m:]
		}
	}
	if ps.remaining, err = read32(); err != nil {
		return ps, err
	}
	if ps.partLeft, err = read32(); err != nil {
		return ps, err
	}
	return ps, nil
}

// partitions lists the partitions to read in order, and the index at
// which a read resuming after partition key resume starts (the position
// that partition has or would have, even if it is gone since).
func (q *query) partitions(td *tableData, resume []byte) ([]*partition, int) {
	v := q.v
	var out []*partition
	startAt := 0
	if q.keys != nil {
		seen := map[string]bool{}
		for _, k := range q.keys {
			key, err := v.partitionKey(k)
			if err != nil || seen[string(key)] {
				continue
			}
			seen[string(key)] = true
			if resume != nil && string(key) == string(resume) {
				startAt = len(out)
			}
			if p := td.parts[string(key)]; p != nil {
				out = append(out, p)
			}
		}
		return out, startAt
	}
	var from *partition
	if resume != nil {
		from = &partition{key: string(resume), token: Token(resume)}
	}
	for _, p := range td.order {
		if q.tokenLo != nil && (p.token < q.tokenLo.value || p.token == q.tokenLo.value && !q.tokenLo.inclusive) {
			continue
		}
		if q.tokenHi != nil && (p.token > q.tokenHi.value || p.token == q.tokenHi.value && !q.tokenHi.inclusive) {
			continue
		}
		if from != nil && partitionLess(p, from) {
			startAt = len(out) + 1
		}
		out = append(out, p)
	}
	return out, startAt
}

func (q *query) run(td *tableData, paging []byte, now instant) (*Result, error) {
	v := q.v
	res := &Result{Columns: q.columns()}
	var resume *pagingState
	if len(paging) > 0 && !q.aggregate {
		ps, err := q.decodePaging(paging)
		if err != nil {
			return nil, &schema.Error{Code: 0x000A, Msg: "Invalid value for the paging state"}
		}
		resume = &ps
	}
	limit := q.limit
	if resume != nil && limit > 0 {
		limit = resume.remaining
	}
	var resumeKey []byte
	if resume != nil {
		resumeKey = resume.key
	}
	parts, startAt := q.partitions(td, resumeKey)
	var rows []*rowData
	var matched []*rowData // rows an aggregate reads
	pageFull := false
	var last pagingState
	emitted := 0
	for pi := startAt; pi < len(parts) && !pageFull; pi++ {
		p := parts[pi]
		partLimit := q.perPart
		if resume != nil && pi == startAt && p.key == string(resume.key) && q.perPart > 0 {
			partLimit = resume.partLeft
		}
		if resume != nil && pi == startAt && p.key == string(resume.key) && q.distinct {
			// DISTINCT returned this partition already.
			continue
		}
		inPart := 0
		for _, rd := range q.partitionRows(p, now) {
			if resume != nil && pi == startAt && p.key == string(resume.key) && !q.after(rd, resume) {
				continue
			}
			if !q.matches(rd, now) {
				continue
			}
			if q.aggregate {
				matched = append(matched, rd)
				continue
			}
			if q.sortRows {
				rows = append(rows, rd)
				continue
			}
			if q.perPart > 0 && inPart >= partLimit {
				break
			}
			if limit > 0 && emitted >= limit {
				break
			}
			if q.pageSize > 0 && emitted >= q.pageSize {
				pageFull = true
				break
			}
			rows = append(rows, rd)
			inPart++
			emitted++
			last = pagingState{key: []byte(p.key), ck: rd.ck, hasCK: rd.ck != nil, partLeft: partLimit - inPart}
			if q.distinct {
				break
			}
		}
		if limit > 0 && emitted >= limit {
			break
		}
	}
	if q.sortRows {
		sort.SliceStable(rows, func(i, j int) bool {
			c := v.compareClustering(rows[i].ck, rows[j].ck)
			if q.reversed {
				c = -c
			}
			return c < 0
		})
		if limit > 0 && len(rows) > limit {
			rows = rows[:limit]
		}
	}
	if q.aggregate {
		vals := make([]any, len(q.outs))
		for i, o := range q.outs {
			vals[i] = q.aggregateValue(o, matched, now)
		}
		res.Rows = [][]any{vals}
		if q.json {
			res.Rows = [][]any{{q.jsonRow(vals)}}
		}
		return res, nil
	}
	for _, rd := range rows {
		vals := make([]any, len(q.outs))
		for i, o := range q.outs {
			vals[i] = q.project(rd, o, now)
		}
		if q.json {
			vals = []any{q.jsonRow(vals)}
		}
		res.Rows = append(res.Rows, vals)
	}
	// A page that came out exactly full says there may be more, as
	// Cassandra's pager does (DataLimits.isExhausted: counted < count): it
	// does not look ahead, and the next page comes back empty. A LIMIT
	// reached ends the paging.
	if !pageFull && !q.sortRows && q.pageSize > 0 && emitted == q.pageSize && (limit == 0 || emitted < limit) {
		pageFull = true
	}
	if pageFull {
		remaining := 0
		if limit > 0 {
			remaining = limit - emitted
		}
		last.remaining = remaining
		res.PagingState = q.encodePaging(last)
	}
	return res, nil
}

// columns is the result metadata of the query.
func (q *query) columns() []ColumnSpec {
	t := q.v.t
	if q.json {
		return []ColumnSpec{{Keyspace: t.Keyspace, Table: t.Name, Name: "[json]", Type: cql.Type{Name: "text"}}}
	}
	out := make([]ColumnSpec, 0, len(q.outs))
	for _, o := range q.outs {
		out = append(out, ColumnSpec{Keyspace: t.Keyspace, Table: t.Name, Name: o.name, Type: o.typ})
	}
	return out
}

// ResultColumns returns the columns a SELECT on t answers with, in order,
// without running it: the result metadata of a PREPARE. It validates the
// selection (unknown columns, misused functions) but not the WHERE clause.
func ResultColumns(t *schema.Table, sel *cql.Select) ([]ColumnSpec, error) {
	q := &query{v: &tableView{t: t, pk: t.PartitionKey(), ck: t.ClusteringColumns()}, sel: sel, distinct: sel.Distinct, json: sel.JSON}
	if err := q.planSelectors(); err != nil {
		return nil, err
	}
	return q.columns(), nil
}

func (q *query) jsonRow(vals []any) string {
	obj := map[string]any{}
	var keys []string
	for i, o := range q.outs {
		name := o.name
		if cql.QuoteIdent(name) != name {
			name = `"` + name + `"`
		}
		obj[name] = jsonValue(o.typ, vals[i])
		keys = append(keys, name)
	}
	// Keep the selection order, as Cassandra does.
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		kb, _ := json.Marshal(k)
		vb, _ := json.Marshal(obj[k])
		b.Write(kb)
		b.WriteString(": ")
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.String()
}

// after reports whether rd comes after the paging position in the
// partition where the previous page ended.
func (q *query) after(rd *rowData, ps *pagingState) bool {
	if !ps.hasCK {
		// The last row was the static-only row: everything else follows.
		return rd.ck != nil
	}
	if rd.ck == nil {
		return false
	}
	c := q.v.compareClustering(rd.ck, ps.ck)
	if q.reversed {
		return c < 0
	}
	return c > 0
}

// partitionRows lists the live rows of a partition in query order; a
// partition with only static data yields one row without clustering.
func (q *query) partitionRows(p *partition, now instant) []*rowData {
	v := q.v
	mk := func(r *row, ck []any) *rowData {
		return &rowData{p: p, r: r, ck: ck, values: map[string]cellValue{}, now: now}
	}
	var out []*rowData
	for _, r := range p.rows {
		if v.rowLive(p, r, now) {
			ck := r.ck
			if len(v.ck) == 0 {
				ck = nil
			}
			out = append(out, mk(r, ck))
		}
	}
	if q.reversed {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	if len(out) == 0 && v.staticLive(p, now) && !q.ckGiven {
		out = append(out, mk(nil, nil))
	}
	return out
}

func (q *query) matches(rd *rowData, now instant) bool {
	for _, pred := range q.pkFilter {
		if !pred(rd) {
			return false
		}
	}
	for _, pred := range q.ckPred {
		if rd.ck == nil && len(q.v.ck) > 0 {
			return false
		}
		if !pred(rd) {
			return false
		}
	}
	for _, pred := range q.filters {
		if !pred(rd) {
			return false
		}
	}
	return true
}

// aggregateValue computes one output of an aggregate query over the
// matched rows; a plain column takes its value from the first row.
func (q *query) aggregateValue(o output, rows []*rowData, now instant) any {
	var vals []any
	if o.col != nil {
		for _, rd := range rows {
			if x := q.project(rd, output{kind: "col", col: o.col}, now); x != nil {
				vals = append(vals, x)
			}
		}
	}
	switch o.kind {
	case "count":
		if o.col == nil {
			return int64(len(rows))
		}
		return int64(len(vals))
	case "min", "max":
		var best any
		for _, x := range vals {
			c := q.v.codec.Compare(o.col.Type, x, best)
			if best == nil || o.kind == "min" && c < 0 || o.kind == "max" && c > 0 {
				best = x
			}
		}
		return best
	case "sum", "avg":
		return sumValues(o.typ, vals, o.kind == "avg")
	}
	if len(rows) == 0 {
		return nil
	}
	return q.project(rows[0], o, now)
}

func (q *query) project(rd *rowData, o output, now instant) any {
	switch o.kind {
	case "col":
		return q.value(rd, o.col, now).value
	case "writetime":
		cv := q.value(rd, o.col, now)
		if !cv.live {
			return nil
		}
		return cv.writetime
	case "ttl":
		cv := q.value(rd, o.col, now)
		if !cv.live || cv.ttl == 0 {
			return nil
		}
		return cv.ttl
	case "token":
		return rd.p.token
	}
	return nil
}

// SelectRows runs a SELECT over rows given as column name to value maps
// (the server's system.local, system.peers and system_schema tables),
// with the same restrictions, ordering, limits, projection and paging as
// for stored tables. Values must be the Go types Decode returns.
func SelectRows(t *schema.Table, rows []map[string]any, sel *cql.Select, bound []BoundValue, opts ExecOptions) (*Result, error) {
	v := &tableView{t: t, pk: t.PartitionKey(), ck: t.ClusteringColumns()}
	td := &tableData{parts: map[string]*partition{}}
	for i, values := range rows {
		if err := v.load(td, values); err != nil {
			return nil, fmt.Errorf("select rows: row %d: %w", i, err)
		}
	}
	ev := evaluator{codec: v.codec, clock: WallClock{}, gen: defaultGen}
	return runSelect(v, ev, td, sel, bound, opts, instant{sec: 0})
}

// load writes one row of values directly, with a row marker, at
// timestamp 1 and no TTL.
func (v *tableView) load(td *tableData, values map[string]any) error {
	pk := make([]any, len(v.pk))
	for i, c := range v.pk {
		x, ok := values[c.Name]
		if !ok || x == nil {
			return fmt.Errorf("partition key column %s missing", c.Name)
		}
		pk[i] = x
	}
	key, err := v.partitionKey(pk)
	if err != nil {
		return err
	}
	ck := make([]any, len(v.ck))
	for i, c := range v.ck {
		x, ok := values[c.Name]
		if !ok || x == nil {
			return fmt.Errorf("clustering column %s missing", c.Name)
		}
		ck[i] = x
	}
	p := td.partition(key, pk, true)
	r := v.row(p, ck, true)
	r.marker = liveness{ts: 1}
	for name, x := range values {
		c := v.t.Columns[name]
		if c == nil {
			return fmt.Errorf("unknown column %s", name)
		}
		if c.IsPrimaryKey() || x == nil {
			continue
		}
		target := r
		if c.Kind == schema.Static {
			if p.static == nil {
				p.static = newRow(nil)
			}
			target = p.static
		}
		if !c.Type.IsFrozen() && c.Type.IsCollection() {
			norm, err := v.codec.normalize(c.Type, x)
			if err != nil {
				return fmt.Errorf("column %s: %w", name, err)
			}
			cc := target.complexOf(c.Name)
			switch val := norm.(type) {
			case []any:
				for i, e := range val {
					key := any(e)
					var value any
					if c.Type.Name == "list" {
						key, value = int64(i), e
					}
					cc.elems = append(cc.elems, &elem{key: key, cell: cell{ts: 1, value: value}})
				}
			case []MapEntry:
				for _, e := range val {
					cc.elems = append(cc.elems, &elem{key: e.Key, cell: cell{ts: 1, value: e.Value}})
				}
			}
			continue
		}
		target.cells[c.Name] = &cell{ts: 1, value: x}
	}
	return nil
}

func isNumeric(t cql.Type) bool {
	switch t.Name {
	case "tinyint", "smallint", "int", "bigint", "counter", "varint", "float", "double", "decimal":
		return true
	}
	return false
}

// sumValues adds numbers in the column's own type, as Cassandra's sum and
// avg do (integer averages truncate; an empty input gives 0).
func sumValues(t cql.Type, vals []any, avg bool) any {
	n := int64(len(vals))
	switch t.Name {
	case "float", "double":
		var f float64
		for _, x := range vals {
			v, _ := toFloat(x)
			f += v
		}
		if avg && n > 0 {
			f /= float64(n)
		}
		if t.Name == "float" {
			return float32(f)
		}
		return f
	case "varint":
		sum := new(big.Int)
		for _, x := range vals {
			if b, ok := toBig(x); ok {
				sum.Add(sum, b)
			}
		}
		if avg && n > 0 {
			sum.Quo(sum, big.NewInt(n))
		}
		return sum
	case "decimal":
		sum := new(big.Rat)
		for _, x := range vals {
			if d, ok := x.(Decimal); ok {
				sum.Add(sum, d.Rat())
			}
		}
		if avg && n > 0 {
			sum.Quo(sum, new(big.Rat).SetInt64(n))
		}
		d, err := ParseDecimal(sum.FloatString(decimalDigits(vals, avg)))
		if err != nil {
			return Decimal{Unscaled: new(big.Int)}
		}
		return d
	}
	var sum int64
	for _, x := range vals {
		v, _ := intIn(t, x, math.MinInt64, math.MaxInt64)
		sum += v
	}
	if avg && n > 0 {
		sum /= n
	}
	switch t.Name {
	case "tinyint":
		return int8(sum)
	case "smallint":
		return int16(sum)
	case "int":
		return int32(sum)
	}
	return sum
}

// decimalDigits is the scale of a decimal sum: the largest input scale, a
// few more digits for an average.
func decimalDigits(vals []any, avg bool) int {
	scale := 0
	for _, x := range vals {
		if d, ok := x.(Decimal); ok && int(d.Scale) > scale {
			scale = int(d.Scale)
		}
	}
	if avg {
		scale += 6
	}
	return scale
}
