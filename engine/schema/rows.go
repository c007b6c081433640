package schema

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/cqltrack/cqltrack/engine/cql"
)

// SystemSchemaRows returns the rows Cassandra would hold in
// system_schema.<table> for this catalog (every non-virtual keyspace,
// system ones included), sorted by primary key. Values use these Go types:
// string, bool, int32, float64, [16]byte (uuid), time.Time (timestamp),
// []byte (blob), []string (list<text>, set<text>), []bool (list<boolean>),
// map[string]string (map<text, text>), map[string][]byte (map<text, blob>)
// and nil for null. An unknown table name gives nil.
func (c *Catalog) SystemSchemaRows(table string) []map[string]any {
	var rows []map[string]any
	for _, name := range c.AllKeyspaceNames() {
		ks := c.Keyspaces[name]
		if ks.Virtual {
			continue
		}
		rows = append(rows, c.keyspaceRows(ks, table)...)
	}
	return rows
}

func (c *Catalog) keyspaceRows(ks *Keyspace, table string) []map[string]any {
	var rows []map[string]any
	add := func(r map[string]any) {
		r["keyspace_name"] = ks.Name
		rows = append(rows, r)
	}
	switch table {
	case "keyspaces":
		add(map[string]any{"durable_writes": ks.DurableWrites, "replication": cloneMap(ks.Replication)})
	case "tables":
		for _, tn := range ks.TableNames() {
			t := ks.Tables[tn]
			r := c.optionRow(&t.Options, false)
			r["table_name"], r["flags"], r["id"] = tn, append([]string{}, t.Flags...), [16]byte(t.ID)
			add(r)
		}
	case "views":
		for _, vn := range ks.ViewNames() {
			v := ks.Views[vn]
			r := c.optionRow(&v.Options, true)
			r["view_name"], r["id"], r["base_table_id"], r["base_table_name"] = vn, [16]byte(v.ID), [16]byte(v.BaseTableID), v.BaseTable
			r["include_all_columns"], r["where_clause"] = v.IncludeAllColumns, v.Where
			add(r)
		}
	case "columns", "column_masks":
		for _, tn := range sortedKeys(mergedColumnOwners(ks)) {
			cols := columnsOf(ks, tn)
			static := staticCompact(ks.Tables[tn])
			if static && table == "columns" {
				// Cassandra 3.x lays a COMPACT STORAGE table without
				// clustering columns out as the declared columns made
				// static, under a hidden clustering column and value
				// (drivers and LoadSystemSchema hide them again).
				add(map[string]any{"table_name": tn, "column_name": "column1", "clustering_order": "asc",
					"column_name_bytes": []byte("column1"), "kind": string(Clustering), "position": int32(0), "type": "text"})
				add(map[string]any{"table_name": tn, "column_name": "value", "clustering_order": "none",
					"column_name_bytes": []byte("value"), "kind": string(Regular), "position": int32(-1), "type": "blob"})
			}
			for _, cn := range sortedKeys(cols) {
				col := cols[cn]
				if table == "columns" {
					kind := col.Kind
					if static && kind == Regular {
						kind = Static
					}
					add(map[string]any{"table_name": tn, "column_name": cn, "clustering_order": string(col.Order),
						"column_name_bytes": []byte(cn), "kind": string(kind), "position": int32(col.Position),
						"type": typeText(col.Type)})
				} else if col.Mask != nil && c.Version >= V5_0 {
					nulls := make([]bool, len(col.Mask.Args))
					add(map[string]any{"table_name": tn, "column_name": cn, "function_keyspace": col.Mask.Keyspace,
						"function_name": col.Mask.Function, "function_argument_types": argTexts(col.Mask.ArgTypes),
						"function_argument_values": append([]string{}, col.Mask.Args...), "function_argument_nulls": nulls})
				}
			}
		}
	case "dropped_columns":
		for _, tn := range ks.TableNames() {
			t := ks.Tables[tn]
			for _, cn := range sortedKeys(t.Dropped) {
				d := t.Dropped[cn]
				add(map[string]any{"table_name": tn, "column_name": cn, "dropped_time": time.UnixMicro(d.Time).UTC(),
					"kind": string(d.Kind), "type": typeText(d.Type)})
			}
		}
	case "indexes":
		for _, tn := range ks.TableNames() {
			t := ks.Tables[tn]
			for _, in := range sortedKeys(t.Indexes) {
				ix := t.Indexes[in]
				add(map[string]any{"table_name": tn, "index_name": in, "kind": ix.Kind, "options": cloneMap(ix.Options)})
			}
		}
	case "triggers":
		for _, tn := range ks.TableNames() {
			t := ks.Tables[tn]
			for _, trn := range sortedKeys(t.Triggers) {
				add(map[string]any{"table_name": tn, "trigger_name": trn,
					"options": map[string]string{"class": t.Triggers[trn].Class}})
			}
		}
	case "types":
		for _, tn := range sortedKeys(ks.Types) {
			u := ks.Types[tn]
			add(map[string]any{"type_name": tn, "field_names": append([]string{}, u.FieldNames...),
				"field_types": argTexts(u.FieldTypes)})
		}
	case "functions":
		for _, sig := range sortedKeys(ks.Functions) {
			f := ks.Functions[sig]
			add(map[string]any{"function_name": f.Name, "argument_types": argTexts(f.ArgTypes),
				"argument_names": append([]string{}, f.ArgNames...), "body": f.Body,
				"called_on_null_input": f.CalledOnNullInput, "language": f.Language, "return_type": typeText(f.ReturnType)})
		}
	case "aggregates":
		for _, sig := range sortedKeys(ks.Aggregates) {
			a := ks.Aggregates[sig]
			r := map[string]any{"aggregate_name": a.Name, "argument_types": argTexts(a.ArgTypes),
				"final_func": nil, "initcond": nil, "return_type": typeText(a.ReturnType),
				"state_func": a.StateFunc, "state_type": typeText(a.StateType)}
			if a.FinalFunc != "" {
				r["final_func"] = a.FinalFunc
			}
			if a.InitCond != "" {
				r["initcond"] = a.InitCond
			}
			add(r)
		}
	default:
		return nil
	}
	return rows
}

