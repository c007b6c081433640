package schema

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cqltrack/cqltrack/engine/cql"
)

// Apply executes one statement against the catalog as a Cassandra node
// would: DDL is validated with Cassandra's rules and, when valid, changes
// the catalog; USE, DML, role and permission statements change nothing
// (DML only has its keyspace and table checked). sessionKeyspace is the
// keyspace of USE for unqualified names.
//
// Apply is atomic: when it returns an error the catalog is unchanged. The
// error is an *Error carrying the protocol code, Cassandra's message and the
// statement position.
func (c *Catalog) Apply(stmt cql.Stmt, sessionKeyspace string) (Effect, error) {
	eff, err := c.apply(stmt, sessionKeyspace)
	if err != nil {
		return Effect{}, at(err, stmt.Position())
	}
	return eff, nil
}

func (c *Catalog) apply(stmt cql.Stmt, session string) (Effect, error) {
	switch s := stmt.(type) {
	case *cql.CreateKeyspace:
		return c.createKeyspace(s)
	case *cql.AlterKeyspace:
		return c.alterKeyspace(s)
	case *cql.DropKeyspace:
		return c.dropKeyspace(s)
	case *cql.CreateTable:
		return c.createTable(s, session)
	case *cql.AlterTable:
		return c.alterTable(s, session)
	case *cql.DropTable:
		return c.dropTable(s, session)
	case *cql.CreateType:
		return c.createType(s, session)
	case *cql.AlterType:
		return c.alterType(s, session)
	case *cql.DropType:
		return c.dropType(s, session)
	case *cql.CreateIndex:
		return c.createIndex(s, session)
	case *cql.DropIndex:
		return c.dropIndex(s, session)
	case *cql.CreateView:
		return c.createView(s, session)
	case *cql.AlterView:
		return c.alterView(s, session)
	case *cql.DropView:
		return c.dropView(s, session)
	case *cql.CreateFunction:
		return c.createFunction(s, session)
	case *cql.DropFunction:
		return c.dropFunction(s, session)
	case *cql.CreateAggregate:
		return c.createAggregate(s, session)
	case *cql.DropAggregate:
		return c.dropAggregate(s, session)
	case *cql.CreateTrigger:
		return c.createTrigger(s, session)
	case *cql.DropTrigger:
		return c.dropTrigger(s, session)
	case *cql.Use:
		if c.Keyspaces[s.Keyspace.Name] == nil {
			return Effect{}, invalidf("Keyspace '%s' does not exist", s.Keyspace.Name)
		}
		return Effect{}, nil
	case *cql.Insert:
		return Effect{}, c.checkDML(s.Table, session, "insert")
	case *cql.Update:
		return Effect{}, c.checkDML(s.Table, session, "update")
	case *cql.Delete:
		return Effect{}, c.checkDML(s.Table, session, "delete")
	case *cql.Select:
		return Effect{}, c.checkTable(s.Table, session)
	case *cql.Truncate:
		return Effect{}, c.checkDML(s.Table, session, "truncate")
	case *cql.Batch:
		for _, inner := range s.Statements {
			if _, err := c.apply(inner, session); err != nil {
				return Effect{}, at(err, inner.Position())
			}
		}
		return Effect{}, nil
	}
	// Role, user, permission and identity statements have no schema effect.
	return Effect{}, nil
}

// checkTable is the existence check DML gets.
func (c *Catalog) checkTable(q cql.QualifiedName, session string) error {
	ksName := q.KeyspaceOr(session)
	if ksName == "" {
		return noKeyspace()
	}
	ks := c.Keyspaces[ksName]
	if ks == nil {
		return invalidf("Keyspace %s does not exist", ksName)
	}
	// Tables of Cassandra's own keyspaces (system.local, ...) belong to
	// whoever serves them; only system_schema's are defined here.
	if ks.System && ks.Name != "system_schema" {
		return nil
	}
	if ks.Tables[q.Name.Name] == nil && ks.Views[q.Name.Name] == nil {
		return invalidf("unconfigured table %s", q.Name.Name)
	}
	return nil
}

// checkDML adds the checks of statements that write: views cannot be
// written to, counter tables take no INSERT.
func (c *Catalog) checkDML(q cql.QualifiedName, session, op string) error {
	if err := c.checkTable(q, session); err != nil {
		return err
	}
	ks := c.Keyspaces[q.KeyspaceOr(session)]
	if ks.Views[q.Name.Name] != nil {
		if op == "truncate" {
			return invalidf("Cannot TRUNCATE materialized view directly; must truncate base table instead")
		}
		return invalidf("Cannot directly modify a materialized view")
	}
	if t := ks.Tables[q.Name.Name]; t != nil && op == "insert" && t.IsCounter() {
		return invalidf("INSERT statements are not allowed on counter tables, use UPDATE instead")
	}
	return nil
}

func noKeyspace() error {
	return invalidf("No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename")
}

// keyspaceOf resolves the keyspace of a possibly qualified name; it must
// exist and not be a system keyspace.
func (c *Catalog) keyspaceOf(q cql.QualifiedName, session string) (*Keyspace, error) {
	name := q.KeyspaceOr(session)
	if name == "" {
		return nil, noKeyspace()
	}
	return c.userKeyspace(name, false)
}

// userKeyspace returns the keyspace called name, which must exist and not be
// a system keyspace. A missing one is nil without an error when ifExists:
// IF EXISTS forgives absence, never an attempt on a system keyspace.
func (c *Catalog) userKeyspace(name string, ifExists bool) (*Keyspace, error) {
	ks := c.Keyspaces[name]
	if ks == nil {
		if ifExists {
			return nil, nil
		}
		return nil, invalidf("Keyspace '%s' doesn't exist", name)
	}
	if ks.System {
		return nil, &Error{Code: CodeUnauthorized, Msg: name + " keyspace is not user-modifiable."}
	}
	return ks, nil
}

// executable is the check every schema statement gets when it executes,
// after any permission check, on Cassandra 4.0 and later
// (AlterSchemaStatement.execute): node-local and virtual keyspaces hold no
// user schema. Statements whose permission check already refuses system
// keyspaces (userKeyspace) never get here with one; DROP INDEX and the
// trigger statements check no permission on them, so this is their answer.
func (c *Catalog) executable(name string) error {
	if name == "system" || name == "system_schema" {
		return invalidf("System keyspace '%s' is not user-modifiable", name)
	}
	if ks := c.Keyspaces[name]; ks != nil && ks.Virtual {
		return invalidf("Virtual keyspace '%s' is not user-modifiable", name)
	}
	return nil
}

var validName = regexp.MustCompile(`^\w+$`)

// tableNameLength is the longest table name: 48 characters like keyspace
// names until 5.0 raised it (directory names still fit the file system).
func (c *Catalog) tableNameLength() int {
	if c.Version >= V5_0 {
		return 222
	}
	return 48
}

func checkName(kind, name string, max int) error {
	if name == "" || len(name) > max || !validName.MatchString(name) {
		return invalidf("%s name must not be empty, more than %d characters long, or contain non-alphanumeric-underscore characters (got \"%s\")", kind, max, name)
	}
	return nil
}

// --- keyspaces ---

func (c *Catalog) keyspaceParams(name string, options []cql.Property, create bool, cur *Keyspace) (map[string]string, bool, error) {
	p, err := newProps(options)
	if err != nil {
		return nil, false, err
	}
	if err := p.check(func(n string) bool { return n == "replication" || n == "durable_writes" }); err != nil {
		return nil, false, err
	}
	durable := true
	var repl map[string]string
	if cur != nil {
		durable, repl = cur.DurableWrites, cur.Replication
	}
	if p.has("durable_writes") {
		if durable, err = p.boolean("durable_writes"); err != nil {
			return nil, false, err
		}
	}
	if p.has("replication") {
		m, err := p.strMap("replication")
		if err != nil {
			return nil, false, err
		}
		if repl, err = c.replicationOptions(name, m); err != nil {
			return nil, false, at(err, p.byNm["replication"].Pos)
		}
	} else if create {
		return nil, false, configf("Missing mandatory option 'replication'")
	}
	return repl, durable, nil
}

func (c *Catalog) createKeyspace(s *cql.CreateKeyspace) (Effect, error) {
	name := s.Name.Name
	if err := checkName("Keyspace", name, 48); err != nil {
		return Effect{}, at(err, s.Name.Pos)
	}
	if c.Keyspaces[name] != nil {
		if s.IfNotExists {
			return Effect{}, nil
		}
		return Effect{}, keyspaceExists(name)
	}
	repl, durable, err := c.keyspaceParams(name, s.Options, true, nil)
	if err != nil {
		return Effect{}, err
	}
	ks := NewKeyspace(name, repl)
	ks.DurableWrites = durable
	c.Keyspaces[name] = ks
	return Effect{Op: OpCreate, Object: ObjKeyspace, Keyspace: name, Name: name}, nil
}

func (c *Catalog) alterKeyspace(s *cql.AlterKeyspace) (Effect, error) {
	if s.IfExists {
		if err := c.needs41IF(); err != nil {
			return Effect{}, err
		}
	}
	name := s.Name.Name
	ks, err := c.userKeyspace(name, s.IfExists)
	if ks == nil {
		return Effect{}, err
	}
	repl, durable, err := c.keyspaceParams(name, s.Options, false, ks)
	if err != nil {
		return Effect{}, err
	}
	// The new keyspace shares the object maps, and with them the index
	// lookup that describes them, with the one it replaces.
	n := *ks
	n.Replication, n.DurableWrites = repl, durable
	c.Keyspaces[name] = &n
	return Effect{Op: OpAlter, Object: ObjKeyspace, Keyspace: name, Name: name}, nil
}

