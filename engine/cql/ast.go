package cql

// This file defines the abstract syntax tree. Every statement is a struct
// with exported fields and lower_snake_case json tags; the JSON shape is what
// lint plugins receive, so field names and meanings are stable. Statements
// marshal with an extra "kind" member (their Kind) and terms with an extra
// "node" member naming the term type (see json.go).

// Kind names a statement kind, spelled as the statement's leading keywords.
type Kind string

// Statement kinds, one per statement of the Cassandra 5.0 CQL reference.
const (
	KindCreateKeyspace  Kind = "CREATE KEYSPACE"
	KindAlterKeyspace   Kind = "ALTER KEYSPACE"
	KindDropKeyspace    Kind = "DROP KEYSPACE"
	KindCreateTable     Kind = "CREATE TABLE"
	KindAlterTable      Kind = "ALTER TABLE"
	KindDropTable       Kind = "DROP TABLE"
	KindTruncate        Kind = "TRUNCATE"
	KindCreateType      Kind = "CREATE TYPE"
	KindAlterType       Kind = "ALTER TYPE"
	KindDropType        Kind = "DROP TYPE"
	KindCreateIndex     Kind = "CREATE INDEX"
	KindDropIndex       Kind = "DROP INDEX"
	KindCreateView      Kind = "CREATE MATERIALIZED VIEW"
	KindAlterView       Kind = "ALTER MATERIALIZED VIEW"
	KindDropView        Kind = "DROP MATERIALIZED VIEW"
	KindCreateFunction  Kind = "CREATE FUNCTION"
	KindDropFunction    Kind = "DROP FUNCTION"
	KindCreateAggregate Kind = "CREATE AGGREGATE"
	KindDropAggregate   Kind = "DROP AGGREGATE"
	KindCreateTrigger   Kind = "CREATE TRIGGER"
	KindDropTrigger     Kind = "DROP TRIGGER"
	KindCreateRole      Kind = "CREATE ROLE"
	KindAlterRole       Kind = "ALTER ROLE"
	KindDropRole        Kind = "DROP ROLE"
	KindCreateUser      Kind = "CREATE USER"
	KindAlterUser       Kind = "ALTER USER"
	KindDropUser        Kind = "DROP USER"
	KindGrant           Kind = "GRANT"
	KindRevoke          Kind = "REVOKE"
	KindGrantRole       Kind = "GRANT ROLE"
	KindRevokeRole      Kind = "REVOKE ROLE"
	KindListRoles       Kind = "LIST ROLES"
	KindListUsers       Kind = "LIST USERS"
	KindListPermissions Kind = "LIST PERMISSIONS"
	KindAddIdentity     Kind = "ADD IDENTITY"
	KindDropIdentity    Kind = "DROP IDENTITY"
	KindInsert          Kind = "INSERT"
	KindUpdate          Kind = "UPDATE"
	KindDelete          Kind = "DELETE"
	KindBatch           Kind = "BATCH"
	KindSelect          Kind = "SELECT"
	KindUse             Kind = "USE"
)

var allKinds = []Kind{
	KindCreateKeyspace, KindAlterKeyspace, KindDropKeyspace,
	KindCreateTable, KindAlterTable, KindDropTable, KindTruncate,
	KindCreateType, KindAlterType, KindDropType,
	KindCreateIndex, KindDropIndex,
	KindCreateView, KindAlterView, KindDropView,
	KindCreateFunction, KindDropFunction, KindCreateAggregate, KindDropAggregate,
	KindCreateTrigger, KindDropTrigger,
	KindCreateRole, KindAlterRole, KindDropRole,
	KindCreateUser, KindAlterUser, KindDropUser,
	KindGrant, KindRevoke, KindGrantRole, KindRevokeRole,
	KindListRoles, KindListUsers, KindListPermissions,
	KindAddIdentity, KindDropIdentity,
	KindInsert, KindUpdate, KindDelete, KindBatch, KindSelect, KindUse,
}

// Kinds returns every statement kind, in the order of the constants above.
// The slice is a copy the caller may modify.
func Kinds() []Kind { return append([]Kind(nil), allKinds...) }

// IsDDL reports whether statements of kind k change the schema (keyspaces,
// tables, types, indexes, views, functions, aggregates, triggers). Role and
// permission statements are not DDL in this sense.
func (k Kind) IsDDL() bool {
	switch k {
	case KindCreateKeyspace, KindAlterKeyspace, KindDropKeyspace,
		KindCreateTable, KindAlterTable, KindDropTable,
		KindCreateType, KindAlterType, KindDropType,
		KindCreateIndex, KindDropIndex,
		KindCreateView, KindAlterView, KindDropView,
		KindCreateFunction, KindDropFunction, KindCreateAggregate, KindDropAggregate,
		KindCreateTrigger, KindDropTrigger:
		return true
	}
	return false
}

// IsDML reports whether statements of kind k read or write data.
func (k Kind) IsDML() bool {
	switch k {
	case KindInsert, KindUpdate, KindDelete, KindBatch, KindSelect, KindTruncate:
		return true
	}
	return false
}

// Stmt is one parsed CQL statement. Position is the start of the statement
// (its first keyword); String renders canonical CQL without the trailing ";"
// that parses back to an equal AST.
type Stmt interface {
	Kind() Kind
	Position() Pos
	String() string
}

// Property is one option of a WITH clause (table, keyspace, view, index
// options, role options) in source order. Name is folded to lower case.
// Value is a Literal, a CollectionLiteral (map options such as replication or
// compaction) or, for role options without a value such as ACCESS TO ALL
// DATACENTERS, nil.
type Property struct {
	Name  string `json:"name"`
	Value Term   `json:"value"`
	Pos   Pos    `json:"pos"`
}

