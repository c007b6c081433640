package engine

import (
	"context"
	"fmt"
	"os"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cqltrack/cqltrack/engine/cluster"
	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/engine/cql"
	"github.com/cqltrack/cqltrack/engine/history"
	"github.com/cqltrack/cqltrack/engine/lock"
	"github.com/cqltrack/cqltrack/engine/schema"
)

// Schema is one side of a comparison: a keyspace's definition, where it
// came from, and the Cassandra release whose options it carries.
type Schema struct {
	// Label says where the schema came from, e.g. "live keyspace app" or
	// "file snapshot.cql".
	Label    string
	Keyspace *schema.Keyspace
	Version  schema.Version
}

// trackingTables are cqltrack's own tables, left out of snapshots and
// comparisons unless asked for.
var trackingTables = []string{history.HistoryTable, history.EventsTable, lock.Table}

// LiveSchema reads keyspace (the configured one when empty) from the
// cluster's system_schema tables, as the release the cluster runs lays them
// out. With includeTracking false cqltrack's tracking tables are left out.
func (e *Engine) LiveSchema(ctx context.Context, keyspace string, includeTracking bool) (*Schema, error) {
	if keyspace == "" {
		ks, err := e.keyspaceName()
		if err != nil {
			return nil, err
		}
		keyspace = ks
	}
	s, err := e.session(ctx)
	if err != nil {
		return nil, err
	}
	cat, err := readSystemSchema(ctx, s, keyspace)
	if err != nil {
		return nil, err
	}
	ks := cat.Keyspaces[keyspace]
	if ks == nil {
		return nil, InputError(fmt.Errorf("keyspace %s does not exist on the cluster", keyspace))
	}
	if !includeTracking {
		ks = ks.WithoutTables(trackingTables...)
	}
	return &Schema{Label: "live keyspace " + keyspace, Keyspace: ks, Version: cat.Version}, nil
}

