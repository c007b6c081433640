package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/cqltrack/cqltrack/engine/cluster"
	"github.com/cqltrack/cqltrack/engine/migration"
	"github.com/cqltrack/cqltrack/engine/schema"
)

// LivePlan is what the pending migrations will do, worked out on the live
// schema before anything runs.
type LivePlan struct {
	Keyspace string `json:"keyspace"`
	Release  string `json:"release_version"`
	// Current is the highest applied version.
	Current int64 `json:"current"`
	// Migrations are the pending migrations; a resumed one lists only the
	// statements it has left.
	Migrations []PlannedMigration `json:"migrations"`
}

// Plan connects, reads the live schema and replays the pending migrations
// on it, reporting each statement's change. A pending statement that cannot
// apply to the live schema (a table that exists already without IF NOT
// EXISTS, a column already there, a table that is missing) is an input
// error naming file, line and column, found before anything runs.
func (e *Engine) Plan(ctx context.Context) (*LivePlan, error) {
	set, err := e.loadMigrations()
	if err != nil {
		return nil, err
	}
	if _, err := parseAll(set); err != nil {
		return nil, err
	}
	hist, _, err := e.tracking(ctx)
	if err != nil {
		return nil, err
	}
	todo, status, err := e.pendingWork(ctx, hist, set, 0)
	if err != nil {
		return nil, err
	}
	plan, err := e.checkOnLive(ctx, set, todo)
	if err != nil {
		return nil, err
	}
	plan.Current = status.Current
	return plan, nil
}

// checkOnLive replays todo on a copy of the live schema.
func (e *Engine) checkOnLive(ctx context.Context, set *migration.Set, todo []MigrationStatus) (*LivePlan, error) {
	ks, err := e.keyspaceName()
	if err != nil {
		return nil, err
	}
	s, err := e.session(ctx)
	if err != nil {
		return nil, err
	}
	plan := &LivePlan{Keyspace: ks, Release: s.ReleaseVersion(), Migrations: []PlannedMigration{}}
	if len(todo) == 0 {
		return plan, nil
	}
	cat, err := e.liveCatalogFor(ctx, s, ks, set, todo)
	if err != nil {
		return nil, err
	}
	for _, m := range todo {
		mig, _ := set.Get(m.Version)
		start := resumePoint(m)
		pm, err := replay(cat, ks, mig, start, m.inFlightUnchanged(start, statementSums(mig)))
		if err != nil {
			return nil, fmt.Errorf("%w\nhint: the migration does not fit the live schema; run 'cqltrack diff --target-migrations' to see how the cluster differs", err)
		}
		plan.Migrations = append(plan.Migrations, *pm)
	}
	return plan, nil
}

// liveCatalogFor reads the live schema of the configured keyspace and of
// every other existing keyspace the pending statements name (ks.table), so
// that a migration touching another keyspace is checked against it too.
func (e *Engine) liveCatalogFor(ctx context.Context, s *cluster.Session, ks string, set *migration.Set, todo []MigrationStatus) (*schema.Catalog, error) {
	names, err := userKeyspaces(ctx, s)
	if err != nil {
		return nil, err
	}
	var text strings.Builder
	for _, m := range todo {
		if mig, ok := set.Get(m.Version); ok {
			text.Write(mig.Source[mig.Up.Start:mig.Up.End])
		}
	}
	lower := strings.ToLower(text.String())
	var cat *schema.Catalog
	for _, name := range names {
		if name != ks && !strings.Contains(lower, strings.ToLower(name)+".") && !strings.Contains(lower, `"`+strings.ToLower(name)+`".`) {
			continue
		}
		one, err := readSystemSchema(ctx, s, name)
		if err != nil {
			return nil, err
		}
		if cat == nil {
			cat = one
			continue
		}
		if k := one.Keyspaces[name]; k != nil {
			cat.Keyspaces[name] = k
		}
	}
	if cat == nil {
		v, err := schema.ParseVersion(s.ReleaseVersion())
		if err != nil {
			return nil, fmt.Errorf("cluster release: %w", err)
		}
		cat = schema.New(v)
	}
	return cat, nil
}

// userKeyspaces lists the keyspaces of the cluster that are not Cassandra's own.
func userKeyspaces(ctx context.Context, s *cluster.Session) ([]string, error) {
	iter := s.Query(ctx, "SELECT keyspace_name FROM system_schema.keyspaces").Iter()
	var out []string
	var name string
	for iter.Scan(&name) {
		if !schema.IsSystemKeyspace(name) {
			out = append(out, name)
		}
	}
	if err := iter.Close(); err != nil {
		return nil, fmt.Errorf("read system_schema.keyspaces: %w", err)
	}
	return out, nil
}
