package store

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/cqltrack/cqltrack/engine/cql"
	"github.com/cqltrack/cqltrack/engine/schema"
)

// targetRows returns the rows a mutation writes: its clustering rows, or
// the static row when it names no clustering.
func (s *Store) targetRows(m *mutation, p *partition, create bool) []*row {
	if m.rowless {
		if p.static == nil && create {
			p.static = newRow(nil)
		}
		if p.static == nil {
			return nil
		}
		return []*row{p.static}
	}
	var out []*row
	for _, ck := range m.cks {
		if r := m.v.row(p, ck, create); r != nil {
			out = append(out, r)
		}
	}
	return out
}

// precheck validates, against the current data, the operations that read
// before writing (list element by index), so a batch fails before any of
// it is applied.
func (s *Store) precheck(m *mutation, now instant) error {
	for _, op := range m.ops {
		if op.col.Type.Name != "list" || op.col.Type.IsFrozen() || (op.kind != opSetElem && op.kind != opDelElem) {
			continue
		}
		idx := int(op.key.(int32))
		size := 0
		if td := s.table(m.v.t, false); td != nil {
			if p := td.partition(m.key, nil, false); p != nil {
				for _, r := range s.targetRows(m, p, false) {
					size = len(m.v.liveElems(p, r, op.col, now))
				}
			}
		}
		if idx < 0 || idx >= size {
			if op.kind == opSetElem && size == 0 {
				return invalidf("Attempted to set an element on a list which is null")
			}
			if op.kind == opDelElem && size == 0 {
				return invalidf("Attempted to delete an element from a list which is null")
			}
			return invalidf("List index %d out of bound, list has size %d", idx, size)
		}
	}
	return nil
}

// liveElems lists the live elements of a non-frozen collection in order.
func (v *tableView) liveElems(p *partition, r *row, col *schema.Column, now instant) []*elem {
	cc := r.complex[col.Name]
	if cc == nil {
		return nil
	}
	shadow := maxTS(v.shadowOf(p, r), cc.deletion)
	if d, ok := v.t.Dropped[col.Name]; ok {
		shadow = maxTS(shadow, d.Time)
	}
	var out []*elem
	for _, e := range cc.elems {
		if e.liveAt(now, shadow) {
			out = append(out, e)
		}
	}
	return out
}

func (s *Store) nextPath() int64 {
	s.seq++
	return s.seq
}

// apply writes a planned mutation at timestamp ts.
func (s *Store) apply(m *mutation, ts int64, now instant) {
	v := m.v
	td := s.table(v.t, true)
	p := td.partition(m.key, m.pk, true)
	var expire int64
	if m.ttl > 0 {
		expire = now.sec + int64(m.ttl)
	}
	if m.delete && len(m.ops) == 0 {
		switch {
		case m.ranged != nil:
			p.ranges = append(p.ranges, rangeTombstone{match: m.ranged, ts: ts})
		case m.rowless:
			p.deletion = maxTS(p.deletion, ts)
		default:
			for _, r := range s.targetRows(m, p, true) {
				r.deletion = maxTS(r.deletion, ts)
			}
		}
		return
	}
	for _, r := range s.targetRows(m, p, true) {
		if m.insert && r != p.static && ts >= r.marker.ts {
			r.marker = liveness{ts: ts, ttl: m.ttl, expire: expire}
		}
	}
	for _, op := range m.ops {
		var rows []*row
		if op.col.Kind == schema.Static {
			if p.static == nil {
				p.static = newRow(nil)
			}
			rows = []*row{p.static}
		} else {
			rows = s.targetRows(m, p, true)
		}
		for _, r := range rows {
			s.applyOp(v, p, r, op, ts, m.ttl, expire, now)
		}
	}
}