// ColumnDef is a column of CREATE TABLE or ALTER TABLE ADD.
type ColumnDef struct {
	Name       Ident         `json:"name"`
	Type       Type          `json:"type"`
	Static     bool          `json:"static,omitempty"`
	PrimaryKey bool          `json:"primary_key,omitempty"` // inline "PRIMARY KEY" after the type
	Mask       *FunctionCall `json:"mask,omitempty"`        // MASKED WITH fn(args) (5.0); MASKED WITH DEFAULT is fn "default"
}

// ClusteringOrder is one entry of WITH CLUSTERING ORDER BY (col ASC|DESC).
type ClusteringOrder struct {
	Column Ident `json:"column"`
	Desc   bool  `json:"desc,omitempty"`
}

// FieldDef is a field of a user-defined type.
type FieldDef struct {
	Name Ident `json:"name"`
	Type Type  `json:"type"`
}

// Rename is one "old TO new" pair of ALTER TABLE/TYPE RENAME.
type Rename struct {
	From Ident `json:"from"`
	To   Ident `json:"to"`
}

// UsingParam is one USING TTL n / USING TIMESTAMP n parameter.
// Kind is "TTL" or "TIMESTAMP".
type UsingParam struct {
	Kind  string `json:"kind"`
	Value Term   `json:"value"`
}

// CreateKeyspace is CREATE KEYSPACE [IF NOT EXISTS] name WITH options.
// CREATE SCHEMA is accepted as a synonym.
type CreateKeyspace struct {
	IfNotExists bool       `json:"if_not_exists,omitempty"`
	Name        Ident      `json:"name"`
	Options     []Property `json:"options"`
	Pos         Pos        `json:"pos"`
}

// AlterKeyspace is ALTER KEYSPACE [IF EXISTS] name WITH options.
type AlterKeyspace struct {
	IfExists bool       `json:"if_exists,omitempty"`
	Name     Ident      `json:"name"`
	Options  []Property `json:"options"`
	Pos      Pos        `json:"pos"`
}

// DropKeyspace is DROP KEYSPACE [IF EXISTS] name.
type DropKeyspace struct {
	IfExists bool  `json:"if_exists,omitempty"`
	Name     Ident `json:"name"`
	Pos      Pos   `json:"pos"`
}

// CreateTable is CREATE TABLE (or COLUMNFAMILY) [IF NOT EXISTS] name (...)
// [WITH ...]. PartitionKey and Clustering are filled from whichever form the
// source used: a PRIMARY KEY (...) clause or an inline "col type PRIMARY KEY"
// (then PartitionKey is that column, Clustering empty, and the column's
// PrimaryKey flag is set; rendering keeps the inline form).
type CreateTable struct {
	IfNotExists     bool              `json:"if_not_exists,omitempty"`
	Name            QualifiedName     `json:"name"`
	Columns         []ColumnDef       `json:"columns"`
	PartitionKey    []Ident           `json:"partition_key"`
	Clustering      []Ident           `json:"clustering,omitempty"`
	ClusteringOrder []ClusteringOrder `json:"clustering_order,omitempty"`
	CompactStorage  bool              `json:"compact_storage,omitempty"`
	Options         []Property        `json:"options,omitempty"`
	Pos             Pos               `json:"pos"`
}

// AlterTableAction says what an ALTER TABLE statement does.
type AlterTableAction string

// ALTER TABLE actions.
const (
	AlterTableAdd                AlterTableAction = "ADD"                  // Add columns
	AlterTableDrop               AlterTableAction = "DROP"                 // Drop columns (optionally USING TIMESTAMP)
	AlterTableRename             AlterTableAction = "RENAME"               // Renames
	AlterTableWith               AlterTableAction = "WITH"                 // Options
	AlterTableAlterType          AlterTableAction = "ALTER TYPE"           // Column TYPE Type (removed in Cassandra 3.0.11+; parsed so the catalog can reject it)
	AlterTableMask               AlterTableAction = "MASK"                 // ALTER Column MASKED WITH Mask
	AlterTableDropMask           AlterTableAction = "DROP MASKED"          // ALTER Column DROP MASKED
	AlterTableDropCompactStorage AlterTableAction = "DROP COMPACT STORAGE" // DROP COMPACT STORAGE
)

// AlterTable is ALTER TABLE [IF EXISTS] name followed by one action. Which
// fields are set depends on Action:
//
//	ADD [IF NOT EXISTS] col type [, ...]     Add, IfColumnNotExists
//	DROP [IF EXISTS] col [, ...] [USING TIMESTAMP t]  Drop, IfColumnExists, DropTimestamp
//	RENAME [IF EXISTS] a TO b [AND ...]      Renames, IfColumnExists
//	WITH options                              Options
//	ALTER col TYPE t                          Column, Type
//	ALTER [IF EXISTS] col MASKED WITH f(...)  Column, Mask, IfColumnExists
//	ALTER [IF EXISTS] col DROP MASKED         Column, IfColumnExists
//	DROP COMPACT STORAGE                      (nothing else)
type AlterTable struct {
	IfExists          bool             `json:"if_exists,omitempty"`
	Name              QualifiedName    `json:"name"`
	Action            AlterTableAction `json:"action"`
	IfColumnNotExists bool             `json:"if_column_not_exists,omitempty"`
	IfColumnExists    bool             `json:"if_column_exists,omitempty"`
	Add               []ColumnDef      `json:"add,omitempty"`
	Drop              []Ident          `json:"drop,omitempty"`
	DropTimestamp     Term             `json:"drop_timestamp,omitempty"`
	Renames           []Rename         `json:"renames,omitempty"`
	Options           []Property       `json:"options,omitempty"`
	Column            *Ident           `json:"column,omitempty"`
	Type              *Type            `json:"type,omitempty"`
	Mask              *FunctionCall    `json:"mask,omitempty"`
	Pos               Pos              `json:"pos"`
}

