package schema

// Op is what happened to an object: created, altered or dropped.
type Op string

// The operations of effects and changes.
const (
	OpCreate Op = "create"
	OpAlter  Op = "alter"
	OpDrop   Op = "drop"
)

// Object is the kind of schema object an effect or change is about.
type Object string

// The object kinds.
const (
	ObjKeyspace  Object = "keyspace"
	ObjTable     Object = "table"
	ObjColumn    Object = "column"
	ObjOption    Object = "option"
	ObjType      Object = "type"
	ObjIndex     Object = "index"
	ObjView      Object = "view"
	ObjFunction  Object = "function"
	ObjAggregate Object = "aggregate"
	ObjTrigger   Object = "trigger"
)

// Effect says what a statement did to the catalog. The zero Effect means
// nothing changed (DML, USE, role statements, IF [NOT] EXISTS no-ops).
type Effect struct {
	Op       Op     `json:"op,omitempty"`
	Object   Object `json:"object,omitempty"`
	Keyspace string `json:"keyspace,omitempty"`
	// Name is the object's name: the keyspace, table, view, type, index,
	// trigger, function or aggregate name.
	Name string `json:"name,omitempty"`
	// Table is the table an index or trigger belongs to.
	Table string `json:"table,omitempty"`
	// ArgTypes are a function's or aggregate's argument types as CQL text.
	ArgTypes []string `json:"arg_types,omitempty"`
}

// Changed reports whether the statement changed the schema.
func (e Effect) Changed() bool { return e.Op != "" }

// SchemaChange returns the native protocol SCHEMA_CHANGE the statement
// produces (RESULT kind Schema_change and the event): change is CREATED,
// UPDATED or DROPPED; target is KEYSPACE, TABLE, TYPE, FUNCTION or
// AGGREGATE. Indexes and triggers are reported as an update of their table,
// views as tables, as Cassandra does. ok is false when nothing changed.
func (e Effect) SchemaChange() (change, target, keyspace, name string, args []string, ok bool) {
	if !e.Changed() {
		return "", "", "", "", nil, false
	}
	change = map[Op]string{OpCreate: "CREATED", OpAlter: "UPDATED", OpDrop: "DROPPED"}[e.Op]
	keyspace, name = e.Keyspace, e.Name
	switch e.Object {
	case ObjKeyspace:
		return change, "KEYSPACE", keyspace, "", nil, true
	case ObjTable, ObjView:
		return change, "TABLE", keyspace, name, nil, true
	case ObjIndex, ObjTrigger, ObjColumn, ObjOption:
		return "UPDATED", "TABLE", keyspace, e.Table, nil, true
	case ObjType:
		return change, "TYPE", keyspace, name, nil, true
	case ObjFunction:
		return change, "FUNCTION", keyspace, name, append([]string{}, e.ArgTypes...), true
	case ObjAggregate:
		return change, "AGGREGATE", keyspace, name, append([]string{}, e.ArgTypes...), true
	}
	return "", "", "", "", nil, false
}
