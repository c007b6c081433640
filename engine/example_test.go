package engine_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"testing/fstest"

	"github.com/cqltrack/cqltrack/engine"
	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/engine/cqltest"
	"github.com/cqltrack/cqltrack/engine/cqltest/wire"
)

// exampleMigrations stand in for a directory of .cql files or an embed.FS
// compiled into a service (//go:embed migrations/*.cql).
var exampleMigrations = fstest.MapFS{
	"migrations/V001__create_users.cql": {Data: []byte(`CREATE TABLE users (id uuid PRIMARY KEY, name text);
-- @down
DROP TABLE users;
`)},
	"migrations/V002__add_email.cql": {Data: []byte(`ALTER TABLE users ADD email text;
CREATE INDEX users_email ON users (email);
-- @down
DROP INDEX users_email;
ALTER TABLE users DROP email;
`)},
}

// Open an engine from a Config value, create the keyspace and tracking
// tables, apply the migrations and print the status. The cluster here is
// the in-process engine/cqltest stand-in; a service points the same Config
// at its Cassandra nodes.
func ExampleOpen() {
	c, err := cqltest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	cfg := config.Default()
	cfg.Cassandra.ContactPoints = c.Hosts()
	cfg.Cassandra.Port = c.Port()
	cfg.Keyspace.Name = "shop"

	ctx := context.Background()
	e, err := engine.Open(ctx, cfg, engine.WithMigrations(exampleMigrations, "migrations"))
	if err != nil {
		log.Fatal(err)
	}
	defer e.Close()

	if _, err := e.Init(ctx); err != nil {
		log.Fatal(err)
	}
	r, err := e.Migrate(ctx, engine.MigrateOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("applied %d migration(s), now at V%d\n", len(r.Migrations), r.Current)

	st, err := e.Status(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range st.Migrations {
		fmt.Printf("%s: %s (%d/%d statements)\n", m.Name, m.State, m.StatementsApplied, m.StatementsTotal)
	}
	// Output:
	// applied 2 migration(s), now at V2
	// V001 create users: applied (1/1 statements)
	// V002 add email: applied (2/2 statements)
}

// A configuration embedded in a program is read with config.Parse; here
// the contact point and port come from the stand-in.
func ExampleNew_configFile() {
	c, err := cqltest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	cfg, err := config.Parse("cqltrack.yml", []byte(`
keyspace:
  name: shop
lock:
  wait: 30s
profiles:
  ci:
    schema:
      agreement_wait: 5s
`), "ci")
	if err != nil {
		log.Fatal(err)
	}
	cfg.Cassandra.ContactPoints, cfg.Cassandra.Port = c.Hosts(), c.Port()

	e, err := engine.New(cfg, engine.WithMigrations(exampleMigrations, "migrations"))
	if err != nil {
		log.Fatal(err)
	}
	defer e.Close()
	ctx := context.Background()
	if _, err := e.Init(ctx); err != nil { // New connects on first use
		log.Fatal(err)
	}
	p, err := e.Pending(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("profile:", cfg.Profile, "agreement wait:", cfg.Schema.AgreementWait)
	for _, m := range p.Pending {
		fmt.Println("pending:", m.Name)
	}
	// Output:
	// profile: ci agreement wait: 5s
	// pending: V001 create users
	// pending: V002 add email
}

// Progress reports every step of a run as it happens, for live output.
func ExampleEngine_Migrate_progress() {
	c, err := cqltest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	cfg := config.Default()
	cfg.Cassandra.ContactPoints, cfg.Cassandra.Port = c.Hosts(), c.Port()
	cfg.Keyspace.Name = "shop"
	ctx := context.Background()
	e, err := engine.Open(ctx, cfg, engine.WithMigrations(exampleMigrations, "migrations"))
	if err != nil {
		log.Fatal(err)
	}
	defer e.Close()
	if _, err := e.Init(ctx); err != nil {
		log.Fatal(err)
	}

	_, err = e.Migrate(ctx, engine.MigrateOptions{Target: 2, Progress: func(p engine.Progress) {
		switch p.Kind {
		case engine.ProgressMigrationStart:
			fmt.Printf("%s (%d statement(s))\n", p.Name, p.Statements)
		case engine.ProgressStatement:
			fmt.Printf("  statement %d/%d at line %d done\n", p.Statement, p.Statements, p.Line)
		}
	}})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// V001 create users (1 statement(s))
	//   statement 1/1 at line 1 done
	// V002 add email (2 statement(s))
	//   statement 1/2 at line 1 done
	//   statement 2/2 at line 2 done
}

// A failed statement is an error matching ErrMigrationFailed that names the
// file, statement and line; the next Migrate resumes at that statement.
func ExampleEngine_Migrate_failure() {
	c, err := cqltest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	cfg := config.Default()
	cfg.Cassandra.ContactPoints, cfg.Cassandra.Port = c.Hosts(), c.Port()
	cfg.Keyspace.Name = "shop"
	ctx := context.Background()
	e, err := engine.Open(ctx, cfg, engine.WithMigrations(exampleMigrations, "migrations"))
	if err != nil {
		log.Fatal(err)
	}
	defer e.Close()
	if _, err := e.Init(ctx); err != nil {
		log.Fatal(err)
	}

	// The stand-in refuses the index once, as a cluster would refuse a bad statement.
	c.Inject(cqltest.Fault{Match: "CREATE INDEX", Nth: 1,
		Err: &wire.Error{Code: wire.CodeInvalid, Message: "index build refused"}})
	r, err := e.Migrate(ctx, engine.MigrateOptions{})
	if errors.Is(err, engine.ErrMigrationFailed) {
		f := r.Migrations[len(r.Migrations)-1].Failure
		fmt.Printf("failed: statement %d, line %d: %s\n", f.Statement, f.Line, f.Message)
	}
	r, err = e.Migrate(ctx, engine.MigrateOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("retry: %s resumed at statement %d, %s\n", r.Migrations[0].Name, r.Migrations[0].ResumedAt, r.Migrations[0].Status)
	// Output:
	// failed: statement 2, line 2: index build refused
	// retry: V002 add email resumed at statement 2, applied
}

// PlanOffline needs no cluster: it replays the migrations on an empty
// schema and reports what each statement changes.
func ExampleEngine_PlanOffline() {
	cfg := config.Default()
	cfg.Keyspace.Name = "shop"
	e, err := engine.New(cfg, engine.WithMigrations(exampleMigrations, "migrations"))
	if err != nil {
		log.Fatal(err)
	}
	plan, err := e.PlanOffline(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range plan.Migrations {
		for _, ch := range m.Changes {
			fmt.Printf("%s statement %d: %s %s %s\n", m.Name, ch.Statement, ch.Op, ch.Object, ch.Name)
		}
	}
	// Output:
	// V001 create users statement 1: create table users
	// V002 add email statement 1: alter table users
	// V002 add email statement 2: create index users_email
}