func (c *Catalog) dropKeyspace(s *cql.DropKeyspace) (Effect, error) {
	name := s.Name.Name
	ks, err := c.userKeyspace(name, s.IfExists)
	if ks == nil {
		return Effect{}, err
	}
	delete(c.Keyspaces, name)
	return Effect{Op: OpDrop, Object: ObjKeyspace, Keyspace: name, Name: name}, nil
}

// --- tables ---

func (c *Catalog) createTable(s *cql.CreateTable, session string) (Effect, error) {
	ks, err := c.keyspaceOf(s.Name, session)
	if err != nil {
		return Effect{}, err
	}
	name := s.Name.Name.Name
	if ks.Tables[name] != nil || ks.Views[name] != nil {
		if s.IfNotExists {
			return Effect{}, nil
		}
		return Effect{}, tableExists(ks.Name, name)
	}
	if err := checkName("Table", name, c.tableNameLength()); err != nil {
		return Effect{}, at(err, s.Name.Name.Pos)
	}
	t, err := c.buildTable(ks, s)
	if err != nil {
		return Effect{}, err
	}
	ks.putTable(t)
	return Effect{Op: OpCreate, Object: ObjTable, Keyspace: ks.Name, Name: name}, nil
}

func (c *Catalog) buildTable(ks *Keyspace, s *cql.CreateTable) (*Table, error) {
	name := s.Name.Name.Name
	res := &typeResolver{ks: ks.Name, types: ks.Types, version: c.Version}
	t := &Table{
		Keyspace: ks.Name, Name: name, Columns: map[string]*Column{}, Dropped: map[string]*DroppedColumn{},
		Indexes: map[string]*Index{}, Triggers: map[string]*Trigger{},
	}
	statics := map[string]bool{}
	var order []string
	for _, cd := range s.Columns {
		cn := cd.Name.Name
		if t.Columns[cn] != nil {
			return nil, at(invalidf("Duplicate column '%s' declaration for table '%s'", cn, name), cd.Name.Pos)
		}
		ct, err := res.resolve(cd.Type)
		if err != nil {
			return nil, at(err, cd.Name.Pos)
		}
		if err := checkNonFrozenUDT(ks, ct, ""); err != nil {
			return nil, at(err, cd.Name.Pos)
		}
		col := &Column{Name: cn, Type: ct, Kind: Regular, Position: -1, Order: None}
		if cd.Mask != nil {
			m, err := c.mask(ks, cd.Mask, ct)
			if err != nil {
				return nil, at(err, cd.Mask.Pos)
			}
			col.Mask = m
		}
		t.Columns[cn] = col
		order = append(order, cn)
		if cd.Static {
			statics[cn] = true
		}
	}
	if len(s.PartitionKey) == 0 {
		return nil, invalidf("No PRIMARY KEY specifed for table '%s' (exactly one required)", name)
	}
	seen := map[string]bool{}
	for i, id := range append(append([]cql.Ident{}, s.PartitionKey...), s.Clustering...) {
		col := t.Columns[id.Name]
		if col == nil {
			return nil, at(invalidf("Unknown column '%s' referenced in PRIMARY KEY for table '%s'", id.Name, name), id.Pos)
		}
		if seen[id.Name] {
			return nil, at(invalidf("Duplicate column '%s' in PRIMARY KEY clause for table '%s'", id.Name, name), id.Pos)
		}
		seen[id.Name] = true
		if isMultiCell(col.Type) {
			what := "collection"
			if col.Type.IsUser() {
				what = "user-defined"
				return nil, at(invalidf("Invalid non-frozen %s type %s for PRIMARY KEY column '%s'", what, typeText(col.Type), id.Name), id.Pos)
			}
			return nil, at(invalidf("Invalid non-frozen %s type %s for PRIMARY KEY column '%s'", what, typeText(col.Type), id.Name), id.Pos)
		}
		if col.Type.Name == "counter" {
			return nil, at(invalidf("counter type is not supported for PRIMARY KEY column '%s'", id.Name), id.Pos)
		}
		if referencesDuration(col.Type) {
			return nil, at(invalidf("duration type is not supported for PRIMARY KEY column '%s'", id.Name), id.Pos)
		}
		if statics[id.Name] {
			return nil, at(invalidf("Static column '%s' cannot be part of the PRIMARY KEY", id.Name), id.Pos)
		}
		if i < len(s.PartitionKey) {
			col.Kind, col.Position = PartitionKey, i
		} else {
			col.Kind, col.Position, col.Order = Clustering, i-len(s.PartitionKey), Asc
		}
	}
	if len(s.ClusteringOrder) > len(s.Clustering) {
		return nil, invalidf("Only clustering columns can be defined in CLUSTERING ORDER directive")
	}
	for i, co := range s.ClusteringOrder {
		ck := s.Clustering[i].Name
		if co.Column.Name != ck {
			in := false
			for _, o := range s.ClusteringOrder {
				in = in || o.Column.Name == ck
			}
			if in {
				return nil, at(invalidf("The order of columns in the CLUSTERING ORDER directive must match that of the clustering columns (%s must appear before %s)", ck, co.Column.Name), co.Column.Pos)
			}
			return nil, at(invalidf("Missing CLUSTERING ORDER for column %s", ck), co.Column.Pos)
		}
		if co.Desc {
			t.Columns[ck].Order = Desc
		}
	}
	var regular []*Column
	hasCounter := false
	for _, cn := range order {
		col := t.Columns[cn]
		if col.Type.Name == "counter" {
			hasCounter = true
		}
		if !col.IsPrimaryKey() {
			regular = append(regular, col)
		}
	}
	if s.CompactStorage {
		if err := compactChecks(regular, statics, len(s.Clustering)); err != nil {
			return nil, err
		}
	} else if len(s.Clustering) == 0 && len(statics) > 0 {
		return nil, invalidf("Static columns are only useful (and thus allowed) if the table has at least one clustering column")
	}
	for _, col := range regular {
		if statics[col.Name] {
			col.Kind = Static
		}
	}
	p, err := newProps(s.Options)
	if err != nil {
		return nil, err
	}
	opts, id, err := c.tableOptions(DefaultOptions(c.Version), p, false, true)
	if err != nil {
		return nil, err
	}
	if hasCounter {
		for _, col := range regular {
			if col.Type.Name != "counter" {
				return nil, at(invalidf("Cannot mix counter and non counter columns in the same table"), s.Pos)
			}
		}
		if opts.DefaultTimeToLive > 0 {
			return nil, invalidf("Cannot set default_time_to_live on a table with counters")
		}
	}
	t.Options = opts
	if id != nil {
		t.ID = *id
	} else {
		t.ID = c.newID()
	}
	t.Flags = tableFlags(s.CompactStorage, len(s.Clustering), hasCounter)
	return t, nil
}

// tableFlags computes system_schema.tables.flags.
func tableFlags(compact bool, clustering int, counter bool) []string {
	var flags []string
	if !compact || clustering > 1 {
		flags = append(flags, "compound")
	}
	if counter {
		flags = append(flags, "counter")
	}
	if compact && clustering > 0 {
		flags = append(flags, "dense")
	}
	sort.Strings(flags)
	return flags
}

func compactChecks(regular []*Column, statics map[string]bool, clustering int) error {
	for _, col := range regular {
		if isMultiCell(col.Type) {
			return invalidf("Non-frozen collections and UDTs are not supported with COMPACT STORAGE")
		}
	}
	if len(statics) > 0 {
		return invalidf("Static columns are not supported in COMPACT STORAGE tables")
	}
	if clustering > 0 && len(regular) > 1 {
		names := make([]string, len(regular))
		for i, c := range regular {
			names[i] = c.Name
		}
		sort.Strings(names)
		return invalidf("COMPACT STORAGE with composite PRIMARY KEY allows no more than one column not part of the PRIMARY KEY (got: %s)", strings.Join(names, ", "))
	}
	if clustering == 0 && len(regular) == 0 {
		return invalidf("COMPACT STORAGE with non-composite PRIMARY KEY require one column not part of the PRIMARY KEY, none given")
	}
	return nil
}

// checkNonFrozenUDT rejects a non-frozen user type column whose fields hold
// non-frozen collections.
func checkNonFrozenUDT(ks *Keyspace, t cql.Type, column string) error {
	if !t.IsUser() {
		return nil
	}
	u := ks.Types[t.Name]
	if u == nil {
		return nil
	}
	for _, ft := range u.FieldTypes {
		if isMultiCell(ft) {
			if column != "" {
				return invalidf("Non-frozen UDTs with nested non-frozen collections are not supported for column %s", column)
			}
			return invalidf("Non-frozen UDTs with nested non-frozen collections are not supported")
		}
	}
	return nil
}

// maskFunctions are Cassandra 5.0's built-in masking functions.
var maskFunctions = map[string]bool{"mask_default": true, "mask_null": true, "mask_hash": true,
	"mask_inner": true, "mask_outer": true, "mask_replace": true}

func (c *Catalog) mask(ks *Keyspace, fc *cql.FunctionCall, colType cql.Type) (*Mask, error) {
	if c.Version < V5_0 {
		return nil, syntaxf("MASKED WITH requires Cassandra 5.0")
	}
	fks := fc.Name.KeyspaceOr("")
	name := fc.Name.Name.Name
	if name == "default" {
		name = "mask_default"
	}
	m := &Mask{Keyspace: "system", Function: name}
	if fks != "" && fks != "system" {
		found := false
		if k := c.Keyspaces[fks]; k != nil {
			for _, f := range k.Functions {
				found = found || f.Name == name
			}
		}
		if !found {
			return nil, invalidf("Unable to find masking function for %s, no declared function matches the signature %s(%s)", name, fc.Name.String(), typeText(colType))
		}
		m.Keyspace = fks
	} else if !maskFunctions[name] {
		found := false
		for _, f := range ks.Functions {
			if f.Name == name {
				found = true
				m.Keyspace = ks.Name
			}
		}
		if !found {
			return nil, invalidf("Unable to find masking function for %s, no declared function matches the signature %s(%s)", name, name, typeText(colType))
		}
	}
	for _, a := range fc.Args {
		m.Args = append(m.Args, a.String())
		m.ArgTypes = append(m.ArgTypes, literalType(a))
	}
	return m, nil
}

