package lint

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/engine/cql"
	"github.com/cqltrack/cqltrack/engine/migration"
	"github.com/cqltrack/cqltrack/engine/schema"
	"github.com/cqltrack/cqltrack/lint/builtin"
	"github.com/cqltrack/cqltrack/lint/sdk"
	"github.com/cqltrack/cqltrack/plugins/abi"
)

// fileRequest is the lint request of one file with what the linter needs
// to map findings back: the statements' line spans and the comments.
type fileRequest struct {
	*file
	req   *sdk.LintRequest
	spans map[int][2]int // statement index -> first and last line
	// parsed are the statements' ASTs, encoded into the request by encode
	// on a lint worker rather than on the one goroutine that replays.
	parsed []cql.Stmt
}

// encode fills each statement's AST JSON.
func (fr *fileRequest) encode() {
	// One scratch buffer per file, and an exact-size copy per statement,
	// rather than a buffer grown from empty for each statement.
	var buf []byte
	for i, st := range fr.req.Statements {
		if st.ASTJSON != nil {
			continue
		}
		buf = cql.AppendJSON(buf[:0], fr.parsed[i])
		st.ASTJSON = bytes.Clone(buf)
	}
	fr.parsed = nil
}

// replay is the offline schema the statements are applied to.
type replay struct {
	cat     *schema.Catalog
	session string // the keyspace of unqualified names (USE changes it)
	// proj trims Before to what the rules read; nil sends everything.
	proj *projection
	// tables caches the converted current version of each table, by
	// keyspace and name: the catalog replaces a table when it changes and
	// never modifies one in place, so a pointer is a version. Only the
	// current version is kept, so that the versions a long replay leaves
	// behind can be collected.
	tables map[[2]string]tableVersion
}

// tableVersion is a table of the catalog and its conversion.
type tableVersion struct {
	version *schema.Table
	object  *sdk.Table
}

// projection is what of Before the built-in rules read: Before only with
// some statement kinds, and only some table options.
type projection struct {
	kinds   map[string]bool
	options []string
}

// builtinProjection is what the built-in rules read (see
// builtin.NeedsBefore).
func builtinProjection() *projection {
	return &projection{kinds: builtin.NeedsBefore(), options: builtin.BeforeOptions}
}

func newReplay(cfg *config.Config, proj *projection) *replay {
	// As the release the project targets (schema.release), so that the
	// options it accepts and its defaults are those the rules see.
	r := &replay{cat: schema.New(cfg.Schema.Version()), session: cfg.Keyspace.Name, proj: proj, tables: map[[2]string]tableVersion{}}
	if ks := cfg.Keyspace.Name; ks != "" {
		// `cqltrack init` creates the configured keyspace; migrations
		// usually assume it.
		r.cat.Keyspaces[ks] = schema.NewKeyspace(ks, replicationMap(cfg.Keyspace.Replication))
	}
	return r
}

// replicationMap renders the configured replication as system_schema
// stores it.
func replicationMap(r config.Replication) map[string]string {
	class := r.Class
	if class == "" {
		class = config.DefaultReplicationClass
	}
	if !strings.Contains(class, ".") {
		class = "org.apache.cassandra.locator." + class
	}
	m := map[string]string{"class": class}
	if len(r.DataCenters) > 0 {
		for dc, n := range r.DataCenters {
			m[dc] = strconv.Itoa(n)
		}
	} else {
		m["replication_factor"] = strconv.Itoa(max(r.Factor, 1))
	}
	return m
}

// Requests builds the lint requests of sources, in version order, with the
// schema replay that fills each statement's Before: exactly what Lint
// sends a plugin whose rules want every kind, before rules and options are
// set. The rules' tests use it to see what a plugin sees.
func Requests(cfg *config.Config, sources []Source) ([]*sdk.LintRequest, error) {
	return requests(cfg, sources, nil)
}

// BuiltinRequests is Requests as Lint builds them when only the built-in
// rules run: Before is left out where no built-in rule reads it, and holds
// only the table options they read.
func BuiltinRequests(cfg *config.Config, sources []Source) ([]*sdk.LintRequest, error) {
	return requests(cfg, sources, builtinProjection())
}