func (s *Store) applyOp(v *tableView, p *partition, r *row, op colOp, ts int64, ttl int32, expire int64, now instant) {
	col := op.col
	t := col.Type
	live := cell{ts: ts, ttl: ttl, expire: expire}
	tomb := cell{ts: ts, dead: true}
	multiCell := !t.IsFrozen() && t.IsCollection()
	switch op.kind {
	case opCounter:
		old := r.cells[col.Name]
		var n int64
		if old != nil && old.liveAt(now, v.shadowOf(p, r)) {
			n = old.value.(int64)
			ts = maxTS(ts, old.ts)
		}
		r.cells[col.Name] = &cell{ts: ts, value: n + op.value.(int64)}
		return
	case opDelete:
		if multiCell {
			cc := r.complexOf(col.Name)
			cc.deletion = maxTS(cc.deletion, ts)
			return
		}
		v.writeCell(r, col, tomb)
		return
	case opSet:
		if !multiCell {
			if op.value == nil {
				v.writeCell(r, col, tomb)
				return
			}
			c := live
			c.value = op.value
			v.writeCell(r, col, c)
			return
		}
		cc := r.complexOf(col.Name)
		if op.value == nil {
			cc.deletion = maxTS(cc.deletion, ts)
			return
		}
		// Overwriting a collection deletes the old one just before the new
		// elements, as Cassandra does with timestamp - 1.
		cc.deletion = maxTS(cc.deletion, ts-1)
		s.addElems(v, r, col, op.value, live, false)
	case opAppend:
		if op.value == nil {
			return
		}
		s.addElems(v, r, col, op.value, live, false)
	case opPrepend:
		if op.value == nil {
			return
		}
		s.addElems(v, r, col, op.value, live, true)
	case opRemove:
		if op.value == nil {
			return
		}
		switch t.Name {
		case "list":
			for _, e := range v.liveElems(p, r, col, now) {
				for _, x := range op.value.([]any) {
					if v.codec.Compare(t.Args[0], e.value, x) == 0 {
						v.writeElem(r, col, e.key, tomb)
						break
					}
				}
			}
		default: // set elements or map keys
			for _, x := range op.value.([]any) {
				v.writeElem(r, col, x, tomb)
			}
		}
	case opSetElem:
		if t.Name == "list" {
			elems := v.liveElems(p, r, col, now)
			idx := int(op.key.(int32))
			if idx < 0 || idx >= len(elems) {
				return
			}
			if op.value == nil {
				v.writeElem(r, col, elems[idx].key, tomb)
				return
			}
			c := live
			c.value = op.value
			v.writeElem(r, col, elems[idx].key, c)
			return
		}
		if op.value == nil {
			v.writeElem(r, col, op.key, tomb)
			return
		}
		c := live
		c.value = op.value
		v.writeElem(r, col, op.key, c)
	case opSetField:
		u, err := v.codec.userType(t)
		if err != nil {
			return
		}
		fields := make([]any, len(u.FieldNames))
		if cur := v.columnValue(p, r, col, now); cur.live {
			copy(fields, cur.value.([]any))
		}
		fields[op.key.(int)] = op.value
		c := live
		c.value = fields
		v.writeCell(r, col, c)
	case opDelElem:
		if t.Name == "list" {
			elems := v.liveElems(p, r, col, now)
			idx := int(op.key.(int32))
			if idx >= 0 && idx < len(elems) {
				v.writeElem(r, col, elems[idx].key, tomb)
			}
			return
		}
		v.writeElem(r, col, op.key, tomb)
	}
}

// addElems writes the elements of a collection value as element cells.
func (s *Store) addElems(v *tableView, r *row, col *schema.Column, value any, c cell, prepend bool) {
	switch col.Type.Name {
	case "list":
		vals := value.([]any)
		paths := make([]int64, len(vals))
		for i := range vals {
			paths[i] = s.nextPath()
		}
		for i, x := range vals {
			path := paths[i]
			if prepend {
				// Later prepends go before earlier ones; within one prepend
				// the elements keep their order.
				path = -paths[len(vals)-1-i]
			}
			ec := c
			ec.value = x
			v.writeElem(r, col, path, ec)
		}
	case "set":
		for _, x := range value.([]any) {
			v.writeElem(r, col, x, c)
		}
	case "map":
		for _, e := range value.([]MapEntry) {
			ec := c
			ec.value = e.Value
			v.writeElem(r, col, e.Key, ec)
		}
	}
}