// literalType guesses the CQL type of a mask argument literal, as stored in
// system_schema.column_masks.function_argument_types.
func literalType(t cql.Term) cql.Type {
	if l, ok := t.(*cql.Literal); ok {
		switch l.Type {
		case cql.LitInteger:
			return cql.Type{Name: "int"}
		case cql.LitFloat:
			return cql.Type{Name: "double"}
		case cql.LitBoolean:
			return cql.Type{Name: "boolean"}
		case cql.LitBlob:
			return cql.Type{Name: "blob"}
		}
	}
	return cql.Type{Name: "text"}
}

func (c *Catalog) lookupTable(q cql.QualifiedName, session string, ifExists bool) (*Keyspace, *Table, error) {
	name := q.KeyspaceOr(session)
	if name == "" {
		return nil, nil, noKeyspace()
	}
	ks := c.Keyspaces[name]
	var t *Table
	if ks != nil {
		t = ks.Tables[q.Name.Name]
	}
	if t == nil {
		if ks != nil && ks.Views[q.Name.Name] != nil {
			return ks, nil, errIsView
		}
		if ifExists {
			return ks, nil, nil
		}
		return ks, nil, invalidf("Table '%s.%s' doesn't exist", name, q.Name.Name)
	}
	if ks.System {
		return nil, nil, &Error{Code: CodeUnauthorized, Msg: name + " keyspace is not user-modifiable."}
	}
	return ks, t, nil
}

var errIsView = &Error{Code: CodeInvalid, Msg: "is a view"}

func (c *Catalog) alterTable(s *cql.AlterTable, session string) (Effect, error) {
	if s.IfExists || s.IfColumnExists || s.IfColumnNotExists {
		if err := c.needs41IF(); err != nil {
			return Effect{}, err
		}
	}
	ks, t, err := c.lookupTable(s.Name, session, s.IfExists)
	if err == errIsView {
		return Effect{}, invalidf("Cannot use ALTER TABLE on a materialized view; use ALTER MATERIALIZED VIEW instead")
	}
	if err != nil || t == nil {
		return Effect{}, err
	}
	n := t.Clone()
	views := viewsOf(ks, t.Name)
	newViews := map[string]*View{}
	eff := Effect{Op: OpAlter, Object: ObjTable, Keyspace: ks.Name, Name: t.Name}
	switch s.Action {
	case cql.AlterTableAdd:
		res := &typeResolver{ks: ks.Name, types: ks.Types, version: c.Version}
		added := false
		for _, cd := range s.Add {
			cn := cd.Name.Name
			ct, err := res.resolve(cd.Type)
			if err != nil {
				return Effect{}, at(err, cd.Name.Pos)
			}
			if n.Columns[cn] != nil {
				if s.IfColumnNotExists {
					continue
				}
				return Effect{}, at(invalidf("Column with name '%s' already exists", cn), cd.Name.Pos)
			}
			if t.IsCompact() {
				return Effect{}, invalidf("Cannot add new column to a COMPACT STORAGE table")
			}
			if cd.Static && len(t.ClusteringColumns()) == 0 {
				return Effect{}, invalidf("Static columns are only useful (and thus allowed) if the table has at least one clustering column")
			}
			if err := checkNonFrozenUDT(ks, ct, cn); err != nil {
				return Effect{}, at(err, cd.Name.Pos)
			}
			kind := Regular
			if cd.Static {
				kind = Static
			}
			if d := t.Dropped[cn]; d != nil {
				if !serializationCompatible(expandUserTypes(ks, ct), d.Type) {
					return Effect{}, at(invalidf("Cannot re-add previously dropped column '%s' of type %s, incompatible with previous type %s", cn, typeText(ct), typeText(d.Type)), cd.Name.Pos)
				}
				if d.Kind != kind && (d.Kind == Static || kind == Static) {
					return Effect{}, at(invalidf("Cannot re-add previously dropped column '%s' of kind %s, incompatible with previous kind %s", cn, strings.ToUpper(string(kind)), strings.ToUpper(string(d.Kind))), cd.Name.Pos)
				}
				if t.IsCounter() {
					return Effect{}, at(invalidf("Cannot re-add previously dropped counter column %s", cn), cd.Name.Pos)
				}
			}
			if (ct.Name == "counter") != t.IsCounter() {
				if t.IsCounter() {
					return Effect{}, at(configf("Cannot have a non counter column (\"%s\") in a counter table", cn), cd.Name.Pos)
				}
				return Effect{}, at(configf("Cannot have a counter column (\"%s\") in a non counter table", cn), cd.Name.Pos)
			}
			col := &Column{Name: cn, Type: ct, Kind: kind, Position: -1, Order: None}
			if cd.Mask != nil {
				m, err := c.mask(ks, cd.Mask, ct)
				if err != nil {
					return Effect{}, at(err, cd.Mask.Pos)
				}
				col.Mask = m
			}
			n.Columns[cn] = col
			added = true
			if !cd.Static {
				for _, v := range views {
					if v.IncludeAllColumns {
						nv := viewCopy(newViews, v)
						nv.Columns[cn] = col.clone()
					}
				}
			}
		}
		if !added {
			return Effect{}, nil
		}
	case cql.AlterTableDrop:
		ts := c.nowMicros()
		if s.DropTimestamp != nil {
			v, err := strconv.ParseInt(s.DropTimestamp.String(), 10, 64)
			if err != nil {
				return Effect{}, invalidf("Invalid timestamp %s", s.DropTimestamp.String())
			}
			ts = v / 1000 * 1000
		}
		dropped := false
		for _, id := range s.Drop {
			cn := id.Name
			col := n.Columns[cn]
			if col == nil {
				if s.IfColumnExists {
					continue
				}
				return Effect{}, at(invalidf("Column %s was not found in table '%s'", cn, qualifiedText(ks.Name, t.Name)), id.Pos)
			}
			if col.IsPrimaryKey() {
				return Effect{}, at(invalidf("Cannot drop PRIMARY KEY column %s", cn), id.Pos)
			}
			if col.Type.IsUser() {
				return Effect{}, at(invalidf("Cannot drop non-frozen column %s of user type %s", cn, typeText(col.Type)), id.Pos)
			}
			if deps := dependentIndexes(t, cn); len(deps) > 0 {
				return Effect{}, at(invalidf("Cannot drop column %s because it has dependent secondary indexes (%s)", cn, strings.Join(deps, ", ")), id.Pos)
			}
			if len(views) > 0 {
				return Effect{}, at(invalidf("Cannot drop column %s on base table %s with materialized views", cn, t.Name), id.Pos)
			}
			delete(n.Columns, cn)
			n.Dropped[cn] = &DroppedColumn{Name: cn, Type: expandUserTypes(ks, col.Type), Kind: col.Kind, Time: ts}
			dropped = true
		}
		if !dropped {
			return Effect{}, nil
		}
	case cql.AlterTableRename:
		renamed := false
		for _, r := range s.Renames {
			from, to := r.From.Name, r.To.Name
			col := n.Columns[from]
			if col == nil {
				if s.IfColumnExists {
					continue
				}
				return Effect{}, at(invalidf("Column %s was not found in table %s", from, qualifiedText(ks.Name, t.Name)), r.From.Pos)
			}
			if !col.IsPrimaryKey() {
				return Effect{}, at(invalidf("Cannot rename non PRIMARY KEY column %s", from), r.From.Pos)
			}
			if n.Columns[to] != nil {
				return Effect{}, at(invalidf("Cannot rename column %s to %s in table '%s'; another column with that name already exists", from, to, qualifiedText(ks.Name, t.Name)), r.To.Pos)
			}
			if deps := dependentIndexes(t, from); len(deps) > 0 {
				return Effect{}, at(invalidf("Cannot rename column %s because it has dependent secondary indexes (%s)", from, strings.Join(deps, ", ")), r.From.Pos)
			}
			delete(n.Columns, from)
			nc := col.clone()
			nc.Name = to
			n.Columns[to] = nc
			renamed = true
			for _, v := range views {
				nv := viewCopy(newViews, v)
				if vc := nv.Columns[from]; vc != nil {
					delete(nv.Columns, from)
					vc.Name = to
					nv.Columns[to] = vc
					nv.Where = renameInWhere(nv.Where, from, to)
				}
			}
		}
		if !renamed {
			return Effect{}, nil
		}
	case cql.AlterTableWith:
		p, err := newProps(s.Options)
		if err != nil {
			return Effect{}, err
		}
		opts, _, err := c.tableOptions(t.Options, p, false, false)
		if err != nil {
			return Effect{}, err
		}
		if t.IsCounter() && opts.DefaultTimeToLive > 0 {
			return Effect{}, invalidf("Cannot set default_time_to_live on a table with counters")
		}
		if len(views) > 0 && opts.GCGraceSeconds == 0 {
			return Effect{}, invalidf("Cannot alter gc_grace_seconds of the base table of a materialized view to 0, since this value is used to TTL undelivered updates. Setting gc_grace_seconds too low might cause undelivered updates to expire before being replayed.")
		}
		n.Options = opts
		eff.Object = ObjTable
	case cql.AlterTableAlterType:
		return Effect{}, invalidf("Altering column types is no longer supported")
	case cql.AlterTableMask, cql.AlterTableDropMask:
		cn := s.Column.Name
		col := n.Columns[cn]
		if col == nil {
			if s.IfColumnExists {
				return Effect{}, nil
			}
			return Effect{}, at(invalidf("Column with name '%s' doesn't exist on table '%s'", cn, t.Name), s.Column.Pos)
		}
		var m *Mask
		if s.Action == cql.AlterTableMask {
			if m, err = c.mask(ks, s.Mask, col.Type); err != nil {
				return Effect{}, err
			}
		}
		if (m == nil && col.Mask == nil) || (m != nil && col.Mask != nil && m.String() == col.Mask.String()) {
			return Effect{}, nil
		}
		col.Mask = m
		for _, v := range views {
			if v.Columns[cn] != nil {
				nv := viewCopy(newViews, v)
				nv.Columns[cn].Mask = col.clone().Mask
			}
		}
	case cql.AlterTableDropCompactStorage:
		if !t.IsCompact() {
			return Effect{}, invalidf("Cannot DROP COMPACT STORAGE on table without COMPACT STORAGE")
		}
		n.Flags = []string{"compound"}
		if t.IsCounter() {
			n.Flags = []string{"compound", "counter"}
		}
	default:
		return Effect{}, invalidf("unsupported ALTER TABLE action %s", s.Action)
	}
	ks.putTable(n)
	for name, v := range newViews {
		ks.Views[name] = v
	}
	return eff, nil
}