func requests(cfg *config.Config, sources []Source, proj *projection) ([]*sdk.LintRequest, error) {
	if cfg == nil {
		cfg = config.Default()
	}
	var files []*file
	for _, s := range sources {
		files = append(files, newFile(s.Path, s.Path, s.Path, s.Data, true))
	}
	slices.SortStableFunc(files, func(a, b *file) int {
		return cmp.Or(cmp.Compare(a.version, b.version), strings.Compare(a.shown, b.shown))
	})
	frs, err := buildRequests(cfg, files, proj)
	if err != nil {
		return nil, err
	}
	out := make([]*sdk.LintRequest, len(frs))
	for i, fr := range frs {
		out[i] = fr.req
	}
	return out, nil
}

// buildRequests replays files in order and builds the request of each file
// to lint, Before trimmed by proj (nil: complete). A statement that does
// not parse in a linted file is an error; in a file replayed only for
// context it ends that file's replay.
func buildRequests(cfg *config.Config, files []*file, proj *projection) ([]*fileRequest, error) {
	var out []*fileRequest
	err := streamRequests(cfg, files, proj, nil, func(fr *fileRequest) {
		fr.encode()
		out = append(out, fr)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// streamRequests is buildRequests handing each request to emit as soon as
// it is built, so that linting a file overlaps replaying the next. The
// requests have no AST JSON yet: fileRequest.encode adds it. A file to
// lint for which known reports true (its findings are cached) is replayed
// for context only and emitted without a request: building one would be
// a fifth of a run in which one file of 500 changed.
func streamRequests(cfg *config.Config, files []*file, proj *projection, known func(*file) bool, emit func(*fileRequest)) error {
	r := newReplay(cfg, proj)
	var errs []error
	for _, f := range files {
		request := f.lint && (known == nil || !known(f))
		fr, err := r.file(f, request)
		if err != nil {
			if f.lint {
				errs = append(errs, err)
			}
			continue
		}
		switch {
		case request:
			emit(fr)
		case f.lint:
			emit(&fileRequest{file: f})
		default:
			f.release()
		}
	}
	return errors.Join(errs...)
}

// file replays one migration; with request it also builds the file's
// lint request.
func (r *replay) file(f *file, request bool) (*fileRequest, error) {
	if err := f.parse(); err != nil {
		return nil, err
	}
	m := f.mig
	var fr *fileRequest
	if request {
		fr = &fileRequest{file: f, spans: map[int][2]int{}, req: &sdk.LintRequest{File: sdk.File{
			Path: f.rel, Version: m.VersionText, Description: m.Description,
			DownSection: m.HasDown, UpStatements: len(m.Up.Statements), DownStatements: len(m.Down.Statements),
		}}}
	}
	index := 0
	for _, sec := range [...]struct {
		name  string
		stmts []migration.Statement
	}{{sdk.Up, m.Up.Statements}, {sdk.Down, m.Down.Statements}} {
		if fr == nil && sec.name == sdk.Down {
			break // the context needs only what the up sections did
		}
		for _, st := range sec.stmts {
			index++
			parsed, err := cql.ParseStatement(st.Statement)
			if err != nil {
				return nil, fmt.Errorf("%w: %s", ErrInput, syntaxError(f.shown, err))
			}
			if fr != nil {
				fr.req.Statements = append(fr.req.Statements, r.statement(sec.name, index, st, parsed))
				fr.parsed = append(fr.parsed, parsed)
				last := st.Pos.Line + strings.Count(st.Text, "\n")
				fr.spans[index] = [2]int{st.Pos.Line, last}
			}
			if sec.name == sdk.Up {
				r.apply(parsed)
			}
		}
	}
	return fr, nil
}

// syntaxError renders a parse error as path:line:col: message.
func syntaxError(path string, err error) string {
	var se *cql.SyntaxError
	if errors.As(err, &se) {
		msg := se.Msg
		if se.Near != "" {
			msg += ", found " + strconv.Quote(se.Near)
		}
		return fmt.Sprintf("%s:%d:%d: %s", path, se.Pos.Line, se.Pos.Col, msg)
	}
	return path + ": " + err.Error()
}

// statement builds the request statement with the object it changes as
// the replay knows it (the AST is added by fileRequest.encode).
func (r *replay) statement(section string, index int, st migration.Statement, parsed cql.Stmt) *sdk.Statement {
	kind := string(parsed.Kind())
	var before *sdk.Object
	if r.proj == nil || r.proj.kinds[kind] {
		before = r.before(parsed)
	}
	return &sdk.Statement{
		Section: section, Index: index, Kind: kind, Text: st.Text,
		Pos:    sdk.Pos{Offset: st.Pos.Offset, Line: st.Pos.Line, Column: st.Pos.Col},
		Before: before,
	}
}

// apply runs a statement against the catalog. A statement the catalog
// refuses (a table created outside the migrations, a rule of a newer
// release) changes nothing, and the replay goes on: linting is about the
// statements, not about whether this replay can follow them.
func (r *replay) apply(st cql.Stmt) {
	if use, ok := st.(*cql.Use); ok {
		r.session = use.Keyspace.Name
		return
	}
	if st.Kind().IsDDL() {
		r.cat.Apply(st, r.session) //nolint:errcheck // see above
	}
}

// keyspaceOf resolves the keyspace of a qualified name.
func (r *replay) keyspaceOf(q cql.QualifiedName) *schema.Keyspace {
	name := r.session
	if q.Keyspace != nil {
		name = q.Keyspace.Name
	}
	return r.cat.Keyspace(name)
}

// before returns the object st changes as the catalog holds it now, or
// nil when it changes no existing object.
func (r *replay) before(st cql.Stmt) *sdk.Object {
	var (
		ks    *schema.Keyspace
		table string
		view  string
		typ   string
	)
	switch s := st.(type) {
	case *cql.CreateKeyspace:
		ks = r.cat.Keyspace(s.Name.Name)
	case *cql.AlterKeyspace:
		ks = r.cat.Keyspace(s.Name.Name)
	case *cql.DropKeyspace:
		ks = r.cat.Keyspace(s.Name.Name)
	case *cql.CreateTable:
		ks, table = r.keyspaceOf(s.Name), s.Name.Name.Name
	case *cql.AlterTable:
		ks, table = r.keyspaceOf(s.Name), s.Name.Name.Name
	case *cql.DropTable:
		ks, table = r.keyspaceOf(s.Name), s.Name.Name.Name
	case *cql.Truncate:
		ks, table = r.keyspaceOf(s.Table), s.Table.Name.Name
	case *cql.CreateIndex:
		ks, table = r.keyspaceOf(s.Table), s.Table.Name.Name
	case *cql.DropIndex:
		ks = r.keyspaceOf(s.Name)
		if ks != nil {
			if ix := ks.Index(s.Name.Name.Name); ix != nil {
				table = ix.Table
			}
		}
	case *cql.CreateTrigger:
		ks, table = r.keyspaceOf(s.Table), s.Table.Name.Name
	case *cql.DropTrigger:
		ks, table = r.keyspaceOf(s.Table), s.Table.Name.Name
	case *cql.CreateView:
		ks, view = r.keyspaceOf(s.Name), s.Name.Name.Name
	case *cql.AlterView:
		ks, view = r.keyspaceOf(s.Name), s.Name.Name.Name
	case *cql.DropView:
		ks, view = r.keyspaceOf(s.Name), s.Name.Name.Name
	case *cql.CreateType:
		ks, typ = r.keyspaceOf(s.Name), s.Name.Name.Name
	case *cql.AlterType:
		ks, typ = r.keyspaceOf(s.Name), s.Name.Name.Name
	case *cql.DropType:
		ks, typ = r.keyspaceOf(s.Name), s.Name.Name.Name
	case *cql.Insert:
		ks, table = r.keyspaceOf(s.Table), s.Table.Name.Name
	case *cql.Update:
		ks, table = r.keyspaceOf(s.Table), s.Table.Name.Name
	case *cql.Delete:
		ks, table = r.keyspaceOf(s.Table), s.Table.Name.Name
	case *cql.Select:
		ks, table = r.keyspaceOf(s.Table), s.Table.Name.Name
	default:
		return nil
	}
	if ks == nil {
		return nil
	}
	obj := &sdk.Object{Keyspace: keyspaceObject(ks)}
	switch {
	case table != "":
		if t := ks.Tables[table]; t != nil {
			obj.Table = r.tableObject(t)
		}
	case view != "":
		if v := ks.Views[view]; v != nil {
			obj.Table = r.viewObject(v)
		}
	case typ != "":
		if u := ks.Types[typ]; u != nil {
			obj.Type = typeObject(u)
		}
	}
	return obj
}

func keyspaceObject(ks *schema.Keyspace) *sdk.Keyspace {
	repl := make(map[string]string, len(ks.Replication))
	for k, v := range ks.Replication {
		repl[k] = v
	}
	return &sdk.Keyspace{Name: ks.Name, Replication: repl, DurableWrites: ks.DurableWrites}
}

func (r *replay) tableObject(t *schema.Table) *sdk.Table {
	key := [2]string{t.Keyspace, t.Name}
	if v := r.tables[key]; v.version == t {
		return v.object
	}
	out := &sdk.Table{
		Keyspace: t.Keyspace, Name: t.Name, CompactStorage: t.IsCompact(), Counter: t.IsCounter(),
		Options: r.optionValues(&t.Options, false),
	}
	r.tables[key] = tableVersion{version: t, object: out}
	fillColumns(out, t.OrderedColumns())
	for _, name := range sortedKeys(t.Dropped) {
		d := t.Dropped[name]
		// The replay's clock is not the cluster's: no drop time.
		out.Dropped = append(out.Dropped, sdk.DroppedColumn{Name: d.Name, Type: d.Type.String(), Kind: string(d.Kind)})
	}
	for _, name := range sortedKeys(t.Indexes) {
		ix := t.Indexes[name]
		out.Indexes = append(out.Indexes, sdk.Index{Name: ix.Name, Target: ix.Target(), Class: ix.Options["class_name"]})
	}
	return out
}

func (r *replay) viewObject(v *schema.View) *sdk.Table {
	out := &sdk.Table{
		Keyspace: v.Keyspace, Name: v.Name, View: true, BaseTable: v.BaseTable,
		Options: r.optionValues(&v.Options, true),
	}
	fillColumns(out, v.OrderedColumns())
	return out
}

func fillColumns(out *sdk.Table, cols []*schema.Column) {
	for _, c := range cols {
		out.Columns = append(out.Columns, sdk.Column{Name: c.Name, Type: c.Type.String(), Kind: string(c.Kind)})
		switch c.Kind {
		case schema.PartitionKey:
			out.PartitionKey = append(out.PartitionKey, c.Name)
		case schema.Clustering:
			out.Clustering = append(out.Clustering, sdk.ClusteringColumn{Name: c.Name, Order: string(c.Order)})
		}
	}
}

func typeObject(u *schema.UserType) *sdk.UserType {
	out := &sdk.UserType{Keyspace: u.Keyspace, Name: u.Name}
	for i, name := range u.FieldNames {
		out.Fields = append(out.Fields, sdk.Field{Name: name, Type: u.FieldTypes[i].String()})
	}
	return out
}

// optionValues renders table options as the ABI carries them: maps as
// objects, numbers as numbers, strings as strings.
func (r *replay) optionValues(o *schema.Options, view bool) map[string]sdk.Value {
	var names []string
	if r.proj != nil {
		names = r.proj.options
	} else {
		names = schema.OptionNames(r.cat.Version, view)
	}
	out := make(map[string]sdk.Value, len(names))
	for _, name := range names {
		val, ok := o.Get(name)
		if !ok {
			continue
		}
		switch x := val.(type) {
		case string:
			out[name] = abi.StringValue(x)
		case bool:
			out[name] = abi.BoolValue(x)
		case int:
			out[name] = abi.IntValue(int64(x))
		case float64:
			out[name] = abi.RawValue(strconv.AppendFloat(nil, x, 'g', -1, 64))
		case map[string]string:
			members := make([]abi.Member, 0, len(x))
			for _, k := range sortedKeys(x) {
				members = append(members, abi.Member{Key: k, Value: abi.StringValue(x[k])})
			}
			out[name] = abi.ObjectValue(members...)
		case map[string][]byte:
			members := make([]abi.Member, 0, len(x))
			for _, k := range sortedKeys(x) {
				members = append(members, abi.Member{Key: k, Value: abi.StringValue(fmt.Sprintf("0x%x", x[k]))})
			}
			out[name] = abi.ObjectValue(members...)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