// currentRow reads the row a conditional mutation targets.
func (s *Store) currentRow(m *mutation, now instant) (*partition, *row, bool) {
	td := s.table(m.v.t, false)
	if td == nil {
		return nil, nil, false
	}
	p := td.partition(m.key, nil, false)
	if p == nil {
		return nil, nil, false
	}
	if m.rowless {
		// Without clustering the condition is on the partition: its static
		// row, or any live row when it has no static columns.
		if m.v.staticLive(p, now) {
			return p, p.static, true
		}
		for _, r := range p.rows {
			if m.v.rowLive(p, r, now) {
				return p, r, true
			}
		}
		return p, nil, false
	}
	r := m.v.row(p, m.cks[0], false)
	if r == nil || !m.v.rowLive(p, r, now) {
		return p, r, false
	}
	return p, r, true
}

// checkConditions evaluates the conditions of all mutations (one partition)
// and, when they do not hold, builds Cassandra's answer: [applied] false
// and the current values.
func (s *Store) checkConditions(muts []*mutation, now instant, isBatch bool) (*Result, bool) {
	applies := true
	for _, m := range muts {
		if !m.conditional() {
			continue
		}
		p, r, exists := s.currentRow(m, now)
		switch {
		case m.ifNotExists:
			applies = applies && !exists
		case m.ifExists:
			applies = applies && exists
		default:
			for _, c := range m.conds {
				var cur any
				switch {
				case p != nil && c.col.Kind == schema.Static:
					// Static conditions read the partition's static row,
					// whether the clustering row exists or not.
					cur = m.v.valueOf(p, nil, c.col, now)
				case r != nil && p != nil:
					cur = m.v.columnValue(p, r, c.col, now).value
				}
				if !m.v.conditionHolds(c, cur) {
					applies = false
				}
			}
		}
	}
	if applies {
		return nil, true
	}
	t := muts[0].v.t
	res := casResult(t, false)
	// IF [NOT] EXISTS answers with every column; column conditions with the
	// conditioned columns (and, in a batch, the primary key first).
	wildcard := false
	var cols []*schema.Column
	seen := map[string]bool{}
	add := func(c *schema.Column) {
		if !seen[c.Name] {
			seen[c.Name] = true
			cols = append(cols, c)
		}
	}
	for _, m := range muts {
		if m.ifExists || m.ifNotExists {
			wildcard = true
		}
	}
	if wildcard {
		for _, c := range selectOrder(t) {
			add(c)
		}
	} else {
		if isBatch {
			for _, c := range muts[0].v.pk {
				add(c)
			}
			for _, c := range muts[0].v.ck {
				add(c)
			}
		}
		for _, m := range muts {
			for _, c := range m.conds {
				add(c.col)
			}
		}
	}
	for _, c := range cols {
		res.Columns = append(res.Columns, ColumnSpec{Keyspace: t.Keyspace, Table: t.Name, Name: c.Name, Type: c.Type})
	}
	res.Rows = nil
	done := map[*row]bool{}
	for _, m := range muts {
		if !m.conditional() {
			continue
		}
		p, r, exists := s.currentRow(m, now)
		if !exists || done[r] {
			continue
		}
		done[r] = true
		vals := []any{false}
		for _, c := range cols {
			vals = append(vals, m.v.valueOf(p, r, c, now))
		}
		res.Rows = append(res.Rows, vals)
	}
	if len(res.Rows) == 0 {
		// No current row: Cassandra answers with [applied] alone.
		res.Columns = res.Columns[:1]
		res.Rows = [][]any{{false}}
	}
	return res, false
}

// valueOf is the value of any column of a row: key columns from the
// partition and clustering, the others from cells (statics from the static
// row).
func (v *tableView) valueOf(p *partition, r *row, c *schema.Column, now instant) any {
	switch c.Kind {
	case schema.PartitionKey:
		return p.values[c.Position]
	case schema.Clustering:
		if r == nil || r == p.static || c.Position >= len(r.ck) {
			return nil
		}
		return r.ck[c.Position]
	case schema.Static:
		if p.static == nil {
			return nil
		}
		return v.columnValue(p, p.static, c, now).value
	}
	if r == nil || r == p.static {
		return nil
	}
	return v.columnValue(p, r, c, now).value
}