func (c *Catalog) nowMicros() int64 {
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	// system_schema.dropped_columns.dropped_time is a timestamp (milliseconds),
	// so that is all the precision a drop time keeps across a reload.
	return now().UnixMilli() * 1000
}

func qualifiedText(ks, name string) string { return ks + "." + name }

// viewCopy returns the copy of v being changed by this statement.
func viewCopy(into map[string]*View, v *View) *View {
	if nv := into[v.Name]; nv != nil {
		return nv
	}
	nv := v.Clone()
	into[v.Name] = nv
	return nv
}

// viewsOf returns the views of a base table, by name. Only those are
// sorted: ALTER TABLE asks on every statement, and sorting every view of
// the keyspace each time made a long replay quadratic.
func viewsOf(ks *Keyspace, table string) []*View {
	names := matchingKeys(ks.Views, func(_ string, v *View) bool { return v.BaseTable == table })
	out := make([]*View, len(names))
	for i, name := range names {
		out[i] = ks.Views[name]
	}
	return out
}

// indexColumn returns the column an index target names.
func indexColumn(target string) string {
	if i := strings.IndexByte(target, '('); i > 0 && strings.HasSuffix(target, ")") {
		target = target[i+1 : len(target)-1]
	}
	if strings.HasPrefix(target, `"`) && strings.HasSuffix(target, `"`) && len(target) >= 2 {
		return strings.ReplaceAll(target[1:len(target)-1], `""`, `"`)
	}
	return target
}

func dependentIndexes(t *Table, column string) []string {
	var deps []string
	for _, name := range sortedKeys(t.Indexes) {
		ix := t.Indexes[name]
		for _, tg := range strings.Split(ix.Target(), ",") {
			if indexColumn(strings.TrimSpace(tg)) == column {
				deps = append(deps, name)
				break
			}
		}
	}
	return deps
}

var identRe = regexp.MustCompile(`"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_]*|'(?:[^']|'')*'`)

// renameInWhere renames a column in a view's WHERE clause text.
func renameInWhere(where, from, to string) string {
	return identRe.ReplaceAllStringFunc(where, func(tok string) string {
		if strings.HasPrefix(tok, "'") {
			return tok
		}
		name := tok
		if strings.HasPrefix(tok, `"`) {
			name = strings.ReplaceAll(tok[1:len(tok)-1], `""`, `"`)
		} else {
			name = strings.ToLower(tok)
		}
		if name == from {
			return cql.QuoteIdent(to)
		}
		return tok
	})
}

// expandUserTypes replaces user types by frozen tuples of their fields, as
// Cassandra records the type of a dropped column.
func expandUserTypes(ks *Keyspace, t cql.Type) cql.Type {
	if t.IsUser() {
		u := ks.Types[t.Name]
		if u == nil {
			return t
		}
		tup := cql.Type{Name: "tuple"}
		for _, ft := range u.FieldTypes {
			e := expandUserTypes(ks, ft)
			if isComplex(e) {
				e = frozen(e)
			}
			tup.Args = append(tup.Args, e)
		}
		return frozen(tup)
	}
	if len(t.Args) == 0 {
		return t
	}
	n := t
	n.Args = make([]cql.Type, len(t.Args))
	for i, a := range t.Args {
		n.Args[i] = expandUserTypes(ks, a)
		if a.Name == "frozen" && n.Args[i].Name == "frozen" && n.Args[i].Args[0].Name == "frozen" {
			n.Args[i] = n.Args[i].Args[0]
		}
	}
	if t.Name == "frozen" && n.Args[0].Name == "frozen" {
		return n.Args[0]
	}
	return n
}

func (c *Catalog) dropTable(s *cql.DropTable, session string) (Effect, error) {
	ks, t, err := c.lookupTable(s.Name, session, s.IfExists)
	if err == errIsView {
		return Effect{}, invalidf("Cannot use DROP TABLE on a materialized view. Please use DROP MATERIALIZED VIEW instead.")
	}
	if err != nil || t == nil {
		return Effect{}, err
	}
	if views := viewsOf(ks, t.Name); len(views) > 0 {
		names := make([]string, len(views))
		for i, v := range views {
			names[i] = v.Name
		}
		return Effect{}, invalidf("Cannot drop a table when materialized views still depend on it (%s)", strings.Join(names, ", "))
	}
	ks.removeTable(t.Name)
	return Effect{Op: OpDrop, Object: ObjTable, Keyspace: ks.Name, Name: t.Name}, nil
}

// --- user types ---

func (c *Catalog) createType(s *cql.CreateType, session string) (Effect, error) {
	ks, err := c.keyspaceOf(s.Name, session)
	if err != nil {
		return Effect{}, err
	}
	name := s.Name.Name.Name
	if ks.Types[name] != nil {
		if s.IfNotExists {
			return Effect{}, nil
		}
		return Effect{}, invalidf("A user type with name '%s' already exists", name)
	}
	if userQuoted(name) || name == "" {
		return Effect{}, at(invalidf("A user type cannot be named %s", name), s.Name.Name.Pos)
	}
	u := &UserType{Keyspace: ks.Name, Name: name}
	res := &typeResolver{ks: ks.Name, types: ks.Types, version: c.Version}
	for _, f := range s.Fields {
		if u.Field(f.Name.Name) >= 0 {
			return Effect{}, at(invalidf("Duplicate field name %s in type %s", f.Name.Name, name), f.Name.Pos)
		}
		if f.Type.IsUser() && f.Type.Name == name && (f.Type.Keyspace == "" || f.Type.Keyspace == ks.Name) {
			return Effect{}, at(invalidf("Unknown type %s.%s", ks.Name, cql.QuoteIdent(name)), f.Name.Pos)
		}
		ft, err := res.resolve(f.Type)
		if err != nil {
			return Effect{}, at(err, f.Name.Pos)
		}
		if ft.IsUser() {
			return Effect{}, at(invalidf("A user type cannot contain non-frozen UDTs"), f.Name.Pos)
		}
		if ft.Name == "counter" {
			return Effect{}, at(invalidf("A user type cannot contain counters"), f.Name.Pos)
		}
		u.FieldNames = append(u.FieldNames, f.Name.Name)
		u.FieldTypes = append(u.FieldTypes, ft)
	}
	ks.Types[name] = u
	return Effect{Op: OpCreate, Object: ObjType, Keyspace: ks.Name, Name: name}, nil
}

func (c *Catalog) alterType(s *cql.AlterType, session string) (Effect, error) {
	if s.IfExists || s.IfFieldExists || s.IfFieldNotExists {
		if err := c.needs41IF(); err != nil {
			return Effect{}, err
		}
	}
	ks, err := c.keyspaceOf(s.Name, session)
	if err != nil {
		return Effect{}, err
	}
	name := s.Name.Name.Name
	u := ks.Types[name]
	if u == nil {
		if s.IfExists {
			return Effect{}, nil
		}
		return Effect{}, invalidf("Type %s.%s doesn't exist", ks.Name, name)
	}
	n := u.Clone()
	switch s.Action {
	case cql.AlterTypeAdd:
		f := s.Field
		if n.Field(f.Name.Name) >= 0 {
			if s.IfFieldNotExists {
				return Effect{}, nil
			}
			return Effect{}, at(invalidf("Cannot add field %s to type %s: a field with name %s already exists", f.Name.Name, qualifiedText(ks.Name, name), f.Name.Name), f.Name.Pos)
		}
		if referencesUserType(f.Type, name) {
			return Effect{}, at(invalidf("Cannot add new field %s of type %s to user type %s as it would create a circular reference", f.Name.Name, f.Type.String(), qualifiedText(ks.Name, name)), f.Name.Pos)
		}
		ft, err := (&typeResolver{ks: ks.Name, types: ks.Types, version: c.Version}).resolve(f.Type)
		if err != nil {
			return Effect{}, at(err, f.Name.Pos)
		}
		if ft.IsUser() {
			return Effect{}, at(invalidf("A user type cannot contain non-frozen UDTs"), f.Name.Pos)
		}
		var inPK []string
		for _, tn := range matchingKeys(ks.Tables, func(_ string, t *Table) bool {
			for _, col := range t.Columns {
				if col.Kind == PartitionKey && referencesUserType(col.Type, name) {
					return true
				}
			}
			return false
		}) {
			inPK = append(inPK, qualifiedText(ks.Name, tn))
		}
		if len(inPK) > 0 {
			return Effect{}, invalidf("Cannot add new field %s of type %s to user type %s as the type is being used in partition key by the following tables: %s", f.Name.Name, typeText(ft), qualifiedText(ks.Name, name), strings.Join(inPK, ", "))
		}
		n.FieldNames = append(n.FieldNames, f.Name.Name)
		n.FieldTypes = append(n.FieldTypes, ft)
	case cql.AlterTypeRename:
		for _, a := range ks.Aggregates {
			if a.InitCond != "" && referencesUserType(a.StateType, name) {
				return Effect{}, invalidf("Cannot alter user type %s as it is still used in INITCOND by aggregates %s", qualifiedText(ks.Name, name), a.Signature())
			}
		}
		changed := false
		for _, r := range s.Renames {
			i := n.Field(r.From.Name)
			if i < 0 {
				if s.IfFieldExists {
					continue
				}
				return Effect{}, at(invalidf("Unkown field %s in user type %s", r.From.Name, qualifiedText(ks.Name, name)), r.From.Pos)
			}
			n.FieldNames[i] = r.To.Name
			changed = true
		}
		seen := map[string]bool{}
		for _, f := range n.FieldNames {
			if seen[f] {
				return Effect{}, invalidf("Duplicate field name %s in type %s", f, qualifiedText(ks.Name, name))
			}
			seen[f] = true
		}
		if !changed {
			return Effect{}, nil
		}
	case cql.AlterTypeAlter:
		return Effect{}, invalidf("Altering field types is no longer supported")
	default:
		return Effect{}, invalidf("unsupported ALTER TYPE action %s", s.Action)
	}
	ks.Types[name] = n
	return Effect{Op: OpAlter, Object: ObjType, Keyspace: ks.Name, Name: name}, nil
}