// DropTable is DROP TABLE (or COLUMNFAMILY) [IF EXISTS] name.
type DropTable struct {
	IfExists bool          `json:"if_exists,omitempty"`
	Name     QualifiedName `json:"name"`
	Pos      Pos           `json:"pos"`
}

// Truncate is TRUNCATE [TABLE|COLUMNFAMILY] name.
type Truncate struct {
	Table QualifiedName `json:"table"`
	Pos   Pos           `json:"pos"`
}

// CreateType is CREATE TYPE [IF NOT EXISTS] name (field type, ...).
type CreateType struct {
	IfNotExists bool          `json:"if_not_exists,omitempty"`
	Name        QualifiedName `json:"name"`
	Fields      []FieldDef    `json:"fields"`
	Pos         Pos           `json:"pos"`
}

// AlterTypeAction says what an ALTER TYPE statement does.
type AlterTypeAction string

// ALTER TYPE actions.
const (
	AlterTypeAdd    AlterTypeAction = "ADD"        // ADD [IF NOT EXISTS] field type
	AlterTypeRename AlterTypeAction = "RENAME"     // RENAME [IF EXISTS] a TO b [AND ...]
	AlterTypeAlter  AlterTypeAction = "ALTER TYPE" // ALTER field TYPE t (old syntax, rejected by Cassandra 3.0.11+)
)

// AlterType is ALTER TYPE [IF EXISTS] name followed by one action: ADD uses
// Field and IfFieldNotExists; RENAME uses Renames and IfFieldExists; ALTER
// TYPE uses Field (name and new type).
type AlterType struct {
	IfExists         bool            `json:"if_exists,omitempty"`
	Name             QualifiedName   `json:"name"`
	Action           AlterTypeAction `json:"action"`
	IfFieldNotExists bool            `json:"if_field_not_exists,omitempty"`
	IfFieldExists    bool            `json:"if_field_exists,omitempty"`
	Field            *FieldDef       `json:"field,omitempty"`
	Renames          []Rename        `json:"renames,omitempty"`
	Pos              Pos             `json:"pos"`
}

// DropType is DROP TYPE [IF EXISTS] name.
type DropType struct {
	IfExists bool          `json:"if_exists,omitempty"`
	Name     QualifiedName `json:"name"`
	Pos      Pos           `json:"pos"`
}

// IndexTarget is what an index covers: a column, or keys(col), values(col),
// entries(col), full(col). Kind is "" for a plain column, else the lower-case
// function name.
type IndexTarget struct {
	Column Ident  `json:"column"`
	Kind   string `json:"kind,omitempty"`
}

// CreateIndex is CREATE [CUSTOM] INDEX [IF NOT EXISTS] [name] ON table
// (target [, target...]) [USING 'class' [WITH OPTIONS = {...}]]. Using holds
// the class string ('sai', 'StorageAttachedIndex', a Java class name).
// Options holds the WITH clause (normally the single property "options").
type CreateIndex struct {
	Custom      bool          `json:"custom,omitempty"`
	IfNotExists bool          `json:"if_not_exists,omitempty"`
	Name        *Ident        `json:"name,omitempty"`
	Table       QualifiedName `json:"table"`
	Targets     []IndexTarget `json:"targets"`
	Using       string        `json:"using,omitempty"`
	Options     []Property    `json:"options,omitempty"`
	Pos         Pos           `json:"pos"`
}

// Target returns the first (usually only) index target.
func (s *CreateIndex) Target() IndexTarget {
	if len(s.Targets) == 0 {
		return IndexTarget{}
	}
	return s.Targets[0]
}

// DropIndex is DROP INDEX [IF EXISTS] [keyspace.]name.
type DropIndex struct {
	IfExists bool          `json:"if_exists,omitempty"`
	Name     QualifiedName `json:"name"`
	Pos      Pos           `json:"pos"`
}

// CreateView is CREATE MATERIALIZED VIEW [IF NOT EXISTS] name AS SELECT
// columns FROM base WHERE ... PRIMARY KEY (...) [WITH ...]. Columns is empty
// for SELECT *.
type CreateView struct {
	IfNotExists     bool              `json:"if_not_exists,omitempty"`
	Name            QualifiedName     `json:"name"`
	Columns         []Ident           `json:"columns,omitempty"`
	Base            QualifiedName     `json:"base"`
	Where           []Relation        `json:"where"`
	PartitionKey    []Ident           `json:"partition_key"`
	Clustering      []Ident           `json:"clustering,omitempty"`
	ClusteringOrder []ClusteringOrder `json:"clustering_order,omitempty"`
	Options         []Property        `json:"options,omitempty"`
	Pos             Pos               `json:"pos"`
}

// AlterView is ALTER MATERIALIZED VIEW [IF EXISTS] name WITH options.
type AlterView struct {
	IfExists bool          `json:"if_exists,omitempty"`
	Name     QualifiedName `json:"name"`
	Options  []Property    `json:"options"`
	Pos      Pos           `json:"pos"`
}

// DropView is DROP MATERIALIZED VIEW [IF EXISTS] name.
type DropView struct {
	IfExists bool          `json:"if_exists,omitempty"`
	Name     QualifiedName `json:"name"`
	Pos      Pos           `json:"pos"`
}

// Param is a function parameter: name and type.
type Param struct {
	Name Ident `json:"name"`
	Type Type  `json:"type"`
}