// conditionHolds evaluates one IF condition against the current value.
func (v *tableView) conditionHolds(c condition, cur any) bool {
	t := c.col.Type
	if c.hasElem {
		cur, t = elementOf(v.codec, t.Unfrozen(), cur, c.elem)
	}
	if c.hasField {
		u, err := v.codec.userType(t.Unfrozen())
		if err != nil {
			return false
		}
		fields, _ := cur.([]any)
		cur, t = nil, u.FieldTypes[c.field]
		if c.field < len(fields) {
			cur = fields[c.field]
		}
	}
	switch c.op {
	case "IN":
		for _, x := range c.values {
			if equalValues(v.codec, t, cur, x) {
				return true
			}
		}
		return false
	case "CONTAINS", "CONTAINS KEY":
		if cur == nil {
			return false
		}
		ut := t.Unfrozen()
		switch x := cur.(type) {
		case []any:
			for _, e := range x {
				if v.codec.Compare(ut.Args[0], e, c.values[0]) == 0 {
					return true
				}
			}
		case []MapEntry:
			for _, e := range x {
				if c.op == "CONTAINS KEY" && v.codec.Compare(ut.Args[0], e.Key, c.values[0]) == 0 ||
					c.op == "CONTAINS" && v.codec.Compare(ut.Args[1], e.Value, c.values[0]) == 0 {
					return true
				}
			}
		}
		return false
	}
	want := c.values[0]
	switch c.op {
	case "=":
		return equalValues(v.codec, t, cur, want)
	case "!=":
		return !equalValues(v.codec, t, cur, want)
	}
	if cur == nil {
		return false
	}
	return compareOp(v.codec.Compare(t, cur, want), c.op)
}

// equalValues compares with null equal only to null; an empty collection
// is null.
func equalValues(c Codec, t cql.Type, a, b any) bool {
	an, bn := isNil(a) || isEmptyCollection(a), isNil(b) || isEmptyCollection(b)
	if an || bn {
		return an && bn
	}
	return c.Compare(t, a, b) == 0
}

func isEmptyCollection(v any) bool {
	switch x := v.(type) {
	case []any:
		return len(x) == 0
	case []MapEntry:
		return len(x) == 0
	}
	return false
}

// elementOf returns list[i] or map[k] of a collection value.
func elementOf(c Codec, t cql.Type, cur any, key any) (any, cql.Type) {
	switch t.Name {
	case "list":
		l, _ := cur.([]any)
		i := int(key.(int32))
		if i < 0 || i >= len(l) {
			return nil, t.Args[0]
		}
		return l[i], t.Args[0]
	case "map":
		entries, _ := cur.([]MapEntry)
		for _, e := range entries {
			if c.Compare(t.Args[0], e.Key, key) == 0 {
				return e.Value, t.Args[1]
			}
		}
		return nil, t.Args[1]
	}
	return nil, t
}

// jsonInsert reads INSERT ... JSON: a JSON object whose names are column
// names (quoted names keep their case) and whose values are JSON forms of
// CQL values.
func (v *tableView) jsonInsert(ev evaluator, st *cql.Insert, bound []BoundValue) (map[string]any, error) {
	raw, err := ev.eval("[json]", cql.Type{Name: "text"}, st.JSON, bound)
	if err != nil {
		return nil, err
	}
	text, ok := raw.(string)
	if !ok {
		return nil, invalidf("Got null for INSERT JSON values")
	}
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		return nil, invalidf("Could not decode JSON string as a map: %v. (String was: %s)", err, text)
	}
	out := map[string]any{}
	for k, jv := range obj {
		name := k
		if strings.HasPrefix(k, `"`) && strings.HasSuffix(k, `"`) && len(k) > 1 {
			name = k[1 : len(k)-1]
		} else {
			name = strings.ToLower(k)
		}
		col := v.t.Columns[name]
		if col == nil {
			return nil, invalidf("JSON values map contains unrecognized column: %s", k)
		}
		val, err := fromJSON(v.codec, col.Type, jv)
		if err != nil {
			return nil, invalidf("Error decoding JSON value for %s: %v", name, err)
		}
		out[name] = val
	}
	if st.Default != "UNSET" {
		for name := range v.t.Columns {
			if _, ok := out[name]; !ok {
				out[name] = nil
			}
		}
	}
	return out, nil
}

