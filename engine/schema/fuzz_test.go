package schema

import (
	"strings"
	"testing"

	"github.com/cqltrack/cqltrack/engine/cql"
)

// FuzzApply feeds parsed statements to a catalog holding the base schema:
// Apply may reject them but never panics, and a rejected statement leaves
// the catalog as it was.
func FuzzApply(f *testing.F) {
	for _, src := range []string{base, readFile(f, "testdata/rich.cql")} {
		stmts, err := cql.Split([]byte(src))
		if err != nil {
			f.Fatal(err)
		}
		for _, s := range stmts {
			f.Add(s.Text)
		}
	}
	for _, s := range []string{
		"ALTER TABLE t ALTER v MASKED WITH mask_inner(1, 2)", "ALTER TABLE t ALTER v DROP MASKED",
		"ALTER TYPE addr RENAME street TO road AND tags TO labels", "DROP FUNCTION f(int, int)",
		"CREATE INDEX ON t (ENTRIES(l))", "CREATE CUSTOM INDEX ON t () USING 'x'",
		"BEGIN BATCH INSERT INTO t (k, c) VALUES (1, 1); APPLY BATCH", "ALTER TABLE u DROP (x, y) USING TIMESTAMP 5",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		stmt, err := cql.Parse(src)
		if err != nil {
			return
		}
		c := newTestCatalog(V5_0)
		if _, _, err := run(c, "", base); err != nil {
			t.Fatal(err)
		}
		before := c.Render("")
		if _, err := c.Apply(stmt, "ks"); err != nil {
			if after := c.Render(""); after != before {
				t.Errorf("rejected %q but changed the catalog: %v", src, err)
			}
			return
		}
		// What was accepted renders as CQL that applies again.
		again := newTestCatalog(V5_0)
		if _, _, err := run(again, "", c.Render("")); err != nil && !strings.Contains(src, "\x00") {
			t.Errorf("after %q the rendered schema does not apply: %v\n%s", src, err, c.Render(""))
		}
	})
}
