package store

import (
	"strconv"
	"strings"
	"testing"

	"github.com/cqltrack/cqltrack/engine/cql"
)

// parseType reads the CQL type syntax the tests use, e.g.
// frozen<map<text, list<int>>> or vector<float, 3>.
func parseType(t testing.TB, s string) cql.Type {
	t.Helper()
	typ, rest := parseTypeAt(strings.ReplaceAll(s, " ", ""))
	if rest != "" {
		t.Fatalf("parse type %q: trailing %q", s, rest)
	}
	return typ
}

func parseTypeAt(s string) (cql.Type, string) {
	i := strings.IndexAny(s, "<,>")
	if i < 0 {
		return cql.Type{Name: s}, ""
	}
	typ := cql.Type{Name: s[:i]}
	if s[i] != '<' {
		return typ, s[i:]
	}
	s = s[i+1:]
	for {
		if n, err := strconv.Atoi(strings.TrimRight(s[:strings.IndexAny(s, ",>")], ">")); err == nil && typ.Name == "vector" {
			typ.Dim = n
			s = s[strings.IndexAny(s, ",>"):]
		} else {
			var a cql.Type
			a, s = parseTypeAt(s)
			typ.Args = append(typ.Args, a)
		}
		if s[0] == '>' {
			return typ, s[1:]
		}
		s = s[1:]
	}
}