// mergedColumnOwners names every table and view of ks: system_schema.columns
// holds the columns of both.
func mergedColumnOwners(ks *Keyspace) map[string]bool {
	m := map[string]bool{}
	for n := range ks.Tables {
		m[n] = true
	}
	for n := range ks.Views {
		m[n] = true
	}
	return m
}

func columnsOf(ks *Keyspace, name string) map[string]*Column {
	if t := ks.Tables[name]; t != nil {
		return t.Columns
	}
	return ks.Views[name].Columns
}

// optionRow renders the option columns of system_schema.tables or views.
func (c *Catalog) optionRow(o *Options, forView bool) map[string]any {
	r := map[string]any{}
	for _, col := range tableOptionColumns {
		name, _, _ := strings.Cut(col.col, " ")
		if c.Version < col.since || name == "id" {
			continue
		}
		v, ok := o.Get(name)
		if !ok {
			continue
		}
		switch x := v.(type) {
		case int:
			v = int32(x)
		case map[string]string:
			v = cloneMap(x)
		case map[string][]byte:
			v = cloneMap(x)
		}
		r[name] = v
	}
	if forView {
		r["default_time_to_live"] = int32(0)
	}
	return r
}

// LoadSystemSchema rebuilds a catalog from the rows of the system_schema
// tables, keyed by table name ("keyspaces", "tables", "columns", ...), as
// SystemSchemaRows produces them or as a driver returns them from a live
// cluster (int, int64, driver UUID types and UUID strings are accepted too).
// The release is told from the option columns present in the "tables" rows:
// 5.0 when they have allow_auto_snapshot, 4.1 with memtable, 4.0 with
// read_repair, 3.11 otherwise.
func LoadSystemSchema(rows map[string][]map[string]any) (*Catalog, error) {
	v := V5_0
	if ts := rows["tables"]; len(ts) > 0 {
		r := ts[0]
		switch {
		case has(r, "allow_auto_snapshot"):
			v = V5_0
		case has(r, "memtable"):
			v = V4_1
		case has(r, "read_repair"):
			v = V4_0
		default:
			v = V3_11
		}
	}
	return LoadSystemSchemaAs(v, rows)
}

func has(r map[string]any, k string) bool { _, ok := r[k]; return ok }