func (c *Catalog) dropType(s *cql.DropType, session string) (Effect, error) {
	ks, err := c.keyspaceOf(s.Name, session)
	if err != nil {
		if s.IfExists && c.Keyspaces[s.Name.KeyspaceOr(session)] == nil {
			return Effect{}, nil
		}
		return Effect{}, err
	}
	name := s.Name.Name.Name
	if ks.Types[name] == nil {
		if s.IfExists {
			return Effect{}, nil
		}
		return Effect{}, invalidf("Type '%s.%s' doesn't exist", ks.Name, name)
	}
	var users []string
	for _, sig := range matchingKeys(ks.Functions, func(_ string, f *Function) bool {
		uses := referencesUserType(f.ReturnType, name)
		for _, a := range f.ArgTypes {
			uses = uses || referencesUserType(a, name)
		}
		return uses
	}) {
		users = append(users, qualifiedText(ks.Name, ks.Functions[sig].Name))
	}
	for _, sig := range matchingKeys(ks.Aggregates, func(_ string, a *Aggregate) bool {
		uses := referencesUserType(a.ReturnType, name) || referencesUserType(a.StateType, name)
		for _, at := range a.ArgTypes {
			uses = uses || referencesUserType(at, name)
		}
		return uses
	}) {
		users = append(users, qualifiedText(ks.Name, ks.Aggregates[sig].Name))
	}
	if len(users) > 0 {
		return Effect{}, invalidf("Cannot drop user type '%s.%s' as it is still used by functions %s", ks.Name, name, strings.Join(users, ", "))
	}
	users = matchingKeys(ks.Types, func(tn string, u *UserType) bool {
		if tn == name {
			return false
		}
		for _, ft := range u.FieldTypes {
			if referencesUserType(ft, name) {
				return true
			}
		}
		return false
	})
	if len(users) > 0 {
		return Effect{}, invalidf("Cannot drop user type '%s.%s' as it is still used by user types %s", ks.Name, name, strings.Join(users, ", "))
	}
	users = matchingKeys(ks.Tables, func(_ string, t *Table) bool {
		for _, col := range t.Columns {
			if referencesUserType(col.Type, name) {
				return true
			}
		}
		return false
	})
	if len(users) > 0 {
		return Effect{}, invalidf("Cannot drop user type '%s.%s' as it is still used by tables %s", ks.Name, name, strings.Join(users, ", "))
	}
	delete(ks.Types, name)
	return Effect{Op: OpDrop, Object: ObjType, Keyspace: ks.Name, Name: name}, nil
}

// needs41IF refuses the IF EXISTS and IF NOT EXISTS of ALTER KEYSPACE,
// ALTER TABLE and ALTER TYPE (and of their ADD, DROP and RENAME) before
// Cassandra 4.1 (CQL 3.4.6, CASSANDRA-16916), whose grammar has no IF
// there: the parser stops at the IF.
func (c *Catalog) needs41IF() error {
	if c.Version >= V4_1 {
		return nil
	}
	return syntaxf("%s", NoViableIF)
}

// NoViableIF is the parser error of an IF that the release's grammar does
// not have, without the position ("line 1:12 ") and the excerpt Cassandra
// puts around it; a caller holding the statement text adds those.
const NoViableIF = "no viable alternative at input 'IF'"

// --- indexes ---

// Index class names Cassandra accepts by alias.
const (
	ClassSAI  = "org.apache.cassandra.index.sai.StorageAttachedIndex"
	ClassSASI = "org.apache.cassandra.index.sasi.SASIIndex"
)

func indexClass(using string) string {
	switch strings.ToLower(using) {
	case "sai", "storageattachedindex":
		return ClassSAI
	case "sasi", "sasiindex":
		return ClassSASI
	}
	return using
}

var nonWord = regexp.MustCompile(`\W`)

func (c *Catalog) createIndex(s *cql.CreateIndex, session string) (Effect, error) {
	ks, err := c.keyspaceOf(s.Table, session)
	if err != nil {
		return Effect{}, err
	}
	tn := s.Table.Name.Name
	t := ks.Tables[tn]
	if t == nil {
		if ks.Views[tn] != nil {
			return Effect{}, invalidf("Secondary indexes on materialized views aren't supported")
		}
		return Effect{}, invalidf("Table '%s' doesn't exist", tn)
	}
	if s.Name != nil && ks.index(s.Name.Name) != nil {
		if s.IfNotExists {
			return Effect{}, nil
		}
		return Effect{}, at(invalidf("Index '%s' already exists", s.Name.Name), s.Name.Pos)
	}
	if t.IsCounter() {
		return Effect{}, invalidf("Secondary indexes on counter tables aren't supported")
	}
	custom := s.Custom || s.Using != ""
	if len(s.Targets) == 0 && !custom {
		return Effect{}, invalidf("Only CUSTOM indexes can be created without specifying a target column")
	}
	if len(s.Targets) > 1 && !custom {
		return Effect{}, invalidf("Only CUSTOM indexes support multiple columns")
	}
	var targets []string
	var firstCol string
	for _, tg := range s.Targets {
		col := t.Columns[tg.Column.Name]
		if col == nil {
			return Effect{}, at(invalidf("Column '%s' doesn't exist", tg.Column.Name), tg.Column.Pos)
		}
		if firstCol == "" {
			firstCol = col.Name
		}
		kind := tg.Kind
		if kind == "" && isMultiCell(col.Type) && col.Type.IsCollection() {
			kind = "values"
		}
		if referencesDuration(col.Type) {
			return Effect{}, invalidf("Secondary indexes are not supported on duration columns")
		}
		if col.Kind == PartitionKey && len(t.PartitionKey()) == 1 {
			return Effect{}, invalidf("Cannot create secondary index on the only partition key column %s", col.Name)
		}
		frozenColl := col.Type.Name == "frozen" && col.Type.Args[0].IsCollection()
		if frozenColl && kind != "full" {
			k := kind
			if k == "" {
				k = "values"
			}
			return Effect{}, invalidf("Cannot create %s() index on frozen column %s. Frozen collections are immutable and must be fully indexed by using the 'full(%s)' modifier", k, col.Name, col.Name)
		}
		if !frozenColl && kind == "full" {
			return Effect{}, invalidf("full() indexes can only be created on frozen collections")
		}
		if !col.Type.IsCollection() && !frozenColl && kind != "" {
			return Effect{}, invalidf("Cannot create %s() index on %s. Non-collection columns only support simple indexes", kind, col.Name)
		}
		if (kind == "keys" || kind == "entries") && col.Type.Name != "map" {
			return Effect{}, invalidf("Cannot create index on %s of column %s with non-map type", kind, col.Name)
		}
		if col.Type.IsUser() {
			return Effect{}, invalidf("Cannot create index on non-frozen UDT column %s", col.Name)
		}
		text := cql.QuoteIdent(col.Name)
		if kind != "" {
			text = kind + "(" + text + ")"
		}
		targets = append(targets, text)
	}
	opts := map[string]string{"target": strings.Join(targets, ",")}
	ix := &Index{Keyspace: ks.Name, Table: tn, Kind: "COMPOSITES", Options: opts}
	if t.IsCompact() {
		ix.Kind = "KEYS"
	}
	if custom {
		if s.Using == "" {
			return Effect{}, invalidf("CUSTOM index requires specifiying the index class")
		}
		ix.Kind = "CUSTOM"
		p, err := newProps(s.Options)
		if err != nil {
			return Effect{}, err
		}
		if err := p.check(func(n string) bool { return n == "options" }); err != nil {
			return Effect{}, err
		}
		if p.has("options") {
			m, err := p.strMap("options")
			if err != nil {
				return Effect{}, err
			}
			for k, v := range m {
				if k == "class_name" || k == "target" {
					return Effect{}, invalidf("Cannot specify %s as a CUSTOM option", k)
				}
				opts[k] = v
			}
		}
		if indexClass(s.Using) == ClassSAI && c.Version < V5_0 {
			// Storage-attached indexes, and the aliases naming them,
			// arrived in 5.0: before, the class is not found.
			return Effect{}, configf("Unable to find custom indexer class '%s'", s.Using)
		}
		opts["class_name"] = indexClass(s.Using)
	} else if len(s.Options) > 0 {
		return Effect{}, invalidf("Cannot specify options for a non-CUSTOM index")
	}
	for _, name := range sortedKeys(t.Indexes) {
		other := t.Indexes[name]
		if other.Kind == ix.Kind && mapsEqual(other.Options, ix.Options) {
			if s.IfNotExists {
				return Effect{}, nil
			}
			return Effect{}, invalidf("Index %s is a duplicate of existing index %s", indexName(s, tn, firstCol), name)
		}
	}
	if s.Name != nil {
		ix.Name = s.Name.Name
	} else {
		base := nonWord.ReplaceAllString(tn+"_"+firstCol+"_idx", "")
		if firstCol == "" {
			base = nonWord.ReplaceAllString(tn+"_idx", "")
		}
		ix.Name = base
		for i := 1; ks.index(ix.Name) != nil; i++ {
			ix.Name = base + "_" + strconv.Itoa(i)
		}
	}
	n := t.Clone()
	n.Indexes[ix.Name] = ix
	ks.putTable(n)
	return Effect{Op: OpCreate, Object: ObjIndex, Keyspace: ks.Name, Name: ix.Name, Table: tn}, nil
}

