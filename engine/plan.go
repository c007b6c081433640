package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cqltrack/cqltrack/engine/cql"
	"github.com/cqltrack/cqltrack/engine/migration"
	"github.com/cqltrack/cqltrack/engine/schema"
)

// OfflinePlan is what the migrations do to an empty keyspace, worked out
// without a cluster: every migration's schema changes in order, and the
// schema that results.
type OfflinePlan struct {
	// Keyspace is the keyspace the migrations were replayed into (the
	// configured one, created first as init would create it).
	Keyspace string `json:"keyspace"`
	// Release is the Cassandra release line the migrations were replayed
	// as ("3.11"): schema.release, 5.0 when it is not set.
	Release string `json:"release"`
	// Migrations are the migration files in version order.
	Migrations []PlannedMigration `json:"migrations"`
	// Schema is the resulting schema as CQL, as DESCRIBE would print it.
	Schema string `json:"schema"`
}

// PlannedMigration is one migration file and the changes its up section makes.
type PlannedMigration struct {
	Version int64 `json:"version"`
	// Name is the version as written in the file name and the description,
	// e.g. "V004 add users".
	Name        string          `json:"name"`
	Description string          `json:"description"`
	File        string          `json:"file"`
	Checksum    string          `json:"checksum"`
	Changes     []PlannedChange `json:"changes"`
}

// PlannedChange is what one statement does to the schema.
type PlannedChange struct {
	// Statement is the statement's 1-based number in the up section.
	Statement int `json:"statement"`
	// Line and Column locate the statement in the file.
	Line   int `json:"line"`
	Column int `json:"column"`
	// Kind is the statement kind, e.g. "CREATE TABLE".
	Kind string `json:"kind"`
	// Op is create, alter or drop; empty when the statement changes no
	// schema (DML, or IF [NOT] EXISTS that found nothing to do).
	Op       string `json:"op,omitempty"`
	Object   string `json:"object,omitempty"`
	Keyspace string `json:"keyspace,omitempty"`
	Name     string `json:"name,omitempty"`
	Table    string `json:"table,omitempty"`
	// CQL is the statement in canonical form.
	CQL string `json:"cql"`
}

// PlanOffline replays every migration's up section on an empty catalog that
// holds only the configured keyspace, as Engine.OfflineRelease (there is
// no cluster to ask for its release: schema.release, else 5.0), and
// reports what each statement changes. A statement Cassandra would reject
// stops the replay with an input error naming file, line, column and
// Cassandra's message.
func (e *Engine) PlanOffline(ctx context.Context) (*OfflinePlan, error) {
	set, err := e.loadMigrations()
	if err != nil {
		return nil, err
	}
	_, plan, err := e.replayOffline(ctx, set, e.OfflineRelease(), nil)
	return plan, err
}

// replayOffline replays the up sections of the migrations of set that keep
// accepts (all of them when keep is nil), in version order, into a new
// catalog of Cassandra release v that holds the configured keyspace, as
// init would create it.
func (e *Engine) replayOffline(ctx context.Context, set *migration.Set, v schema.Version, keep func(version int64) bool) (*schema.Catalog, *OfflinePlan, error) {
	cat := schema.New(v)
	ks := e.cfg.Keyspace.Name
	if ks != "" {
		if err := createConfiguredKeyspace(cat, ks, e.cfg.ReplicationCQL()); err != nil {
			return nil, nil, err
		}
	}
	plan := &OfflinePlan{Keyspace: ks, Release: v.String(), Migrations: []PlannedMigration{}}
	for _, m := range set.Migrations {
		if keep != nil && !keep(m.Version) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		pm, err := replay(cat, ks, m, 0, false)
		if err != nil {
			return nil, nil, err
		}
		plan.Migrations = append(plan.Migrations, *pm)
	}
	plan.Schema = cat.Render(ks)
	return cat, plan, nil
}

// createConfiguredKeyspace adds the keyspace init would create, through the
// same validation as any statement, so a bad replication setting is caught.
func createConfiguredKeyspace(cat *schema.Catalog, name, replication string) error {
	text := "CREATE KEYSPACE " + cql.QuoteIdent(name) + " WITH replication = " + replication
	stmt, err := cql.Parse(text)
	if err != nil {
		return InputError(fmt.Errorf("keyspace %s: %w", name, err))
	}
	if _, err := cat.Apply(stmt, ""); err != nil {
		return InputError(fmt.Errorf("keyspace %s: %w", name, err))
	}
	return nil
}

// replay applies m's up statements to cat in order, from statement from
// (0-based: a resumed migration skips what it already applied). With
// inFlight, statement from may already be in the schema (an interrupted run
// was executing it): "already exists" for it is not an error.
func replay(cat *schema.Catalog, keyspace string, m *migration.Migration, from int, inFlight bool) (*PlannedMigration, error) {
	pm := &PlannedMigration{
		Version: m.Version, Name: m.Name(), Description: m.Description, File: m.Path, Checksum: m.Checksum,
		Changes: []PlannedChange{},
	}
	for i, st := range m.Up.Statements {
		if i < from {
			continue
		}
		stmt, err := cql.ParseStatement(st.Statement)
		if err != nil {
			return nil, InputError(statementError(m, i, st.Pos, err))
		}
		if stmt.Kind() == cql.KindUse {
			// As migrate refuses it (parseAll), so that a plan never
			// shows a run that migrate would not make.
			return nil, InputError(useRefused(m, i))
		}
		eff, err := cat.Apply(stmt, keyspace)
		if err != nil && inFlight && i == from && schemaAlreadyApplied(err) {
			continue
		}
		if err != nil {
			return nil, InputError(statementError(m, i, st.Pos, err))
		}
		pm.Changes = append(pm.Changes, PlannedChange{
			Statement: i + 1, Line: st.Pos.Line, Column: st.Pos.Col, Kind: string(stmt.Kind()),
			Op: string(eff.Op), Object: string(eff.Object), Keyspace: eff.Keyspace, Name: eff.Name,
			Table: eff.Table, CQL: stmt.String(),
		})
	}
	return pm, nil
}

// statementError names the file and position of a failed statement. A
// syntax error carries its own, more precise position; a schema error is
// placed at the statement (or at the offending part when the catalog knows).
func statementError(m *migration.Migration, i int, at cql.Pos, err error) error {
	pos := at
	switch e := err.(type) {
	case *cql.SyntaxError:
		pos = e.Pos
		return fmt.Errorf("%s:%d:%d: statement %d: syntax error: %s", m.Path, pos.Line, pos.Col, i+1, syntaxText(e))
	case *schema.Error:
		if e.Pos.IsValid() {
			pos = e.Pos
		}
	}
	return fmt.Errorf("%s:%d:%d: statement %d: %w", m.Path, pos.Line, pos.Col, i+1, err)
}

// syntaxText is a syntax error's message without its "line L:C" prefix,
// which statementError already puts in file:line:col form.
func syntaxText(e *cql.SyntaxError) string {
	s := e.Msg
	if e.Near != "" {
		s += fmt.Sprintf(", found %q", e.Near)
	}
	return s
}

// schemaAlreadyApplied recognises the catalog's answer to a change that is
// already in the schema, like alreadyApplied does for the cluster's.
func schemaAlreadyApplied(err error) bool {
	return errors.Is(err, schema.ErrAlreadyExists) || strings.Contains(strings.ToLower(err.Error()), "already exist")
}
