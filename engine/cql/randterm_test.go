package cql

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// randTerm builds a random term in CQL syntax from the grammar's pieces,
// with arbitrary spacing and grouping, to check that every shape of term
// renders back to something that parses to the same AST.
func randTerm(r *rand.Rand, depth int, sel bool) string {
	leaves := []string{
		"1", "-2", "3.5", "-4e3", "true", "FALSE", "null", "NaN", "-Infinity", "'s''q'", "$$d$$",
		"0xbeef", "1h30m", "P2W", "123e4567-e89b-12d3-a456-426614174000", "?", ":m", `:"M"`,
	}
	if sel {
		leaves = append(leaves, "col", `"Col"`, "key", "ttl")
	}
	if depth <= 0 {
		return leaves[r.IntN(len(leaves))]
	}
	sub := func() string { return randTerm(r, depth-1, sel) }
	sp := func() string { return []string{"", " ", "  "}[r.IntN(3)] }
	if sel {
		switch r.IntN(8) {
		case 0:
			return sub() + ".f"
		case 1:
			return sub() + "[" + sub() + "]"
		case 2:
			return "col[" + sub() + ".." + "]"
		case 3:
			return "CAST(" + sub() + " AS text)"
		case 4:
			return "count(*)"
		}
	}
	switch r.IntN(12) {
	case 0:
		return "[" + sub() + "," + sp() + sub() + "]"
	case 1:
		return "{" + sub() + sp() + "}"
	case 2:
		return "{" + sub() + ":" + sp() + sub() + "}"
	case 3:
		return "(" + sub() + "," + sub() + ")"
	case 4:
		return "{f:" + sub() + ", \"G\" : " + sub() + "}"
	case 5:
		return "fn(" + sub() + "," + sp() + sub() + ")"
	case 6:
		return "ks.fn()"
	case 7:
		op := []string{"+", "-", "*", "/", "%"}[r.IntN(5)]
		return sub() + sp() + op + sp() + sub()
	case 8:
		return "(" + sub() + sp() + "+" + sp() + sub() + ")"
	case 9:
		return "- " + sub()
	case 10:
		return "(int)" + sp() + sub()
	default:
		return sub()
	}
}

func TestRandomTermsRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	parsed := 0
	for i := 0; i < 20000; i++ {
		sel := i%2 == 0
		term := randTerm(r, 1+r.IntN(4), sel)
		var src string
		if sel {
			src = "SELECT " + term + " FROM t"
		} else {
			src = "INSERT INTO t (a) VALUES (" + term + ")"
		}
		st, err := Parse(src)
		if err != nil {
			// Random shapes may be invalid CQL (a type hint on a column in
			// INSERT, "{f: ...}" read as a map...); only panics and
			// round-trip failures matter here.
			continue
		}
		parsed++
		out, err := roundTrip(st)
		if err != nil {
			t.Fatalf("in: %s\nout: %s\n%v", src, out, err)
		}
		if strings.Contains(out, "  ") {
			t.Fatalf("rendering has double spaces: %s", out)
		}
	}
	// The generator must mostly produce valid CQL, or this test checks
	// nothing.
	if parsed < 10000 {
		t.Errorf("only %d of 20000 random statements parsed", parsed)
	}
}

// TestRandomNamesRoundTrip puts awkward names (keywords, mixed case, digits,
// quotes, non-ASCII) in every name position of DDL statements: rendering
// must quote exactly what needs quoting so the names survive.
func TestRandomNamesRoundTrip(t *testing.T) {
	names := []string{
		`a`, `"A"`, `"select"`, `key`, `type`, `"1x"`, `"_u"`, `"a""b"`, `"ünï"`, `"table"`, `values`,
		`"true"`, `ttl`, `json`, `"replace"`, `"Mixed Case"`, `count`, `"nan"`, `static`, `list`,
	}
	templates := []string{
		"CREATE TABLE %[1]s.%[2]s (%[3]s int, %[4]s text STATIC, PRIMARY KEY ((%[3]s), %[5]s)) WITH CLUSTERING ORDER BY (%[5]s DESC)",
		"ALTER TABLE %[2]s RENAME %[3]s TO %[4]s AND %[5]s TO %[1]s",
		"CREATE INDEX %[1]s ON %[2]s.%[3]s (KEYS(%[4]s))",
		"CREATE TYPE %[1]s.%[6]s (%[2]s int, %[3]s frozen<%[1]s.%[6]s>)",
		"INSERT INTO %[1]s.%[2]s (%[3]s, %[4]s) VALUES (:%[5]s, {%[3]s: 1})",
		"UPDATE %[2]s SET %[3]s = %[3]s + 1, %[4]s[?] = 2 WHERE %[5]s = 1 IF %[1]s = 3",
		"SELECT %[3]s AS %[4]s, %[1]s.%[6]s(%[5]s) FROM %[2]s WHERE token(%[3]s) > 0 GROUP BY %[5]s",
		"GRANT SELECT ON KEYSPACE %[1]s TO %[2]s",
		"CREATE MATERIALIZED VIEW %[1]s AS SELECT %[3]s FROM %[2]s WHERE %[3]s IS NOT NULL PRIMARY KEY (%[3]s)",
		"CREATE FUNCTION %[1]s.%[6]s (%[3]s int) CALLED ON NULL INPUT RETURNS int LANGUAGE java AS 'return 1;'",
	}
	r := rand.New(rand.NewPCG(3, 4))
	pick := func() string { return names[r.IntN(len(names))] }
	parsed := 0
	for i := 0; i < 5000; i++ {
		tpl := templates[i%len(templates)]
		src := fmt.Sprintf(tpl, pick(), pick(), pick(), pick(), pick(), pick())
		st, err := Parse(src)
		if err != nil {
			continue // some names cannot stand everywhere (list as a type name)
		}
		parsed++
		if out, err := roundTrip(st); err != nil {
			t.Fatalf("in: %s\nout: %s\n%v", src, out, err)
		}
	}
	if parsed < 2500 {
		t.Errorf("only %d of 5000 statements parsed", parsed)
	}
}