// LoadSystemSchemaAs is LoadSystemSchema for a known release.
func LoadSystemSchemaAs(v Version, rows map[string][]map[string]any) (*Catalog, error) {
	c := &Catalog{Version: v, Keyspaces: map[string]*Keyspace{}}
	for _, ks := range SystemKeyspaces(v) {
		if ks.Virtual {
			c.Keyspaces[ks.Name] = ks
		}
	}
	for i, r := range rows["keyspaces"] {
		l := rowReader{r: r}
		name := l.str("keyspace_name")
		ks := NewKeyspace(name, l.strMap("replication"))
		ks.DurableWrites = l.boolean("durable_writes")
		ks.System = IsSystemKeyspace(name)
		if l.err != nil {
			return nil, fmt.Errorf("load system_schema.keyspaces row %d: %w", i, l.err)
		}
		c.Keyspaces[name] = ks
	}
	get := func(table string, i int, r map[string]any) (*Keyspace, rowReader, error) {
		l := rowReader{r: r}
		name := l.str("keyspace_name")
		ks := c.Keyspaces[name]
		if l.err == nil && ks == nil {
			l.err = fmt.Errorf("keyspace %q is not in system_schema.keyspaces", name)
		}
		if l.err != nil {
			return nil, l, fmt.Errorf("load system_schema.%s row %d: %w", table, i, l.err)
		}
		return ks, l, nil
	}
	for i, r := range rows["types"] {
		ks, l, err := get("types", i, r)
		if err != nil {
			return nil, err
		}
		u := &UserType{Keyspace: ks.Name, Name: l.str("type_name"), FieldNames: l.strs("field_names")}
		u.FieldTypes = l.types("field_types")
		if l.err == nil && len(u.FieldNames) != len(u.FieldTypes) {
			l.err = fmt.Errorf("type %s has %d field names and %d field types", u.Name, len(u.FieldNames), len(u.FieldTypes))
		}
		if l.err != nil {
			return nil, fmt.Errorf("load system_schema.types row %d: %w", i, l.err)
		}
		ks.Types[u.Name] = u
	}
	for i, r := range rows["tables"] {
		ks, l, err := get("tables", i, r)
		if err != nil {
			return nil, err
		}
		t := &Table{Keyspace: ks.Name, Name: l.str("table_name"), ID: l.uuid("id"), Flags: l.strs("flags"),
			Columns: map[string]*Column{}, Dropped: map[string]*DroppedColumn{}, Indexes: map[string]*Index{},
			Triggers: map[string]*Trigger{}}
		sort.Strings(t.Flags)
		t.Options = l.options(v)
		if l.err != nil {
			return nil, fmt.Errorf("load system_schema.tables row %d: %w", i, l.err)
		}
		ks.Tables[t.Name] = t
	}
	for i, r := range rows["views"] {
		ks, l, err := get("views", i, r)
		if err != nil {
			return nil, err
		}
		mv := &View{Keyspace: ks.Name, Name: l.str("view_name"), ID: l.uuid("id"), BaseTable: l.str("base_table_name"),
			BaseTableID: l.uuid("base_table_id"), IncludeAllColumns: l.boolean("include_all_columns"),
			Where: l.str("where_clause"), Columns: map[string]*Column{}}
		mv.Options = l.options(v)
		if l.err != nil {
			return nil, fmt.Errorf("load system_schema.views row %d: %w", i, l.err)
		}
		ks.Views[mv.Name] = mv
	}
	for i, r := range rows["columns"] {
		ks, l, err := get("columns", i, r)
		if err != nil {
			return nil, err
		}
		owner := l.str("table_name")
		col := &Column{Name: l.str("column_name"), Kind: ColumnKind(l.str("kind")), Position: int(l.integer("position")),
			Order: Order(l.str("clustering_order"))}
		typ := l.str("type")
		if l.err != nil {
			return nil, fmt.Errorf("load system_schema.columns row %d: %w", i, l.err)
		}
		if typ == "empty" {
			continue // the hidden value column of a dense COMPACT STORAGE table
		}
		if col.Type, err = ParseType(typ); err != nil {
			return nil, fmt.Errorf("load system_schema.columns row %d: %w", i, err)
		}
		switch {
		case ks.Tables[owner] != nil:
			ks.Tables[owner].Columns[col.Name] = col
		case ks.Views[owner] != nil:
			ks.Views[owner].Columns[col.Name] = col
		default:
			return nil, fmt.Errorf("load system_schema.columns row %d: column %s of unknown table %s.%s", i, col.Name, ks.Name, owner)
		}
	}
	for _, ks := range c.Keyspaces {
		for _, t := range ks.Tables {
			hideCompactColumns(t)
		}
	}
	for i, r := range rows["column_masks"] {
		ks, l, err := get("column_masks", i, r)
		if err != nil {
			return nil, err
		}
		owner, cn := l.str("table_name"), l.str("column_name")
		m := &Mask{Keyspace: l.str("function_keyspace"), Function: l.str("function_name"),
			ArgTypes: l.types("function_argument_types"), Args: l.strs("function_argument_values")}
		if l.err != nil {
			return nil, fmt.Errorf("load system_schema.column_masks row %d: %w", i, l.err)
		}
		if cols := columnsOfOrNil(ks, owner); cols != nil && cols[cn] != nil {
			cols[cn].Mask = m
		}
	}
	for i, r := range rows["dropped_columns"] {
		ks, l, err := get("dropped_columns", i, r)
		if err != nil {
			return nil, err
		}
		t := ks.Tables[l.str("table_name")]
		d := &DroppedColumn{Name: l.str("column_name"), Kind: ColumnKind(l.str("kind")), Time: l.timestamp("dropped_time")}
		d.Type = l.typ("type")
		if l.err == nil && t == nil {
			l.err = fmt.Errorf("dropped column %s of unknown table", d.Name)
		}
		if l.err != nil {
			return nil, fmt.Errorf("load system_schema.dropped_columns row %d: %w", i, l.err)
		}
		t.Dropped[d.Name] = d
	}
	for i, r := range rows["indexes"] {
		ks, l, err := get("indexes", i, r)
		if err != nil {
			return nil, err
		}
		t := ks.Tables[l.str("table_name")]
		ix := &Index{Keyspace: ks.Name, Table: l.str("table_name"), Name: l.str("index_name"), Kind: l.str("kind"),
			Options: l.strMap("options")}
		if l.err == nil && t == nil {
			l.err = fmt.Errorf("index %s of unknown table %s", ix.Name, ix.Table)
		}
		if l.err != nil {
			return nil, fmt.Errorf("load system_schema.indexes row %d: %w", i, l.err)
		}
		t.Indexes[ix.Name] = ix
	}
	for i, r := range rows["triggers"] {
		ks, l, err := get("triggers", i, r)
		if err != nil {
			return nil, err
		}
		t := ks.Tables[l.str("table_name")]
		tr := &Trigger{Keyspace: ks.Name, Table: l.str("table_name"), Name: l.str("trigger_name"),
			Class: l.strMap("options")["class"]}
		if l.err == nil && t == nil {
			l.err = fmt.Errorf("trigger %s of unknown table %s", tr.Name, tr.Table)
		}
		if l.err != nil {
			return nil, fmt.Errorf("load system_schema.triggers row %d: %w", i, l.err)
		}
		t.Triggers[tr.Name] = tr
	}
	for i, r := range rows["functions"] {
		ks, l, err := get("functions", i, r)
		if err != nil {
			return nil, err
		}
		f := &Function{Keyspace: ks.Name, Name: l.str("function_name"), ArgNames: l.strs("argument_names"),
			ArgTypes: l.types("argument_types"), ReturnType: l.typ("return_type"),
			CalledOnNullInput: l.boolean("called_on_null_input"), Language: l.str("language"), Body: l.str("body")}
		if l.err != nil {
			return nil, fmt.Errorf("load system_schema.functions row %d: %w", i, l.err)
		}
		ks.Functions[f.Signature()] = f
	}
	for i, r := range rows["aggregates"] {
		ks, l, err := get("aggregates", i, r)
		if err != nil {
			return nil, err
		}
		a := &Aggregate{Keyspace: ks.Name, Name: l.str("aggregate_name"), ArgTypes: l.types("argument_types"),
			StateFunc: l.str("state_func"), StateType: l.typ("state_type"), FinalFunc: l.optStr("final_func"),
			InitCond: l.optStr("initcond"), ReturnType: l.typ("return_type")}
		if l.err != nil {
			return nil, fmt.Errorf("load system_schema.aggregates row %d: %w", i, l.err)
		}
		ks.Aggregates[a.Signature()] = a
	}
	return c, nil
}