func indexName(s *cql.CreateIndex, table, col string) string {
	if s.Name != nil {
		return s.Name.Name
	}
	return nonWord.ReplaceAllString(table+"_"+col+"_idx", "")
}

func mapsEqual(a, b map[string]string) bool { return optionEqual(a, b) }

func (c *Catalog) dropIndex(s *cql.DropIndex, session string) (Effect, error) {
	ksName := s.Name.KeyspaceOr(session)
	if ksName == "" {
		return Effect{}, noKeyspace()
	}
	if err := c.executable(ksName); err != nil && c.Version >= V4_0 {
		return Effect{}, err
	}
	ks := c.Keyspaces[ksName]
	var ix *Index
	if ks != nil {
		ix = ks.index(s.Name.Name.Name)
	}
	if ix == nil {
		if s.IfExists {
			return Effect{}, nil
		}
		// The trailing quote is Cassandra's own (DropIndexStatement).
		return Effect{}, invalidf("Index '%s.%s' doesn't exist'", ksName, s.Name.Name.Name)
	}
	n := ks.Tables[ix.Table].Clone()
	delete(n.Indexes, ix.Name)
	ks.putTable(n)
	return Effect{Op: OpDrop, Object: ObjIndex, Keyspace: ks.Name, Name: ix.Name, Table: ix.Table}, nil
}

// --- materialized views ---

func (c *Catalog) createView(s *cql.CreateView, session string) (Effect, error) {
	if c.DisableMaterializedViews {
		return Effect{}, invalidf("Materialized views are disabled. Enable in cassandra.yaml to use.")
	}
	ks, err := c.keyspaceOf(s.Name, session)
	if err != nil {
		return Effect{}, err
	}
	if bk := s.Base.KeyspaceOr(ks.Name); bk != ks.Name {
		return Effect{}, invalidf("Cannot create a materialized view on a table in a different keyspace")
	}
	name, baseName := s.Name.Name.Name, s.Base.Name.Name
	base := ks.Tables[baseName]
	if base == nil {
		if ks.Views[baseName] != nil {
			return Effect{}, invalidf("Materialized views cannot be created against other materialized views")
		}
		return Effect{}, invalidf("Base table '%s' doesn't exist", baseName)
	}
	if ks.Tables[name] != nil {
		return Effect{}, invalidf("Cannot create materialized view '%s' - a table with the same name already exists", name)
	}
	if ks.Views[name] != nil {
		if s.IfNotExists {
			return Effect{}, nil
		}
		return Effect{}, tableExists(ks.Name, name)
	}
	if err := checkName("View", name, c.tableNameLength()); err != nil {
		return Effect{}, err
	}
	if base.IsCounter() {
		return Effect{}, invalidf("Materialized views are not supported on counter tables")
	}
	if base.Options.GCGraceSeconds == 0 {
		return Effect{}, invalidf("Cannot create materialized view '%s' for base table '%s' with gc_grace_seconds of 0, since this value is used to TTL undelivered updates. Setting gc_grace_seconds too low might cause undelivered updates to expire before being replayed.", name, baseName)
	}
	v := &View{Keyspace: ks.Name, Name: name, BaseTable: baseName, BaseTableID: base.ID,
		IncludeAllColumns: len(s.Columns) == 0, Columns: map[string]*Column{}}
	for _, id := range s.Columns {
		col := base.Columns[id.Name]
		if col == nil {
			return Effect{}, at(invalidf("Undefined column name %s in table %s", id.Name, qualifiedText(ks.Name, baseName)), id.Pos)
		}
		v.Columns[id.Name] = col.clone()
	}
	if v.IncludeAllColumns {
		for cn, col := range base.Columns {
			v.Columns[cn] = col.clone()
		}
	}
	for _, col := range base.OrderedColumns() {
		if col.Kind == Static && v.Columns[col.Name] != nil {
			return Effect{}, invalidf("Cannot include static column '%s' in materialized view '%s'", col.Name, name)
		}
	}
	for _, col := range v.Columns {
		col.Kind, col.Position, col.Order = Regular, -1, None
	}
	if len(s.PartitionKey) == 0 {
		return Effect{}, invalidf("Must provide at least one partition key column for materialized view '%s'", name)
	}
	inKey := map[string]bool{}
	var nonPK []string
	for i, id := range append(append([]cql.Ident{}, s.PartitionKey...), s.Clustering...) {
		col := v.Columns[id.Name]
		if col == nil {
			return Effect{}, at(invalidf("Unknown column '%s' referenced in PRIMARY KEY for materialized view '%s'", id.Name, name), id.Pos)
		}
		if inKey[id.Name] {
			return Effect{}, at(invalidf("Duplicate column '%s' in PRIMARY KEY clause for materialized view '%s'", id.Name, name), id.Pos)
		}
		inKey[id.Name] = true
		switch {
		case isMultiCell(col.Type) && col.Type.IsUser():
			return Effect{}, at(invalidf("Invalid non-frozen user-defined type '%s' for PRIMARY KEY column '%s'", typeText(col.Type), id.Name), id.Pos)
		case isMultiCell(col.Type):
			return Effect{}, at(invalidf("Invalid non-frozen collection type '%s' for PRIMARY KEY column '%s'", typeText(col.Type), id.Name), id.Pos)
		case referencesDuration(col.Type):
			return Effect{}, at(invalidf("duration type is not supported for PRIMARY KEY column '%s'", id.Name), id.Pos)
		}
		if !base.Columns[id.Name].IsPrimaryKey() {
			nonPK = append(nonPK, id.Name)
		}
		if i < len(s.PartitionKey) {
			col.Kind, col.Position = PartitionKey, i
		} else {
			col.Kind, col.Position, col.Order = Clustering, i-len(s.PartitionKey), Asc
		}
	}
	if len(s.ClusteringOrder) > 0 {
		same := len(s.ClusteringOrder) == len(s.Clustering)
		for i := 0; same && i < len(s.Clustering); i++ {
			same = s.ClusteringOrder[i].Column.Name == s.Clustering[i].Name
		}
		if !same {
			return Effect{}, invalidf("Clustering key columns must exactly match columns in CLUSTERING ORDER BY directive")
		}
		for _, co := range s.ClusteringOrder {
			if co.Desc {
				v.Columns[co.Column.Name].Order = Desc
			}
		}
	}
	var missing []string
	for _, col := range base.OrderedColumns() {
		if col.IsPrimaryKey() && !inKey[col.Name] {
			missing = append(missing, col.Name)
		}
	}
	if len(missing) > 0 {
		return Effect{}, invalidf("Cannot create materialized view '%s' without primary key columns %s from base table '%s'", name, strings.Join(missing, ", "), baseName)
	}
	if len(nonPK) > 1 {
		return Effect{}, invalidf("Cannot include more than one non-primary key column in materialized view primary key (got %s)", strings.Join(nonPK, ", "))
	}
	restricted := map[string]bool{}
	var illegal []string
	for _, r := range s.Where {
		if r.Token {
			return Effect{}, invalidf("Cannot use token relation when defining a materialized view")
		}
		notNull := strings.HasPrefix(strings.ToUpper(r.Op), "IS")
		for _, col := range r.Columns {
			if base.Columns[col.Name] == nil {
				return Effect{}, at(invalidf("Undefined column name %s in table %s", col.Name, qualifiedText(ks.Name, baseName)), col.Pos)
			}
			restricted[col.Name] = true
			if !notNull && !inKey[col.Name] {
				illegal = append(illegal, col.Name)
			}
		}
	}
	var unrestricted []string
	for _, col := range v.OrderedColumns() {
		if col.IsPrimaryKey() && !restricted[col.Name] {
			unrestricted = append(unrestricted, col.Name)
		}
	}
	if len(unrestricted) > 0 {
		return Effect{}, invalidf("Primary key columns %s must be restricted with 'IS NOT NULL' or otherwise", strings.Join(unrestricted, ", "))
	}
	if len(illegal) > 0 {
		return Effect{}, invalidf("Non-primary key columns can only be restricted with 'IS NOT NULL' (got: %s restricted illegally)", strings.Join(illegal, ","))
	}
	v.Where = whereText(s.Where)
	p, err := newProps(s.Options)
	if err != nil {
		return Effect{}, err
	}
	opts, id, err := c.tableOptions(DefaultOptions(c.Version), p, true, true)
	if err != nil {
		return Effect{}, err
	}
	v.Options = opts
	if id != nil {
		v.ID = *id
	} else {
		v.ID = c.newID()
	}
	ks.Views[name] = v
	return Effect{Op: OpCreate, Object: ObjView, Keyspace: ks.Name, Name: name}, nil
}