// CreateFunction is CREATE [OR REPLACE] FUNCTION [IF NOT EXISTS] name
// (params) (CALLED | RETURNS NULL) ON NULL INPUT RETURNS type LANGUAGE lang
// AS body. Body is the function source (the string or $$ body, unquoted).
type CreateFunction struct {
	OrReplace    bool          `json:"or_replace,omitempty"`
	IfNotExists  bool          `json:"if_not_exists,omitempty"`
	Name         QualifiedName `json:"name"`
	Params       []Param       `json:"params"`
	CalledOnNull bool          `json:"called_on_null_input"`
	Returns      Type          `json:"returns"`
	Language     string        `json:"language"`
	Body         string        `json:"body"`
	Pos          Pos           `json:"pos"`
}

// DropFunction is DROP FUNCTION [IF EXISTS] name [(types)]. HasArgs tells a
// signature "()" apart from no signature at all.
type DropFunction struct {
	IfExists bool          `json:"if_exists,omitempty"`
	Name     QualifiedName `json:"name"`
	HasArgs  bool          `json:"has_args,omitempty"`
	ArgTypes []Type        `json:"arg_types,omitempty"`
	Pos      Pos           `json:"pos"`
}

// CreateAggregate is CREATE [OR REPLACE] AGGREGATE [IF NOT EXISTS] name
// (types) SFUNC f STYPE t [FINALFUNC f] [INITCOND term].
type CreateAggregate struct {
	OrReplace   bool          `json:"or_replace,omitempty"`
	IfNotExists bool          `json:"if_not_exists,omitempty"`
	Name        QualifiedName `json:"name"`
	ArgTypes    []Type        `json:"arg_types"`
	SFunc       Ident         `json:"sfunc"`
	SType       Type          `json:"stype"`
	FinalFunc   *Ident        `json:"finalfunc,omitempty"`
	InitCond    Term          `json:"initcond,omitempty"`
	Pos         Pos           `json:"pos"`
}

// DropAggregate is DROP AGGREGATE [IF EXISTS] name [(types)].
type DropAggregate struct {
	IfExists bool          `json:"if_exists,omitempty"`
	Name     QualifiedName `json:"name"`
	HasArgs  bool          `json:"has_args,omitempty"`
	ArgTypes []Type        `json:"arg_types,omitempty"`
	Pos      Pos           `json:"pos"`
}

// CreateTrigger is CREATE TRIGGER [IF NOT EXISTS] name ON table USING 'class'.
type CreateTrigger struct {
	IfNotExists bool          `json:"if_not_exists,omitempty"`
	Name        Ident         `json:"name"`
	Table       QualifiedName `json:"table"`
	Using       string        `json:"using"`
	Pos         Pos           `json:"pos"`
}

// DropTrigger is DROP TRIGGER [IF EXISTS] name ON table.
type DropTrigger struct {
	IfExists bool          `json:"if_exists,omitempty"`
	Name     Ident         `json:"name"`
	Table    QualifiedName `json:"table"`
	Pos      Pos           `json:"pos"`
}

// Role option names as they appear in Property.Name of CreateRole and
// AlterRole. Values: password options a string Literal; login and superuser
// a boolean Literal; options a map; datacenters and cidrs a set
// CollectionLiteral; the "all" forms have a nil Value.
const (
	RoleOptPassword          = "password"
	RoleOptHashedPassword    = "hashed password"
	RoleOptGeneratedPassword = "generated password"
	RoleOptLogin             = "login"
	RoleOptSuperuser         = "superuser"
	RoleOptOptions           = "options"
	RoleOptDatacenters       = "access to datacenters"
	RoleOptAllDatacenters    = "access to all datacenters"
	RoleOptCIDRs             = "access from cidrs"
	RoleOptAllCIDRs          = "access from all cidrs"
)

// CreateRole is CREATE ROLE [IF NOT EXISTS] name [WITH option [AND ...]].
// A role name written as a string literal is held as an Ident with its exact
// text.
type CreateRole struct {
	IfNotExists bool       `json:"if_not_exists,omitempty"`
	Name        Ident      `json:"name"`
	Options     []Property `json:"options,omitempty"`
	Pos         Pos        `json:"pos"`
}

// AlterRole is ALTER ROLE [IF EXISTS] name WITH option [AND ...].
type AlterRole struct {
	IfExists bool       `json:"if_exists,omitempty"`
	Name     Ident      `json:"name"`
	Options  []Property `json:"options"`
	Pos      Pos        `json:"pos"`
}

// DropRole is DROP ROLE [IF EXISTS] name.
type DropRole struct {
	IfExists bool  `json:"if_exists,omitempty"`
	Name     Ident `json:"name"`
	Pos      Pos   `json:"pos"`
}

// CreateUser is CREATE USER [IF NOT EXISTS] name [WITH [HASHED] PASSWORD 'p'
// | WITH GENERATED PASSWORD] [SUPERUSER | NOSUPERUSER]. Superuser is nil when
// neither was written. User names keep their case even unquoted, as in
// Cassandra.
type CreateUser struct {
	IfNotExists bool    `json:"if_not_exists,omitempty"`
	Name        Ident   `json:"name"`
	Password    *string `json:"password,omitempty"`
	Hashed      bool    `json:"hashed,omitempty"`
	Generated   bool    `json:"generated,omitempty"`
	Superuser   *bool   `json:"superuser,omitempty"`
	Pos         Pos     `json:"pos"`
}

// AlterUser is ALTER USER [IF EXISTS] name [WITH [HASHED] PASSWORD 'p']
// [SUPERUSER | NOSUPERUSER].
type AlterUser struct {
	IfExists  bool    `json:"if_exists,omitempty"`
	Name      Ident   `json:"name"`
	Password  *string `json:"password,omitempty"`
	Hashed    bool    `json:"hashed,omitempty"`
	Generated bool    `json:"generated,omitempty"`
	Superuser *bool   `json:"superuser,omitempty"`
	Pos       Pos     `json:"pos"`
}