// fromJSON converts a decoded JSON value to a value of type t.
func fromJSON(c Codec, t cql.Type, jv any) (any, error) {
	if jv == nil {
		return nil, nil
	}
	ut := t.Unfrozen()
	switch x := jv.(type) {
	case string:
		switch typeKind(ut) {
		case "ascii", "text":
			return x, nil
		case "blob":
			return parseLiteral(ut, &cql.Literal{Type: cql.LitBlob, Text: x})
		case "uuid", "timeuuid":
			return parseLiteral(ut, &cql.Literal{Type: cql.LitUUID, Text: x})
		case "boolean":
			return parseLiteral(ut, &cql.Literal{Type: cql.LitBoolean, Text: strings.ToLower(x)})
		case "int", "bigint", "smallint", "tinyint", "varint", "counter":
			return parseLiteral(ut, &cql.Literal{Type: cql.LitInteger, Text: x})
		case "float", "double", "decimal":
			return parseLiteral(ut, &cql.Literal{Type: cql.LitFloat, Text: x})
		case "duration":
			return ParseDuration(x)
		}
		return parseLiteral(ut, &cql.Literal{Type: cql.LitString, Text: x})
	case json.Number:
		kind := cql.LitInteger
		if strings.ContainsAny(string(x), ".eE") {
			kind = cql.LitFloat
		}
		if !literalAccepts(kind, typeKind(ut)) {
			return nil, fmt.Errorf("expected a %s, got number %s", ut, x)
		}
		return parseLiteral(ut, &cql.Literal{Type: kind, Text: string(x)})
	case bool:
		if ut.Name != "boolean" {
			return nil, fmt.Errorf("expected a %s, got a boolean", ut)
		}
		return x, nil
	case []any:
		switch ut.Name {
		case "list", "set", "vector":
			out := make([]any, len(x))
			for i, e := range x {
				ev, err := fromJSON(c, ut.Args[0], e)
				if err != nil {
					return nil, err
				}
				out[i] = ev
			}
			if ut.Name == "set" {
				return c.sortSet(ut.Args[0], out), nil
			}
			return out, nil
		case "tuple":
			out := make([]any, len(ut.Args))
			for i, e := range x {
				if i >= len(ut.Args) {
					return nil, fmt.Errorf("too many elements for %s", ut)
				}
				ev, err := fromJSON(c, ut.Args[i], e)
				if err != nil {
					return nil, err
				}
				out[i] = ev
			}
			return out, nil
		}
	case map[string]any:
		switch {
		case ut.Name == "map":
			out := make([]MapEntry, 0, len(x))
			for k, e := range x {
				kv, err := fromJSON(c, ut.Args[0], k)
				if err != nil {
					return nil, err
				}
				vv, err := fromJSON(c, ut.Args[1], e)
				if err != nil {
					return nil, err
				}
				out = append(out, MapEntry{kv, vv})
			}
			return sortEntries(c, ut.Args[0], out), nil
		case ut.IsUser():
			u, err := c.userType(ut)
			if err != nil {
				return nil, err
			}
			out := make([]any, len(u.FieldNames))
			for k, e := range x {
				i := indexOf(u.FieldNames, k)
				if i < 0 {
					return nil, fmt.Errorf("unknown field %s", k)
				}
				if out[i], err = fromJSON(c, u.FieldTypes[i], e); err != nil {
					return nil, err
				}
			}
			return out, nil
		}
	}
	return nil, fmt.Errorf("cannot convert %T to %s", jv, ut)
}

// jsonValue renders a value as JSON the way toJson and SELECT JSON do.
func jsonValue(t cql.Type, v any) any {
	if v == nil {
		return nil
	}
	ut := t.Unfrozen()
	switch x := v.(type) {
	case string, bool, int8, int16, int32, int64, float32, float64:
		return x
	case *big.Int:
		return json.Number(x.String())
	case Decimal:
		return json.Number(x.String())
	case [16]byte:
		return schema.UUID(x).String()
	case time.Time:
		return x.UTC().Format("2006-01-02 15:04:05.000Z")
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			et := cql.Type{Name: "blob"}
			if len(ut.Args) > 0 {
				et = ut.Args[min(i, len(ut.Args)-1)]
			}
			out[i] = jsonValue(et, e)
		}
		return out
	case []MapEntry:
		out := map[string]any{}
		for _, e := range x {
			k := jsonValue(ut.Args[0], e.Key)
			ks, ok := k.(string)
			if !ok {
				b, _ := json.Marshal(k)
				ks = string(b)
			}
			out[ks] = jsonValue(ut.Args[1], e.Value)
		}
		return out
	}
	return formatValue(v)
}
