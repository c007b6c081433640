package engine_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cqltrack/cqltrack/engine"
	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/engine/migration"
)

// TestNewMigrationFromDiff: the file written from a diff of two schema
// files is a migration whose up section is the diff's script and whose
// down section its reverse; numbering follows the files already there, and
// schemas that do not differ write nothing.
func TestNewMigrationFromDiff(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cfg := config.Default()
	cfg.Keyspace.Name = "shop"
	cfg.Migrations.Directory = filepath.Join(dir, "migrations")
	if err := os.Mkdir(cfg.Migrations.Directory, 0o755); err != nil {
		t.Fatal(err)
	}
	write("migrations/V007__first.cql", "CREATE TABLE users (id int PRIMARY KEY);\n")
	e, err := engine.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	before, err := e.FileSchema(write("before.cql", "CREATE TABLE users (id int PRIMARY KEY);\n"))
	if err != nil {
		t.Fatal(err)
	}
	after, err := e.FileSchema(write("after.cql", "CREATE TABLE users (id int PRIMARY KEY, email text);\nCREATE TABLE orders (id int PRIMARY KEY);\n"))
	if err != nil {
		t.Fatal(err)
	}

	if _, err := e.NewMigrationFromDiff("same", engine.Diff(before, before)); !errors.Is(err, engine.ErrInvalidInput) {
		t.Fatalf("new migration from an empty diff: %v, want an input error", err)
	}
	d := engine.Diff(before, after)
	nm, err := e.NewMigrationFromDiff("add email and orders", d)
	if err != nil {
		t.Fatal(err)
	}
	if nm.Version != "008" || filepath.Base(nm.Path) != "V008__add_email_and_orders.cql" {
		t.Errorf("new migration %+v, want V008__add_email_and_orders.cql", nm)
	}
	set, err := migration.LoadDir(cfg.Migrations.Directory)
	if err != nil {
		t.Fatalf("the generated file does not load: %v", err)
	}
	m, ok := set.Get(8)
	if !ok {
		t.Fatal("V008 not found")
	}
	if len(m.Up.Statements) != len(d.Changes) || !m.HasDown || len(m.Down.Statements) != len(d.Changes) {
		t.Fatalf("V008 has %d up and %d down statement(s), want %d each (one per change)", len(m.Up.Statements), len(m.Down.Statements), len(d.Changes))
	}
	var up []string
	for _, st := range m.Up.Statements {
		up = append(up, st.Text)
	}
	if !strings.Contains(strings.Join(up, "\n"), "ADD email text") {
		t.Errorf("V008 up section %q lacks the new column", up)
	}
}