// DropUser is DROP USER [IF EXISTS] name.
type DropUser struct {
	IfExists bool  `json:"if_exists,omitempty"`
	Name     Ident `json:"name"`
	Pos      Pos   `json:"pos"`
}

// Resource kinds of GRANT, REVOKE and LIST PERMISSIONS.
const (
	ResourceAllKeyspaces         = "ALL KEYSPACES"
	ResourceKeyspace             = "KEYSPACE"
	ResourceTable                = "TABLE"
	ResourceAllRoles             = "ALL ROLES"
	ResourceRole                 = "ROLE"
	ResourceAllTables            = "ALL TABLES IN KEYSPACE"
	ResourceAllFunctions         = "ALL FUNCTIONS"
	ResourceAllFunctionsKeyspace = "ALL FUNCTIONS IN KEYSPACE"
	ResourceFunction             = "FUNCTION"
	ResourceAllMBeans            = "ALL MBEANS"
	ResourceMBean                = "MBEAN"
	ResourceMBeans               = "MBEANS"
)

// Resource is the object of a permission. Kind is one of the Resource*
// constants; Name is the keyspace (KEYSPACE, ALL FUNCTIONS IN KEYSPACE), the
// table, role or function name; ArgTypes the function signature; Pattern the
// MBean name or pattern.
type Resource struct {
	Kind     string         `json:"kind"`
	Name     *QualifiedName `json:"name,omitempty"`
	ArgTypes []Type         `json:"arg_types,omitempty"`
	Pattern  string         `json:"pattern,omitempty"`
}

// Grant is GRANT permissions ON resource TO role. Permissions are upper
// case ("ALL" for ALL [PERMISSIONS], else CREATE, ALTER, DROP, SELECT,
// MODIFY, AUTHORIZE, DESCRIBE, EXECUTE, UNMASK, SELECT_MASKED).
type Grant struct {
	Permissions []string `json:"permissions"`
	Resource    Resource `json:"resource"`
	Role        Ident    `json:"role"`
	Pos         Pos      `json:"pos"`
}

// Revoke is REVOKE permissions ON resource FROM role.
type Revoke struct {
	Permissions []string `json:"permissions"`
	Resource    Resource `json:"resource"`
	Role        Ident    `json:"role"`
	Pos         Pos      `json:"pos"`
}

// GrantRole is GRANT role TO grantee.
type GrantRole struct {
	Role    Ident `json:"role"`
	Grantee Ident `json:"grantee"`
	Pos     Pos   `json:"pos"`
}

// RevokeRole is REVOKE role FROM revokee.
type RevokeRole struct {
	Role    Ident `json:"role"`
	Revokee Ident `json:"revokee"`
	Pos     Pos   `json:"pos"`
}

// ListRoles is LIST ROLES [OF role] [NORECURSIVE].
type ListRoles struct {
	Of          *Ident `json:"of,omitempty"`
	NoRecursive bool   `json:"norecursive,omitempty"`
	Pos         Pos    `json:"pos"`
}

// ListUsers is LIST USERS.
type ListUsers struct {
	Pos Pos `json:"pos"`
}

// ListPermissions is LIST permissions [ON resource] [OF role] [NORECURSIVE].
type ListPermissions struct {
	Permissions []string  `json:"permissions"`
	Resource    *Resource `json:"resource,omitempty"`
	Of          *Ident    `json:"of,omitempty"`
	NoRecursive bool      `json:"norecursive,omitempty"`
	Pos         Pos       `json:"pos"`
}

// AddIdentity is ADD IDENTITY [IF NOT EXISTS] 'identity' TO ROLE 'role'
// (Cassandra 5.0, mTLS authentication).
type AddIdentity struct {
	IfNotExists bool   `json:"if_not_exists,omitempty"`
	Identity    string `json:"identity"`
	Role        Ident  `json:"role"`
	Pos         Pos    `json:"pos"`
}

// DropIdentity is DROP IDENTITY [IF EXISTS] 'identity' (Cassandra 5.0).
type DropIdentity struct {
	IfExists bool   `json:"if_exists,omitempty"`
	Identity string `json:"identity"`
	Pos      Pos    `json:"pos"`
}

// Insert is INSERT INTO table (cols) VALUES (terms) or INSERT INTO table
// JSON term [DEFAULT NULL|UNSET], then [IF NOT EXISTS] [USING ...].
// For the JSON form Columns and Values are empty and JSON is set; Default is
// "", "NULL" or "UNSET".
type Insert struct {
	Table       QualifiedName `json:"table"`
	Columns     []Ident       `json:"columns,omitempty"`
	Values      []Term        `json:"values,omitempty"`
	JSON        Term          `json:"json,omitempty"`
	Default     string        `json:"default,omitempty"`
	IfNotExists bool          `json:"if_not_exists,omitempty"`
	Using       []UsingParam  `json:"using,omitempty"`
	Pos         Pos           `json:"pos"`
}

// Assignment is one SET item of UPDATE: col = v, col += v, col -= v,
// col[index] = v, col.field = v. Counter and collection arithmetic written as
// col = col + v (or v + col for list prepend) keeps Op "=" and a BinaryOp
// Value whose operand is a ColumnRef.
type Assignment struct {
	Column Ident  `json:"column"`
	Index  Term   `json:"index,omitempty"`
	Field  *Ident `json:"field,omitempty"`
	Op     string `json:"op"`
	Value  Term   `json:"value"`
}

