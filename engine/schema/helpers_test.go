package schema

import (
	"flag"
	"os"
	"testing"
	"time"

	"github.com/cqltrack/cqltrack/engine/cql"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// newTestCatalog returns a catalog with reproducible table ids and drop
// times, so that goldens and rows are stable.
func newTestCatalog(v Version) *Catalog {
	c := New(v)
	n := 0
	c.NewID = func() UUID {
		n++
		return nameUUID("table" + string(rune('a'+n%26)) + time.Duration(n).String())
	}
	c.Now = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 678000000, time.UTC) }
	return c
}

// run applies every statement of src in order, following USE, starting in
// session keyspace ks. It stops at the first error.
func run(c *Catalog, ks, src string) ([]Effect, string, error) {
	stmts, err := cql.ParseScript([]byte(src))
	if err != nil {
		return nil, ks, err
	}
	var effs []Effect
	for _, s := range stmts {
		if u, ok := s.(*cql.Use); ok && c.Keyspaces[u.Keyspace.Name] != nil {
			ks = u.Keyspace.Name
		}
		eff, err := c.Apply(s, ks)
		if err != nil {
			return effs, ks, err
		}
		effs = append(effs, eff)
	}
	return effs, ks, nil
}

func mustRun(t testing.TB, c *Catalog, ks, src string) string {
	t.Helper()
	_, ks, err := run(c, ks, src)
	if err != nil {
		t.Fatalf("apply: %v\n%s", err, src)
	}
	return ks
}

func readFile(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := "testdata/" + name
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want := readFile(t, path)
	if got != want {
		t.Errorf("%s differs from the golden file (rerun with -update if intended)\n--- got ---\n%s", path, got)
	}
}

// comparable strips what a rebuild from CQL cannot reproduce: ids, the
// dropped-column history, and the test hooks.
func comparable(c *Catalog) *Catalog {
	n := c.Clone()
	n.NewID, n.Now = nil, nil
	for _, ks := range n.Keyspaces {
		for _, t := range ks.Tables {
			t.ID = UUID{}
			t.Dropped = map[string]*DroppedColumn{}
		}
		for _, v := range ks.Views {
			v.ID, v.BaseTableID = UUID{}, UUID{}
		}
	}
	return n
}