// whereText renders a WHERE clause as Cassandra stores a view's.
func whereText(rels []cql.Relation) string {
	parts := make([]string, len(rels))
	for i, r := range rels {
		parts[i] = relationText(r)
	}
	return strings.Join(parts, " AND ")
}

func relationText(r cql.Relation) string {
	cols := make([]string, len(r.Columns))
	for i, c := range r.Columns {
		cols[i] = cql.QuoteIdent(c.Name)
	}
	left := strings.Join(cols, ", ")
	switch {
	case r.Token:
		left = "token(" + left + ")"
	case r.Tuple:
		left = "(" + left + ")"
	}
	if r.Element != nil {
		left += "[" + r.Element.String() + "]"
	}
	op := strings.ToUpper(r.Op)
	if l, ok := r.Value.(*cql.Literal); ok && l.Type == cql.LitNull && strings.HasPrefix(op, "IS") {
		return left + " IS NOT NULL"
	}
	switch {
	case r.Value != nil:
		return left + " " + op + " " + r.Value.String()
	case len(r.Values) > 0 || op == "IN":
		vals := make([]string, len(r.Values))
		for i, v := range r.Values {
			vals[i] = v.String()
		}
		return left + " " + op + " (" + strings.Join(vals, ", ") + ")"
	case op == "IS NOT" || op == "IS NOT NULL":
		return left + " IS NOT NULL"
	}
	return left + " " + op
}

func (c *Catalog) lookupView(q cql.QualifiedName, session string) (*Keyspace, *View, error) {
	name := q.KeyspaceOr(session)
	if name == "" {
		return nil, nil, noKeyspace()
	}
	ks := c.Keyspaces[name]
	if ks == nil {
		return nil, nil, nil
	}
	return ks, ks.Views[q.Name.Name], nil
}

func (c *Catalog) alterView(s *cql.AlterView, session string) (Effect, error) {
	ks, v, err := c.lookupView(s.Name, session)
	if err != nil {
		return Effect{}, err
	}
	if v == nil {
		if s.IfExists {
			return Effect{}, nil
		}
		return Effect{}, invalidf("Materialized view '%s.%s' doesn't exist", s.Name.KeyspaceOr(session), s.Name.Name.Name)
	}
	p, err := newProps(s.Options)
	if err != nil {
		return Effect{}, err
	}
	opts, _, err := c.tableOptions(v.Options, p, true, false)
	if err != nil {
		return Effect{}, err
	}
	n := v.Clone()
	n.Options = opts
	ks.Views[v.Name] = n
	return Effect{Op: OpAlter, Object: ObjView, Keyspace: ks.Name, Name: v.Name}, nil
}

func (c *Catalog) dropView(s *cql.DropView, session string) (Effect, error) {
	ks, v, err := c.lookupView(s.Name, session)
	if err != nil {
		return Effect{}, err
	}
	if v == nil {
		if s.IfExists {
			return Effect{}, nil
		}
		return Effect{}, invalidf("Materialized view '%s.%s' doesn't exist", s.Name.KeyspaceOr(session), s.Name.Name.Name)
	}
	delete(ks.Views, v.Name)
	return Effect{Op: OpDrop, Object: ObjView, Keyspace: ks.Name, Name: v.Name}, nil
}

// --- functions and aggregates ---

// udfType resolves a function argument, return or state type; Cassandra
// refuses an explicit frozen<> there (tuples are frozen anyway).
func udfType(res *typeResolver, t cql.Type, what string) (cql.Type, error) {
	if t.Name == "frozen" {
		return t, invalidf("%s '%s' cannot be frozen; remove frozen<> modifier from '%s'", what, t.String(), t.String())
	}
	return res.resolve(t)
}

func argTexts(ts []cql.Type) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = typeText(t)
	}
	return out
}

func (c *Catalog) createFunction(s *cql.CreateFunction, session string) (Effect, error) {
	ks, err := c.keyspaceOf(s.Name, session)
	if err != nil {
		return Effect{}, err
	}
	if s.IfNotExists && s.OrReplace {
		return Effect{}, invalidf("Cannot use both 'OR REPLACE' and 'IF NOT EXISTS' directives")
	}
	res := &typeResolver{ks: ks.Name, types: ks.Types, version: c.Version}
	f := &Function{Keyspace: ks.Name, Name: s.Name.Name.Name, CalledOnNullInput: s.CalledOnNull,
		Language: strings.ToLower(s.Language), Body: s.Body}
	seen := map[string]bool{}
	for _, p := range s.Params {
		if seen[p.Name.Name] {
			names := make([]string, len(s.Params))
			for i, q := range s.Params {
				names[i] = q.Name.Name
			}
			return Effect{}, invalidf("Duplicate argument names for given function %s with argument names [%s]", f.Name, strings.Join(names, ", "))
		}
		seen[p.Name.Name] = true
		t, err := udfType(res, p.Type, "Argument")
		if err != nil {
			return Effect{}, at(err, p.Name.Pos)
		}
		f.ArgNames = append(f.ArgNames, p.Name.Name)
		f.ArgTypes = append(f.ArgTypes, t)
	}
	if f.ReturnType, err = udfType(res, s.Returns, "Return type"); err != nil {
		return Effect{}, err
	}
	switch {
	case f.Language == "java":
	case f.Language == "javascript" && c.Version < V5_0:
	default:
		return Effect{}, invalidf("Invalid language '%s' for function '%s'", s.Language, qualifiedText(ks.Name, f.Name))
	}
	sig := f.Signature()
	op := OpCreate
	if ks.Aggregates[sig] != nil {
		return Effect{}, invalidf("Function '%s' cannot replace an aggregate", f.Name)
	}
	if old := ks.Functions[sig]; old != nil {
		switch {
		case s.IfNotExists:
			return Effect{}, nil
		case !s.OrReplace:
			return Effect{}, invalidf("Function '%s' already exists", f.Name)
		case old.CalledOnNullInput != f.CalledOnNullInput:
			directive := "RETURNS NULL ON NULL INPUT"
			if f.CalledOnNullInput {
				directive = "CALLED ON NULL INPUT"
			}
			return Effect{}, invalidf("Function '%s' must have %s directive", f.Name, directive)
		case !old.ReturnType.Equal(f.ReturnType):
			return Effect{}, invalidf("Cannot replace function '%s', the new return type %s is not compatible with the return type %s of existing function", f.Name, typeText(f.ReturnType), typeText(old.ReturnType))
		}
		op = OpAlter
	}
	ks.Functions[sig] = f
	return Effect{Op: op, Object: ObjFunction, Keyspace: ks.Name, Name: f.Name, ArgTypes: argTexts(f.ArgTypes)}, nil
}

// findOverloads returns the signatures of functions (or aggregates) named
// name, optionally with exactly the given argument types.
func findOverloads[T any](m map[string]T, name string, sigOf func(T) (string, []cql.Type), args []cql.Type, hasArgs bool) []string {
	return matchingKeys(m, func(_ string, v T) bool {
		n, ts := sigOf(v)
		if n != name {
			return false
		}
		if !hasArgs {
			return true
		}
		if len(ts) != len(args) {
			return false
		}
		for i := range ts {
			if !ts[i].Equal(args[i]) {
				return false
			}
		}
		return true
	})
}

func (c *Catalog) resolveArgs(ks *Keyspace, args []cql.Type) ([]cql.Type, error) {
	res := &typeResolver{ks: ks.Name, types: ks.Types, version: c.Version}
	out := make([]cql.Type, len(args))
	for i, a := range args {
		if a.Name == "frozen" && (len(a.Args) != 1 || a.Args[0].Name != "tuple") {
			return nil, invalidf("Argument '%s' cannot be frozen; remove frozen<> modifier from '%s'", a.String(), a.String())
		}
		t, err := res.resolve(a)
		if err != nil {
			return nil, err
		}
		out[i] = t
	}
	return out, nil
}

// dropTarget is the one overload a DROP FUNCTION or DROP AGGREGATE names.
type dropTarget struct {
	ks      *Keyspace
	sig     string // "" when IF EXISTS found nothing to drop
	display string // the name as Cassandra's messages show it
}

// findDropTarget resolves the overload of a function or aggregate (kind is
// "Function" or "Aggregate", as Cassandra words it) that a DROP names, with
// Cassandra's errors for a missing or an ambiguous one.
func findDropTarget[T any](c *Catalog, q cql.QualifiedName, argTypes []cql.Type, hasArgs, ifExists bool, session, kind string,
	all func(*Keyspace) map[string]T, sigOf func(T) (string, []cql.Type)) (dropTarget, error) {
	ks, err := c.keyspaceOf(q, session)
	if err != nil {
		if ifExists && c.Keyspaces[q.KeyspaceOr(session)] == nil {
			return dropTarget{}, nil
		}
		return dropTarget{}, err
	}
	name := q.Name.Name
	args, err := c.resolveArgs(ks, argTypes)
	if err != nil {
		return dropTarget{}, err
	}
	sigs := findOverloads(all(ks), name, sigOf, args, hasArgs)
	t := dropTarget{ks: ks, display: qualifiedText(ks.Name, name)}
	if hasArgs {
		t.display = qualifiedText(ks.Name, Signature(name, args))
	}
	upper := strings.ToUpper(kind)
	switch {
	case len(sigs) == 0:
		if ifExists {
			return dropTarget{}, nil
		}
		return dropTarget{}, invalidf("%s '%s' doesn't exist", kind, t.display)
	case len(sigs) > 1:
		return dropTarget{}, invalidf("'DROP %s %s' matches multiple function definitions; specify the argument types by issuing a statement like 'DROP %s %s (type, type, ...)'. You can use cqlsh 'DESCRIBE %s %s' command to find all overloads", upper, name, upper, name, upper, name)
	}
	t.sig = sigs[0]
	return t, nil
}