// Condition is one IF condition of UPDATE/DELETE: col op value, where the
// column may be an element col[x] or a field col.f. Op is "=", "!=", "<",
// "<=", ">", ">=", "IN", "CONTAINS", "CONTAINS KEY". For IN, Values holds
// the parenthesised list, or Value a bind marker.
type Condition struct {
	Column  Ident  `json:"column"`
	Element Term   `json:"element,omitempty"`
	Field   *Ident `json:"field,omitempty"`
	Op      string `json:"op"`
	Value   Term   `json:"value,omitempty"`
	Values  []Term `json:"values,omitempty"`
}

// Relation is one WHERE restriction. Columns has one column, or several for
// a tuple relation "(a, b) > (1, 2)" (Tuple true) or a token relation
// "token(a, b) > token(?, ?)" (Token true). Element is set for "m[key] = v".
// Op is "=", "!=", "<", "<=", ">", ">=", "IN", "NOT IN", "CONTAINS",
// "CONTAINS KEY", "NOT CONTAINS", "NOT CONTAINS KEY", "LIKE", "BETWEEN" or
// "IS NOT NULL". Value is nil for IS NOT NULL; for IN and NOT IN either
// Values holds the parenthesised list (possibly empty) or Value a bind
// marker; for BETWEEN Values holds the two bounds.
type Relation struct {
	Columns []Ident `json:"columns"`
	Tuple   bool    `json:"tuple,omitempty"`
	Token   bool    `json:"token,omitempty"`
	Element Term    `json:"element,omitempty"`
	// Index is set for a custom index expression expr(index, value); Op is
	// then "EXPR", Columns is empty and Value holds the query.
	Index  *QualifiedName `json:"index,omitempty"`
	Op     string         `json:"op"`
	Value  Term           `json:"value,omitempty"`
	Values []Term         `json:"values,omitempty"`
	Pos    Pos            `json:"pos"`
}

// Column returns the first (usually only) column of the relation.
func (r Relation) Column() Ident {
	if len(r.Columns) == 0 {
		return Ident{}
	}
	return r.Columns[0]
}

// Update is UPDATE table [USING ...] SET assignments WHERE relations
// [IF EXISTS | IF conditions].
type Update struct {
	Table       QualifiedName `json:"table"`
	Using       []UsingParam  `json:"using,omitempty"`
	Assignments []Assignment  `json:"assignments"`
	Where       []Relation    `json:"where"`
	IfExists    bool          `json:"if_exists,omitempty"`
	Conditions  []Condition   `json:"conditions,omitempty"`
	Pos         Pos           `json:"pos"`
}

// DeleteSelection is one item between DELETE and FROM: a column, an element
// col[x] or a field col.f.
type DeleteSelection struct {
	Column  Ident  `json:"column"`
	Element Term   `json:"element,omitempty"`
	Field   *Ident `json:"field,omitempty"`
}

// Delete is DELETE [selections] FROM table [USING TIMESTAMP t] WHERE
// relations [IF EXISTS | IF conditions].
type Delete struct {
	Columns    []DeleteSelection `json:"columns,omitempty"`
	Table      QualifiedName     `json:"table"`
	Using      []UsingParam      `json:"using,omitempty"`
	Where      []Relation        `json:"where"`
	IfExists   bool              `json:"if_exists,omitempty"`
	Conditions []Condition       `json:"conditions,omitempty"`
	Pos        Pos               `json:"pos"`
}

// Batch is BEGIN [UNLOGGED | COUNTER] BATCH [USING TIMESTAMP t] statements
// APPLY BATCH. Type is "" (logged), "UNLOGGED" or "COUNTER". Statements are
// *Insert, *Update and *Delete.
type Batch struct {
	Type       string       `json:"type,omitempty"`
	Using      []UsingParam `json:"using,omitempty"`
	Statements []Stmt       `json:"statements"`
	Pos        Pos          `json:"pos"`
}

// Selector is one item of a SELECT clause with its optional alias.
type Selector struct {
	Expr  Term   `json:"expr"`
	Alias *Ident `json:"alias,omitempty"`
}

// Ordering is one ORDER BY item: col [ASC|DESC], or col ANN OF vector.
type Ordering struct {
	Column Ident `json:"column"`
	Desc   bool  `json:"desc,omitempty"`
	ANN    Term  `json:"ann,omitempty"`
}

// Select is SELECT [JSON] [DISTINCT] (* | selectors) FROM table [WHERE ...]
// [GROUP BY ...] [ORDER BY ...] [PER PARTITION LIMIT n] [LIMIT n]
// [ALLOW FILTERING]. Selectors is empty for *.
type Select struct {
	JSON              bool          `json:"json,omitempty"`
	Distinct          bool          `json:"distinct,omitempty"`
	Selectors         []Selector    `json:"selectors,omitempty"`
	Table             QualifiedName `json:"table"`
	Where             []Relation    `json:"where,omitempty"`
	GroupBy           []Term        `json:"group_by,omitempty"`
	OrderBy           []Ordering    `json:"order_by,omitempty"`
	PerPartitionLimit Term          `json:"per_partition_limit,omitempty"`
	Limit             Term          `json:"limit,omitempty"`
	AllowFiltering    bool          `json:"allow_filtering,omitempty"`
	Pos               Pos           `json:"pos"`
}

// Use is USE keyspace.
type Use struct {
	Keyspace Ident `json:"keyspace"`
	Pos      Pos   `json:"pos"`
}

// Term is a value expression: a Literal, BindMarker, CollectionLiteral,
// TupleLiteral, UDTLiteral, FunctionCall, Cast, TypeHint, BinaryOp, UnaryOp,
// ColumnRef, FieldRef, ElementRef or Star.
type Term interface {
	Position() Pos
	String() string
	term()
}

// LiteralKind is the lexical kind of a Literal.
type LiteralKind string

