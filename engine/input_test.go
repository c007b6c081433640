package engine_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/cqltrack/cqltrack/engine"
	"github.com/cqltrack/cqltrack/engine/cqltest"
	"github.com/cqltrack/cqltrack/engine/cqltest/wire"
	"github.com/cqltrack/cqltrack/engine/history"
)

// Problems with the files stop Migrate before it takes the lock or changes
// anything, with an ErrInvalidInput naming the file and position.
func TestMigrateRefusesBadInputBeforeTouchingTheCluster(t *testing.T) {
	tests := []struct {
		name    string
		applied map[string]string // migrated first
		files   map[string]string
		want    []string
	}{
		{
			name:  "syntax error",
			files: map[string]string{"V001__a.cql": "CREATE TABLE a (id int PRIMARY KEY);\n\nCREATE TABLE b (id int PRIMARY KEY;\n"},
			want:  []string{"migrations/V001__a.cql:3:", "statement 2: syntax error"},
		},
		{
			name: "syntax error in a later file",
			files: map[string]string{"V001__a.cql": "CREATE TABLE a (id int PRIMARY KEY);\n",
				"V002__b.cql": "ALTER TABLE a ADD;\n"},
			want: []string{"migrations/V002__b.cql:1:", "syntax error"},
		},
		{
			name:  "USE inside a migration",
			files: map[string]string{"V001__a.cql": "USE other;\nCREATE TABLE a (id int PRIMARY KEY);\n"},
			want:  []string{"migrations/V001__a.cql:1:1: statement 1: USE cannot run inside a migration"},
		},
		{
			name:  "statement that does not fit the live schema",
			files: map[string]string{"V001__a.cql": "CREATE TABLE a (id int PRIMARY KEY);\nALTER TABLE missing ADD x int;\n"},
			want:  []string{"migrations/V001__a.cql:2:", "statement 2", "missing"},
		},
		{
			name:    "pending file below the applied version",
			applied: map[string]string{"V002__b.cql": "CREATE TABLE b (id int PRIMARY KEY);\n"},
			files:   map[string]string{"V001__a.cql": "CREATE TABLE a (id int PRIMARY KEY);\n"},
			want:    []string{"migrations/V001__a.cql is pending but version 2 is already applied"},
		},
		{
			name:  "bad file name",
			files: map[string]string{"create_users.cql": "CREATE TABLE a (id int PRIMARY KEY);\n"},
			want:  []string{"create_users.cql"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := newStandIn(t, "request counters")
			all := map[string]string{}
			for k, v := range tt.applied {
				all[k] = v
			}
			fsys := files(all)
			e := tg.initialized(t, fsys)
			if len(tt.applied) > 0 {
				migrate(t, e, 0)
			}
			for k, v := range tt.files {
				all[k] = v
			}
			for k, f := range files(all) {
				fsys[k] = f
			}
			before := tg.records(t)
			tg.Cluster.ResetStats()
			_, err := e.Migrate(context.Background(), engine.MigrateOptions{})
			if !errors.Is(err, engine.ErrInvalidInput) {
				t.Fatalf("migrate: %v, want ErrInvalidInput", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not say %q:\n%v", w, err)
				}
			}
			s := tg.Cluster.Stats()
			if ddl(tg.Cluster) != 0 || s.LWT != 0 || s.Statements["INSERT"]+s.Statements["UPDATE"] != 0 {
				t.Errorf("a refused run touched the cluster: %d schema changes, %d LWT, statements %v", ddl(tg.Cluster), s.LWT, s.Statements)
			}
			if len(tg.records(t)) != len(before) {
				t.Errorf("a refused run changed the history")
			}
		})
	}
}

// An applied migration whose file is gone does not stop Migrate: the
// report warns about it.
func TestMigrateWarnsAboutMissingFiles(t *testing.T) {
	tg := newTarget(t)
	fsys := files(map[string]string{
		"V001__a.cql": "CREATE TABLE a (id int PRIMARY KEY);\n",
		"V002__b.cql": "CREATE TABLE b (id int PRIMARY KEY);\n",
	})
	e := tg.initialized(t, fsys)
	migrate(t, e, 1)
	delete(fsys, "migrations/V001__a.cql")
	r := migrate(t, e, 0)
	if len(r.Migrations) != 1 || r.Migrations[0].Version != 2 {
		t.Errorf("migrate: %+v, want V2", r.Migrations)
	}
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "V1 a is applied but its file is missing") {
		t.Errorf("warnings %q, want one about V1", r.Warnings)
	}
}

// A dry run of a failed migration lists only the statements the retry
// would run.
func TestDryRunOfResumeListsRemainingStatements(t *testing.T) {
	tg := newStandIn(t, "an injected error")
	e := tg.initialized(t, files(map[string]string{"V001__four.cql": failingFour}))
	ctx := context.Background()
	tg.Cluster.Inject(cqltest.Fault{Match: "CREATE TABLE f3", Nth: 1, Err: &wire.Error{Code: wire.CodeInvalid, Message: "injected"}})
	if _, err := e.Migrate(ctx, engine.MigrateOptions{}); !errors.Is(err, engine.ErrMigrationFailed) {
		t.Fatalf("migrate: %v", err)
	}
	r, err := e.Migrate(ctx, engine.MigrateOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if m := r.Migrations[0]; m.ResumedAt != 3 || len(m.Statements) != 2 || !strings.HasPrefix(m.Statements[0], "CREATE TABLE f3") {
		t.Errorf("dry run: %+v, want statements 3 and 4 from statement 3", m)
	}
	if rec := tg.records(t)[1]; rec.Status != history.StatusFailed {
		t.Errorf("the dry run changed the record: %+v", rec)
	}
}

// A rollback whose down section fails halfway records the migration as
// rollback_failed with the down statements that ran, and logs the failure.
func TestRollbackFailureIsRecorded(t *testing.T) {
	tg := newStandIn(t, "an injected error")
	e := tg.initialized(t, opsMigrations())
	ctx := context.Background()
	migrate(t, e, 2)
	tg.Cluster.Inject(cqltest.Fault{Match: "DROP email", Nth: 1, Err: &wire.Error{Code: wire.CodeInvalid, Message: "injected: cannot drop"}})
	r, err := e.Rollback(ctx, engine.RollbackOptions{})
	if !errors.Is(err, engine.ErrMigrationFailed) || !strings.Contains(err.Error(), "V002__add_email.cql:5:1: roll back V002 add email down statement 2 of 2") {
		t.Fatalf("rollback: %v, want ErrMigrationFailed naming down statement 2 at line 5", err)
	}
	if f := r.Migrations[0].Failure; f == nil || f.Statement != 2 || !strings.Contains(f.Message, "cannot drop") {
		t.Errorf("report failure %+v", f)
	}
	if st := stateOf(t, status(t, e), 2); st.State != engine.StateRollbackFailed || st.StatementsApplied != 1 {
		t.Errorf("V2 after a failed rollback: %s with %d down statements run, want rollback_failed with 1", st.State, st.StatementsApplied)
	}
	cols := tg.columns(t, "users")
	if cols["phone"] || !cols["email"] {
		t.Errorf("columns %v: want down statement 1 done (phone dropped), email kept", cols)
	}
	evs := tg.events(t)
	if last := evs[len(evs)-1]; last.Kind != history.EventFailed || last.Version != 2 || !strings.Contains(last.Detail, "rollback failed at down statement 2 of 2") {
		t.Errorf("last event %+v, want the failed rollback", last)
	}
}