func columnsOfOrNil(ks *Keyspace, name string) map[string]*Column {
	if t := ks.Tables[name]; t != nil {
		return t.Columns
	}
	if v := ks.Views[name]; v != nil {
		return v.Columns
	}
	return nil
}

// rowReader reads typed values from a row, keeping the first error.
type rowReader struct {
	r   map[string]any
	err error
}

func (l *rowReader) fail(col string, v any, want string) {
	if l.err == nil {
		l.err = fmt.Errorf("column %s: want %s, got %T", col, want, v)
	}
}

func (l *rowReader) str(col string) string {
	v := l.r[col]
	s, ok := v.(string)
	if !ok && v != nil {
		l.fail(col, v, "text")
	}
	return s
}

func (l *rowReader) optStr(col string) string {
	if p, ok := l.r[col].(*string); ok {
		if p == nil {
			return ""
		}
		return *p
	}
	return l.str(col)
}

func (l *rowReader) boolean(col string) bool {
	v := l.r[col]
	b, ok := v.(bool)
	if !ok && v != nil {
		l.fail(col, v, "boolean")
	}
	return b
}

func (l *rowReader) integer(col string) int64 {
	switch x := l.r[col].(type) {
	case int32:
		return int64(x)
	case int:
		return int64(x)
	case int64:
		return x
	case nil:
		return 0
	default:
		l.fail(col, x, "int")
	}
	return 0
}