// Literal kinds.
const (
	LitString   LiteralKind = "string"
	LitInteger  LiteralKind = "integer"
	LitFloat    LiteralKind = "float"
	LitBoolean  LiteralKind = "boolean"
	LitUUID     LiteralKind = "uuid"
	LitBlob     LiteralKind = "blob"
	LitDuration LiteralKind = "duration"
	LitNull     LiteralKind = "null"
	LitNaN      LiteralKind = "nan"
	LitInfinity LiteralKind = "infinity"
)

// Literal is a constant. Text is the value: the unescaped contents of a
// string, or the source spelling of anything else (e.g. "-12", "1.5e3",
// "0xcafe", "1h30m", "true", "NaN", "-Infinity", "null"); booleans and null
// are lower case. Dollar records a $$...$$ string so it renders the same way.
type Literal struct {
	Type   LiteralKind `json:"type"`
	Text   string      `json:"text"`
	Dollar bool        `json:"dollar,omitempty"`
	Pos    Pos         `json:"pos"`
}

// BindMarker is "?" (Name empty) or ":name". Index numbers the markers of a
// statement from 0 in source order (as the EXECUTE values arrive); in a
// batch the numbering runs across all inner statements.
type BindMarker struct {
	Name  string `json:"name,omitempty"`
	Index int    `json:"index"`
	Pos   Pos    `json:"pos"`
}

// MapEntry is one key: value pair of a map literal.
type MapEntry struct {
	Key   Term `json:"key"`
	Value Term `json:"value"`
}

// CollectionLiteral is a list [..], set {..} or map {k: v, ..}. Kind is
// "list", "set" or "map"; "{}" is an empty map (Cassandra accepts it for
// sets too). Elements holds list/set items, Entries map pairs.
type CollectionLiteral struct {
	Kind     string     `json:"kind"`
	Elements []Term     `json:"elements,omitempty"`
	Entries  []MapEntry `json:"entries,omitempty"`
	Pos      Pos        `json:"pos"`
}

// TupleLiteral is (a, b, ...).
type TupleLiteral struct {
	Elements []Term `json:"elements"`
	Pos      Pos    `json:"pos"`
}

// UDTField is one field: value pair of a user-type literal.
type UDTField struct {
	Name  Ident `json:"name"`
	Value Term  `json:"value"`
}

// UDTLiteral is {field: value, ...} with identifier keys.
type UDTLiteral struct {
	Fields []UDTField `json:"fields"`
	Pos    Pos        `json:"pos"`
}

// FunctionCall is name(args), e.g. now(), token(a), writetime(c), count(*)
// (Args holds a single Star), or a masking function in MASKED WITH. Name
// keeps its keyspace when the source qualified it.
type FunctionCall struct {
	Name QualifiedName `json:"name"`
	Args []Term        `json:"args"`
	Pos  Pos           `json:"pos"`
}

// Cast is CAST(term AS type) in a selector.
type Cast struct {
	Expr Term `json:"expr"`
	Type Type `json:"type"`
	Pos  Pos  `json:"pos"`
}

// TypeHint is (type) term, a type hint on a bind marker or literal.
type TypeHint struct {
	Type Type `json:"type"`
	Expr Term `json:"expr"`
	Pos  Pos  `json:"pos"`
}

// BinaryOp is Left Op Right with Op one of + - * / %.
type BinaryOp struct {
	Op    string `json:"op"`
	Left  Term   `json:"left"`
	Right Term   `json:"right"`
	Pos   Pos    `json:"pos"`
}

// UnaryOp is -Operand applied to a non-literal (a negative number literal
// is a Literal with a leading "-").
type UnaryOp struct {
	Op      string `json:"op"`
	Operand Term   `json:"operand"`
	Pos     Pos    `json:"pos"`
}

// ColumnRef names a column in a selector or on the right of an assignment.
type ColumnRef struct {
	Name Ident `json:"name"`
	Pos  Pos   `json:"pos"`
}

// FieldRef is Expr.Field, a user-type field selection.
type FieldRef struct {
	Expr  Term  `json:"expr"`
	Field Ident `json:"field"`
	Pos   Pos   `json:"pos"`
}

// ElementRef is Expr[Index], a collection element selection; with Slice
// true it is Expr[From..To] where either bound may be nil.
type ElementRef struct {
	Expr  Term `json:"expr"`
	Index Term `json:"index,omitempty"`
	Slice bool `json:"slice,omitempty"`
	From  Term `json:"from,omitempty"`
	To    Term `json:"to,omitempty"`
	Pos   Pos  `json:"pos"`
}

// Star is "*" in SELECT * and count(*).
type Star struct {
	Pos Pos `json:"pos"`
}

func (*Literal) term()           {}
func (*BindMarker) term()        {}
func (*CollectionLiteral) term() {}
func (*TupleLiteral) term()      {}
func (*UDTLiteral) term()        {}
func (*FunctionCall) term()      {}
func (*Cast) term()              {}
func (*TypeHint) term()          {}
func (*BinaryOp) term()          {}
func (*UnaryOp) term()           {}
func (*ColumnRef) term()         {}
func (*FieldRef) term()          {}
func (*ElementRef) term()        {}
func (*Star) term()              {}

// Position returns where the term starts.
func (t *Literal) Position() Pos { return t.Pos }

// Position returns where the term starts.
func (t *BindMarker) Position() Pos { return t.Pos }

// Position returns where the term starts.
func (t *CollectionLiteral) Position() Pos { return t.Pos }

// Position returns where the term starts.
func (t *TupleLiteral) Position() Pos { return t.Pos }

// Position returns where the term starts.
func (t *UDTLiteral) Position() Pos { return t.Pos }

// Position returns where the term starts.
func (t *FunctionCall) Position() Pos { return t.Pos }