// readSystemSchema loads one keyspace's rows of every system_schema table,
// all from one node: while a schema change spreads, nodes answer with
// different schemas, and tables from one with columns from another would
// not fit together. keyspace_name is the partition key of all of them, so
// each read touches one partition.
func readSystemSchema(ctx context.Context, s *cluster.Session, keyspace string) (*schema.Catalog, error) {
	v, err := schema.ParseVersion(s.ReleaseVersion())
	if err != nil {
		return nil, fmt.Errorf("cluster release: %w", err)
	}
	var rows map[string][]map[string]any
	err = s.OnOneNode(ctx, func(query func(string, ...any) *gocql.Query) error {
		rows = map[string][]map[string]any{}
		for _, table := range schema.SystemSchemaTableNames(v) {
			iter := query("SELECT * FROM system_schema."+table+" WHERE keyspace_name = ?", keyspace).Iter()
			for {
				row := map[string]any{}
				if !iter.MapScan(row) {
					break
				}
				rows[table] = append(rows[table], row)
			}
			if err := iter.Close(); err != nil {
				return fmt.Errorf("read system_schema.%s: %w", table, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the schema of %s: %w", keyspace, err)
	}
	cat, err := schema.LoadSystemSchemaAs(v, rows)
	if err != nil {
		return nil, fmt.Errorf("load schema of %s: %w", keyspace, err)
	}
	return cat, nil
}

// OfflineRelease is the Cassandra release a schema is built as when no
// cluster says which and the configuration names none (schema.release):
// the newest release line cqltrack models.
const OfflineRelease = config.DefaultRelease

// FileSchema reads a CQL script, such as a snapshot, into a schema as
// Cassandra release v would hold it (when v is 0, the configured
// schema.release, else OfflineRelease; see Engine.OfflineRelease): its
// defaults fill in the options the script leaves out, and an option v does
// not have is an error, as it would be on the cluster. Compared with a live
// keyspace, v is that cluster's release (Schema.Version of LiveSchema). The
// script must create exactly one keyspace, or name none (its statements are
// then applied to the configured keyspace).
func (e *Engine) FileSchema(path string, v schema.Version) (*Schema, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, InputError(fmt.Errorf("read schema file: %w", err))
	}
	stmts, err := cql.ParseScript(src)
	if err != nil {
		return nil, InputError(fmt.Errorf("%s: %w", path, err))
	}
	cat := schema.New(e.orOffline(v))
	session := ""
	for _, st := range stmts {
		if ck, ok := st.(*cql.CreateKeyspace); ok {
			if session != "" && session != ck.Name.Name {
				return nil, InputError(fmt.Errorf("%s creates keyspaces %s and %s: compare one keyspace at a time", path, session, ck.Name.Name))
			}
			session = ck.Name.Name
		}
	}
	if session == "" {
		ks, err := e.keyspaceName()
		if err != nil {
			return nil, err
		}
		session = ks
		if err := createConfiguredKeyspace(cat, ks, e.cfg.ReplicationCQL()); err != nil {
			return nil, err
		}
	}
	for _, st := range stmts {
		if _, err := cat.Apply(st, session); err != nil {
			p := st.Position()
			return nil, InputError(fmt.Errorf("%s:%d:%d: %w", path, p.Line, p.Col, err))
		}
	}
	return &Schema{Label: "file " + path, Keyspace: cat.Keyspaces[session], Version: cat.Version}, nil
}

// MigrationsSchema is the schema the migration files produce, replayed
// offline into the configured keyspace as Cassandra release v would apply
// them (Engine.OfflineRelease when v is 0; see FileSchema).
func (e *Engine) MigrationsSchema(ctx context.Context, v schema.Version) (*Schema, error) {
	set, err := e.loadMigrations()
	if err != nil {
		return nil, err
	}
	cat, _, err := e.replayOffline(ctx, set, e.orOffline(v), nil)
	if err != nil {
		return nil, err
	}
	ks := e.cfg.Keyspace.Name
	return &Schema{Label: "migrations in " + e.migrationsLabel(), Keyspace: cat.Keyspaces[ks], Version: cat.Version}, nil
}

// OfflineRelease is the Cassandra release offline work builds schemas as
// when no live cluster is involved: the configured schema.release, or the
// package's OfflineRelease when the configuration names none.
func (e *Engine) OfflineRelease() schema.Version { return e.cfg.Schema.Version() }

// orOffline is v, or the engine's offline release when v is 0.
func (e *Engine) orOffline(v schema.Version) schema.Version {
	if v == 0 {
		return e.OfflineRelease()
	}
	return v
}

// orOffline is v, or OfflineRelease when v is 0.
func orOffline(v schema.Version) schema.Version {
	if v == 0 {
		return OfflineRelease
	}
	return v
}

func (e *Engine) migrationsLabel() string {
	if e.fsys != nil {
		return e.dir
	}
	return e.cfg.Migrations.Directory
}

// DiffReport is the difference between two schemas.
type DiffReport struct {
	Source string `json:"source"`
	Target string `json:"target"`
	// Equal is true when nothing differs.
	Equal   bool            `json:"equal"`
	Changes []schema.Change `json:"changes"`
	// Script turns the source into the target; Reverse the target into the
	// source. Changes Cassandra cannot make in place appear as comments.
	Script  string `json:"script"`
	Reverse string `json:"reverse"`
}

// Diff compares two schemas. Their keyspaces may have different names
// (staging and production, say): the target is compared as if it had the
// source's name, so that the script applies to the source. Both scripts run
// on the source (Reverse undoes Script there), so the comparison and the
// CQL are those of the source's release: the target's options are
// converted to it (Catalog.Convert), and an option that release does not
// have is neither compared nor written.
func Diff(source, target *Schema) *DiffReport {
	v := orOffline(source.Version)
	a, b := source.Keyspace, target.Keyspace
	if a != nil && b != nil && a.Name != b.Name {
		b = renameKeyspace(b, a.Name)
	}
	a, b = convertKeyspace(a, orOffline(source.Version), v), convertKeyspace(b, orOffline(target.Version), v)
	changes := schema.DiffVersion(v, a, b)
	if changes == nil {
		changes = []schema.Change{}
	}
	return &DiffReport{
		Source: source.Label, Target: target.Label, Equal: len(changes) == 0, Changes: changes,
		Script: schema.Script(changes), Reverse: schema.ReverseScript(changes),
	}
}

// convertKeyspace gives ks the table options of release to.
func convertKeyspace(ks *schema.Keyspace, from, to schema.Version) *schema.Keyspace {
	if ks == nil || from == to {
		return ks
	}
	c := &schema.Catalog{Version: from, Keyspaces: map[string]*schema.Keyspace{ks.Name: ks}}
	return c.Convert(to).Keyspaces[ks.Name]
}

// renameKeyspace returns a copy of ks named to, every object moved with it.
func renameKeyspace(ks *schema.Keyspace, to string) *schema.Keyspace {
	from := ks.Name
	n := ks.Clone()
	n.Name = to
	fix := func(t cql.Type) cql.Type { return retypeKeyspace(t, from, to) }
	for _, t := range n.Tables {
		t.Keyspace = to
		for _, c := range t.Columns {
			c.Type = fix(c.Type)
		}
		for _, ix := range t.Indexes {
			ix.Keyspace = to
		}
		for _, tr := range t.Triggers {
			tr.Keyspace = to
		}
	}
	for _, u := range n.Types {
		u.Keyspace = to
		for i := range u.FieldTypes {
			u.FieldTypes[i] = fix(u.FieldTypes[i])
		}
	}
	for _, v := range n.Views {
		v.Keyspace = to
		for _, c := range v.Columns {
			c.Type = fix(c.Type)
		}
	}
	for _, f := range n.Functions {
		f.Keyspace = to
	}
	for _, a := range n.Aggregates {
		a.Keyspace = to
	}
	return n
}

func retypeKeyspace(t cql.Type, from, to string) cql.Type {
	if t.Keyspace == from {
		t.Keyspace = to
	}
	if len(t.Args) > 0 {
		args := make([]cql.Type, len(t.Args))
		for i, a := range t.Args {
			args[i] = retypeKeyspace(a, from, to)
		}
		t.Args = args
	}
	return t
}

// SnapshotReport is the live schema rendered as CQL.
type SnapshotReport struct {
	Keyspace string `json:"keyspace"`
	Release  string `json:"release_version"`
	// Tables counts the tables in the snapshot.
	Tables int    `json:"tables"`
	CQL    string `json:"cql"`
}

// Snapshot renders the live keyspace as CQL that recreates it on an empty
// cluster (as DESCRIBE KEYSPACE does), in a deterministic order.
func (e *Engine) Snapshot(ctx context.Context, includeTracking bool) (*SnapshotReport, error) {
	live, err := e.LiveSchema(ctx, "", includeTracking)
	if err != nil {
		return nil, err
	}
	return &SnapshotReport{
		Keyspace: live.Keyspace.Name, Release: e.sess.ReleaseVersion(), Tables: len(live.Keyspace.Tables),
		CQL: schema.RenderKeyspace(live.Keyspace, live.Version),
	}, nil
}

// DriftReport compares what the applied migrations should have produced
// with what the cluster has.
type DriftReport struct {
	Keyspace string `json:"keyspace"`
	// Applied are the versions replayed.
	Applied []int64 `json:"applied"`
	Drift   bool    `json:"drift"`
	// Changes turn the expected schema into the live one: what was changed
	// outside migrations.
	Changes []schema.Change `json:"changes"`
}

// Drift replays the applied migrations offline, as the cluster's release
// would apply them, and compares the result with the live keyspace
// (tracking tables left out): anything that differs was changed outside
// migrations.
func (e *Engine) Drift(ctx context.Context) (*DriftReport, error) {
	set, err := e.loadMigrations()
	if err != nil {
		return nil, err
	}
	hist, _, err := e.tracking(ctx)
	if err != nil {
		return nil, err
	}
	recs, err := hist.Applied(ctx)
	if err != nil {
		return nil, fmt.Errorf("read history: %w", err)
	}
	status := reconcile(set, recs)
	applied := map[int64]bool{}
	var versions []int64 // in version order, as reconcile sorts them
	for _, m := range status.Migrations {
		switch m.State {
		case StateApplied, StateBaseline, StateModified:
			applied[m.Version] = true
			versions = append(versions, m.Version)
		case StateMissing:
			return nil, InputError(fmt.Errorf("V%d %s is applied but its file is missing: cannot work out the expected schema", m.Version, m.Description))
		}
	}
	live, err := e.LiveSchema(ctx, "", false)
	if err != nil {
		return nil, err
	}
	cat, _, err := e.replayOffline(ctx, set, live.Version, func(v int64) bool { return applied[v] })
	if err != nil {
		return nil, err
	}
	expected := &Schema{Label: "applied migrations", Keyspace: cat.Keyspaces[e.cfg.Keyspace.Name], Version: cat.Version}
	if expected.Keyspace != nil {
		// The replay's keyspace has the configured replication; the live
		// one is what init created (or what the operator changed since,
		// which is not drift of the schema the migrations manage).
		expected.Keyspace.Replication = live.Keyspace.Replication
		expected.Keyspace.DurableWrites = live.Keyspace.DurableWrites
	}
	d := Diff(expected, live)
	if versions == nil {
		versions = []int64{}
	}
	return &DriftReport{Keyspace: live.Keyspace.Name, Applied: versions, Drift: !d.Equal, Changes: d.Changes}, nil
}