func (c *Catalog) dropFunction(s *cql.DropFunction, session string) (Effect, error) {
	t, err := findDropTarget(c, s.Name, s.ArgTypes, s.HasArgs, s.IfExists, session, "Function",
		func(ks *Keyspace) map[string]*Function { return ks.Functions },
		func(f *Function) (string, []cql.Type) { return f.Name, f.ArgTypes })
	if err != nil || t.sig == "" {
		return Effect{}, err
	}
	ks, display := t.ks, t.display
	f := ks.Functions[t.sig]
	var users []string
	fsig := f.Signature()
	for _, asig := range matchingKeys(ks.Aggregates, func(_ string, a *Aggregate) bool {
		state := Signature(a.StateFunc, append([]cql.Type{a.StateType}, a.ArgTypes...))
		final := Signature(a.FinalFunc, []cql.Type{a.StateType})
		return state == fsig || (a.FinalFunc != "" && final == fsig)
	}) {
		users = append(users, qualifiedText(ks.Name, ks.Aggregates[asig].Name))
	}
	if len(users) > 0 {
		return Effect{}, invalidf("Function '%s' is still referenced by aggregates %s", display, strings.Join(users, ", "))
	}
	users = matchingKeys(ks.Tables, func(_ string, t *Table) bool {
		for _, col := range t.Columns {
			if col.Mask != nil && col.Mask.Keyspace == ks.Name && col.Mask.Function == f.Name {
				return true
			}
		}
		return false
	})
	if len(users) > 0 {
		return Effect{}, invalidf("Function '%s' is still referenced by column masks in tables %s", display, strings.Join(users, ", "))
	}
	delete(ks.Functions, t.sig)
	return Effect{Op: OpDrop, Object: ObjFunction, Keyspace: ks.Name, Name: f.Name, ArgTypes: argTexts(f.ArgTypes)}, nil
}

func (c *Catalog) createAggregate(s *cql.CreateAggregate, session string) (Effect, error) {
	ks, err := c.keyspaceOf(s.Name, session)
	if err != nil {
		return Effect{}, err
	}
	args, err := c.resolveArgs(ks, s.ArgTypes)
	if err != nil {
		return Effect{}, err
	}
	if s.IfNotExists && s.OrReplace {
		return Effect{}, invalidf("Cannot use both 'OR REPLACE' and 'IF NOT EXISTS' directives")
	}
	res := &typeResolver{ks: ks.Name, types: ks.Types, version: c.Version}
	if s.SType.Name == "frozen" && (len(s.SType.Args) != 1 || s.SType.Args[0].Name != "tuple") {
		return Effect{}, invalidf("State type '%s' cannot be frozen; remove frozen<> modifier from '%s'", s.SType.String(), s.SType.String())
	}
	stype, err := res.resolve(s.SType)
	if err != nil {
		return Effect{}, err
	}
	a := &Aggregate{Keyspace: ks.Name, Name: s.Name.Name.Name, ArgTypes: args, StateFunc: s.SFunc.Name, StateType: stype}
	stateSig := Signature(a.StateFunc, append([]cql.Type{stype}, args...))
	sf := ks.Functions[stateSig]
	if sf == nil {
		return Effect{}, at(invalidf("State function %s doesn't exist", qualifiedText(ks.Name, stateSig)), s.SFunc.Pos)
	}
	if !sf.ReturnType.Equal(stype) {
		return Effect{}, at(invalidf("State function %s return type must be the same as the first argument type - check STYPE, argument and return types", qualifiedText(ks.Name, stateSig)), s.SFunc.Pos)
	}
	a.ReturnType = stype
	if s.FinalFunc != nil {
		a.FinalFunc = s.FinalFunc.Name
		finalSig := Signature(a.FinalFunc, []cql.Type{stype})
		ff := ks.Functions[finalSig]
		if ff == nil {
			return Effect{}, at(invalidf("Final function %s doesn't exist", qualifiedText(ks.Name, finalSig)), s.FinalFunc.Pos)
		}
		a.ReturnType = ff.ReturnType
	}
	if s.InitCond != nil {
		if l, ok := s.InitCond.(*cql.Literal); !ok || l.Type != cql.LitNull {
			a.InitCond = s.InitCond.String()
		}
	}
	if !sf.CalledOnNullInput && a.InitCond == "" {
		return Effect{}, invalidf("Cannot create aggregate '%s' without INITCOND because state function %s does not accept 'null' arguments", a.Name, qualifiedText(ks.Name, a.StateFunc))
	}
	sig := a.Signature()
	op := OpCreate
	if ks.Functions[sig] != nil {
		return Effect{}, invalidf("Aggregate '%s' cannot replace a function", a.Name)
	}
	if old := ks.Aggregates[sig]; old != nil {
		switch {
		case s.IfNotExists:
			return Effect{}, nil
		case !s.OrReplace:
			return Effect{}, invalidf("Aggregate '%s' already exists", a.Name)
		case !old.ReturnType.Equal(a.ReturnType):
			return Effect{}, invalidf("Cannot replace aggregate '%s', the new return type %s isn't compatible with the return type %s of existing function", a.Name, typeText(a.ReturnType), typeText(old.ReturnType))
		}
		op = OpAlter
	}
	ks.Aggregates[sig] = a
	return Effect{Op: op, Object: ObjAggregate, Keyspace: ks.Name, Name: a.Name, ArgTypes: argTexts(args)}, nil
}

func (c *Catalog) dropAggregate(s *cql.DropAggregate, session string) (Effect, error) {
	t, err := findDropTarget(c, s.Name, s.ArgTypes, s.HasArgs, s.IfExists, session, "Aggregate",
		func(ks *Keyspace) map[string]*Aggregate { return ks.Aggregates },
		func(a *Aggregate) (string, []cql.Type) { return a.Name, a.ArgTypes })
	if err != nil || t.sig == "" {
		return Effect{}, err
	}
	a := t.ks.Aggregates[t.sig]
	delete(t.ks.Aggregates, t.sig)
	return Effect{Op: OpDrop, Object: ObjAggregate, Keyspace: t.ks.Name, Name: a.Name, ArgTypes: argTexts(a.ArgTypes)}, nil
}

// --- triggers ---

func (c *Catalog) createTrigger(s *cql.CreateTrigger, session string) (Effect, error) {
	ksName := s.Table.KeyspaceOr(session)
	if ksName == "" {
		return Effect{}, noKeyspace()
	}
	if err := c.executable(ksName); err != nil && c.Version >= V4_0 {
		return Effect{}, err
	}
	ks := c.Keyspaces[ksName]
	if ks == nil {
		return Effect{}, invalidf("Keyspace '%s' doesn't exist", ksName)
	}
	tn := s.Table.Name.Name
	t := ks.Tables[tn]
	if t == nil {
		if ks.Views[tn] != nil {
			return Effect{}, invalidf("Cannot CREATE TRIGGER for a materialized view")
		}
		return Effect{}, invalidf("Table '%s' doesn't exist", tn)
	}
	loadable := c.TriggerClasses == nil || c.TriggerClasses[s.Using]
	if !loadable && c.Version < V4_0 {
		// 3.11 loads the class while validating, before it looks for
		// the trigger, and calls a failure a configuration error.
		return Effect{}, configf("Trigger class '%s' doesn't exist", s.Using)
	}
	if t.Triggers[s.Name.Name] != nil {
		if s.IfNotExists {
			return Effect{}, nil
		}
		return Effect{}, invalidf("Trigger '%s' already exists", s.Name.Name)
	}
	if !loadable {
		return Effect{}, invalidf("Trigger class '%s' couldn't be loaded", s.Using)
	}
	n := t.Clone()
	n.Triggers[s.Name.Name] = &Trigger{Keyspace: ks.Name, Table: tn, Name: s.Name.Name, Class: s.Using}
	ks.putTable(n)
	return Effect{Op: OpCreate, Object: ObjTrigger, Keyspace: ks.Name, Name: s.Name.Name, Table: tn}, nil
}

func (c *Catalog) dropTrigger(s *cql.DropTrigger, session string) (Effect, error) {
	ksName := s.Table.KeyspaceOr(session)
	if ksName == "" {
		return Effect{}, noKeyspace()
	}
	if err := c.executable(ksName); err != nil && c.Version >= V4_0 {
		return Effect{}, err
	}
	ks := c.Keyspaces[ksName]
	tn := s.Table.Name.Name
	var t *Table
	if ks != nil {
		t = ks.Tables[tn]
	}
	if t == nil || t.Triggers[s.Name.Name] == nil {
		if s.IfExists {
			return Effect{}, nil
		}
		if ks == nil {
			return Effect{}, invalidf("Keyspace '%s' doesn't exist", ksName)
		}
		if t == nil {
			return Effect{}, invalidf("Table '%s' doesn't exist", tn)
		}
		return Effect{}, invalidf("Trigger '%s' on '%s.%s' doesn't exist", s.Name.Name, ksName, tn)
	}
	n := t.Clone()
	delete(n.Triggers, s.Name.Name)
	ks.putTable(n)
	return Effect{Op: OpDrop, Object: ObjTrigger, Keyspace: ks.Name, Name: s.Name.Name, Table: tn}, nil
}

// String describes the effect for people, e.g. "create table ks.t".
func (e Effect) String() string {
	if !e.Changed() {
		return "no change"
	}
	name := e.Name
	if e.Object != ObjKeyspace {
		name = e.Keyspace + "." + e.Name
	}
	if e.Object == ObjFunction || e.Object == ObjAggregate {
		name += "(" + strings.Join(e.ArgTypes, ", ") + ")"
	}
	if e.Table != "" {
		return fmt.Sprintf("%s %s %s on %s.%s", e.Op, e.Object, e.Name, e.Keyspace, e.Table)
	}
	return fmt.Sprintf("%s %s %s", e.Op, e.Object, name)
}