// Position returns where the term starts.
func (t *Cast) Position() Pos { return t.Pos }

// Position returns where the term starts.
func (t *TypeHint) Position() Pos { return t.Pos }

// Position returns where the term starts.
func (t *BinaryOp) Position() Pos { return t.Pos }

// Position returns where the term starts.
func (t *UnaryOp) Position() Pos { return t.Pos }

// Position returns where the term starts.
func (t *ColumnRef) Position() Pos { return t.Pos }

// Position returns where the term starts.
func (t *FieldRef) Position() Pos { return t.Pos }

// Position returns where the term starts.
func (t *ElementRef) Position() Pos { return t.Pos }

// Position returns where the term starts.
func (t *Star) Position() Pos { return t.Pos }

// Kind implements Stmt.
func (*CreateKeyspace) Kind() Kind { return KindCreateKeyspace }

// Kind implements Stmt.
func (*AlterKeyspace) Kind() Kind { return KindAlterKeyspace }

// Kind implements Stmt.
func (*DropKeyspace) Kind() Kind { return KindDropKeyspace }

// Kind implements Stmt.
func (*CreateTable) Kind() Kind { return KindCreateTable }

// Kind implements Stmt.
func (*AlterTable) Kind() Kind { return KindAlterTable }

// Kind implements Stmt.
func (*DropTable) Kind() Kind { return KindDropTable }

// Kind implements Stmt.
func (*Truncate) Kind() Kind { return KindTruncate }

// Kind implements Stmt.
func (*CreateType) Kind() Kind { return KindCreateType }

// Kind implements Stmt.
func (*AlterType) Kind() Kind { return KindAlterType }

// Kind implements Stmt.
func (*DropType) Kind() Kind { return KindDropType }

// Kind implements Stmt.
func (*CreateIndex) Kind() Kind { return KindCreateIndex }

// Kind implements Stmt.
func (*DropIndex) Kind() Kind { return KindDropIndex }

// Kind implements Stmt.
func (*CreateView) Kind() Kind { return KindCreateView }

// Kind implements Stmt.
func (*AlterView) Kind() Kind { return KindAlterView }

// Kind implements Stmt.
func (*DropView) Kind() Kind { return KindDropView }

// Kind implements Stmt.
func (*CreateFunction) Kind() Kind { return KindCreateFunction }

// Kind implements Stmt.
func (*DropFunction) Kind() Kind { return KindDropFunction }

// Kind implements Stmt.
func (*CreateAggregate) Kind() Kind { return KindCreateAggregate }

// Kind implements Stmt.
func (*DropAggregate) Kind() Kind { return KindDropAggregate }

// Kind implements Stmt.
func (*CreateTrigger) Kind() Kind { return KindCreateTrigger }

// Kind implements Stmt.
func (*DropTrigger) Kind() Kind { return KindDropTrigger }

// Kind implements Stmt.
func (*CreateRole) Kind() Kind { return KindCreateRole }

// Kind implements Stmt.
func (*AlterRole) Kind() Kind { return KindAlterRole }

// Kind implements Stmt.
func (*DropRole) Kind() Kind { return KindDropRole }

// Kind implements Stmt.
func (*CreateUser) Kind() Kind { return KindCreateUser }

// Kind implements Stmt.
func (*AlterUser) Kind() Kind { return KindAlterUser }

// Kind implements Stmt.
func (*DropUser) Kind() Kind { return KindDropUser }

// Kind implements Stmt.
func (*Grant) Kind() Kind { return KindGrant }

// Kind implements Stmt.
func (*Revoke) Kind() Kind { return KindRevoke }

// Kind implements Stmt.
func (*GrantRole) Kind() Kind { return KindGrantRole }

// Kind implements Stmt.
func (*RevokeRole) Kind() Kind { return KindRevokeRole }

// Kind implements Stmt.
func (*ListRoles) Kind() Kind { return KindListRoles }

// Kind implements Stmt.
func (*ListUsers) Kind() Kind { return KindListUsers }

// Kind implements Stmt.
func (*ListPermissions) Kind() Kind { return KindListPermissions }

// Kind implements Stmt.
func (*AddIdentity) Kind() Kind { return KindAddIdentity }

// Kind implements Stmt.
func (*DropIdentity) Kind() Kind { return KindDropIdentity }

// Kind implements Stmt.
func (*Insert) Kind() Kind { return KindInsert }

// Kind implements Stmt.
func (*Update) Kind() Kind { return KindUpdate }

// Kind implements Stmt.
func (*Delete) Kind() Kind { return KindDelete }

// Kind implements Stmt.
func (*Batch) Kind() Kind { return KindBatch }

// Kind implements Stmt.
func (*Select) Kind() Kind { return KindSelect }

// Kind implements Stmt.
func (*Use) Kind() Kind { return KindUse }

// Position implements Stmt.
func (s *CreateKeyspace) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *AlterKeyspace) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *DropKeyspace) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *CreateTable) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *AlterTable) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *DropTable) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *Truncate) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *CreateType) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *AlterType) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *DropType) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *CreateIndex) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *DropIndex) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *CreateView) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *AlterView) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *DropView) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *CreateFunction) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *DropFunction) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *CreateAggregate) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *DropAggregate) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *CreateTrigger) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *DropTrigger) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *CreateRole) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *AlterRole) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *DropRole) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *CreateUser) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *AlterUser) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *DropUser) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *Grant) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *Revoke) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *GrantRole) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *RevokeRole) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *ListRoles) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *ListUsers) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *ListPermissions) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *AddIdentity) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *DropIdentity) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *Insert) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *Update) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *Delete) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *Batch) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *Select) Position() Pos { return s.Pos }

// Position implements Stmt.
func (s *Use) Position() Pos { return s.Pos }
