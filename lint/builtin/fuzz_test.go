package builtin_test

import (
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/cqltrack/cqltrack/lint"
	"github.com/cqltrack/cqltrack/lint/builtin"
	"github.com/cqltrack/cqltrack/lint/sdk"
)

// FuzzRules feeds migrations that parse to every rule: no rule may fail
// (panic) on a statement the parser accepts, and every finding must point
// into the file. Seeds are the migrations of the testdata corpus.
//
//	go test ./lint/builtin -run '^$' -fuzz FuzzRules -fuzztime 15s
func FuzzRules(f *testing.F) {
	for _, path := range cases(f) {
		ar, err := txtar.ParseFile(path)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range ar.Files {
			if strings.HasSuffix(file.Name, ".cql") {
				f.Add(string(file.Data))
			}
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		reqs, err := lint.Requests(testConfig(), []lint.Source{
			{Path: "V001__first.cql", Data: []byte(src)},
			{Path: "V002__again.cql", Data: []byte(src)}, // the same statements against the schema they made
		})
		if err != nil {
			return // not a migration the parser accepts
		}
		for _, req := range reqs {
			resp := sdk.RunNative(builtin.Rules(), req)
			for _, e := range resp.Errors {
				t.Errorf("rule %s failed on %q: %s", e.Rule, src, e.Message)
			}
			lines := strings.Count(src, "\n") + 1
			for _, fd := range resp.Findings {
				if fd.Pos.Line < 1 || fd.Pos.Line > lines || fd.Pos.Offset < 0 || fd.Pos.Offset > len(src) {
					t.Errorf("finding [%s] at %+v is outside the file of %d lines", fd.Rule, fd.Pos, lines)
				}
			}
		}
	})
}