func (l *rowReader) double(col string) float64 {
	switch x := l.r[col].(type) {
	case float64:
		return x
	case float32:
		return float64(x)
	case nil:
		return 0
	default:
		l.fail(col, x, "double")
	}
	return 0
}

func (l *rowReader) timestamp(col string) int64 {
	switch x := l.r[col].(type) {
	case time.Time:
		return x.UnixMicro()
	case int64:
		return x * 1000
	case nil:
		return 0
	default:
		l.fail(col, x, "timestamp")
	}
	return 0
}

func (l *rowReader) uuid(col string) UUID {
	v := l.r[col]
	switch x := v.(type) {
	case nil:
		return UUID{}
	case [16]byte:
		return x
	case UUID:
		return x
	case string:
		u, err := ParseUUID(x)
		if err != nil && l.err == nil {
			l.err = fmt.Errorf("column %s: %w", col, err)
		}
		return u
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Array && rv.Len() == 16 && rv.Type().Elem().Kind() == reflect.Uint8 {
		var u UUID
		reflect.Copy(reflect.ValueOf(u[:]), rv)
		return u
	}
	l.fail(col, v, "uuid")
	return UUID{}
}

func (l *rowReader) strs(col string) []string {
	v := l.r[col]
	s, ok := v.([]string)
	if !ok && v != nil {
		l.fail(col, v, "list<text>")
	}
	if len(s) == 0 {
		return nil
	}
	return append([]string{}, s...)
}

func (l *rowReader) strMap(col string) map[string]string {
	v := l.r[col]
	m, ok := v.(map[string]string)
	if !ok && v != nil {
		l.fail(col, v, "map<text, text>")
	}
	if m == nil {
		m = map[string]string{}
	}
	return cloneMap(m)
}

func (l *rowReader) blobMap(col string) map[string][]byte {
	v := l.r[col]
	m, ok := v.(map[string][]byte)
	if !ok && v != nil {
		l.fail(col, v, "map<text, blob>")
	}
	out := map[string][]byte{}
	for k, b := range m {
		out[k] = append([]byte(nil), b...)
	}
	return out
}

func (l *rowReader) typ(col string) cql.Type {
	s := l.str(col)
	if l.err != nil {
		return cql.Type{}
	}
	t, err := ParseType(s)
	if err != nil {
		l.err = fmt.Errorf("column %s: %w", col, err)
	}
	return t
}

func (l *rowReader) types(col string) []cql.Type {
	ss := l.strs(col)
	if l.err != nil {
		return nil
	}
	var out []cql.Type
	for _, s := range ss {
		t, err := ParseType(s)
		if err != nil {
			l.err = fmt.Errorf("column %s: %w", col, err)
			return nil
		}
		out = append(out, t)
	}
	return out
}

// options reads the option columns the release v has.
func (l *rowReader) options(v Version) Options {
	var o Options
	for _, d := range optionDefs {
		if !d.validIn(v) {
			continue
		}
		switch d.kind {
		case optString:
			val := l.str(d.name)
			if d.name == "memtable" && val == "" {
				val = "default" // a null memtable is the default configuration
			}
			d.set(&o, val)
		case optBool:
			d.set(&o, l.boolean(d.name))
		case optInt:
			d.set(&o, int(l.integer(d.name)))
		case optFloat:
			d.set(&o, l.double(d.name))
		case optMap:
			d.set(&o, l.strMap(d.name))
		case optBlobMap:
			d.set(&o, l.blobMap(d.name))
		}
	}
	return o
}

// hideCompactColumns undoes what Cassandra 3.x stores for a "static"
// COMPACT STORAGE table (no clustering columns declared): its declared
// columns appear as static ones next to a hidden clustering column and a
// hidden value column. The catalog keeps the table as it was declared.
// staticCompact reports a COMPACT STORAGE table without clustering columns
// ("static compact": neither compound, dense nor super); nil is none.
func staticCompact(t *Table) bool {
	return t != nil && !hasFlag(t.Flags, "compound") && !hasFlag(t.Flags, "dense") && !hasFlag(t.Flags, "super")
}

func hideCompactColumns(t *Table) {
	if hasFlag(t.Flags, "compound") || hasFlag(t.Flags, "dense") || hasFlag(t.Flags, "super") {
		return
	}
	for name, col := range t.Columns {
		switch col.Kind {
		case Clustering, Regular:
			delete(t.Columns, name)
		case Static:
			col.Kind = Regular
		}
	}
}
