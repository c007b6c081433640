// Package acme holds the rules of the testdata rule plugin, importable so
// that the host's tests can run them natively next to their wasm build.
package acme

import (
	"strings"

	"github.com/cqltrack/cqltrack/lint/sdk"
	"github.com/cqltrack/cqltrack/plugins/abi"
)

// Rules returns the plugin's rules.
func Rules() []sdk.Rule {
	return []sdk.Rule{noTruncate, tableComment, dropKnownColumn, noRollback, panicky}
}

// noTruncate flags every TRUNCATE.
var noTruncate = sdk.Rule{
	ID:       "acme-no-truncate",
	Severity: sdk.Error,
	Summary:  "TRUNCATE is not allowed in migrations",
	DocsURL:  "https://acme.example/cql#no-truncate",
	Kinds:    []string{"TRUNCATE"},
	Check: func(p *sdk.Pass) {
		p.Reportf(p.Statement.Pos, "TRUNCATE %s deletes every row", p.Statement.AST().Path("table", "name", "name").Str())
	},
}

// tableComment wants a comment on every new table, and a default TTL no
// larger than the max_ttl option.
var tableComment = sdk.Rule{
	ID:       "acme-table-comment",
	Severity: sdk.Warning,
	Summary:  "every table needs a comment and a bounded default_time_to_live",
	Kinds:    []string{"CREATE TABLE"},
	Options:  `{"type":"object","properties":{"max_ttl":{"type":"integer"}}}`,
	Check: func(p *sdk.Pass) {
		comment := option(p.Statement, "comment")
		if comment.Get("text").Str() == "" {
			p.Report(sdk.Pos{}, "table has no comment")
		}
		if max, ok := p.Options.Get("max_ttl").Int(); ok {
			if ttl, _ := option(p.Statement, "default_time_to_live").Get("text").Int(); ttl == 0 || ttl > max {
				p.Reportf(sdk.Pos{}, "default_time_to_live must be set and at most %d", max)
			}
		}
	},
}

// option returns the value of a WITH option of a statement's AST (options
// are an array of {name, value} in source order).
func option(s *sdk.Statement, name string) sdk.Value {
	for _, o := range s.AST().Get("options").Items() {
		if o.Get("name").Str() == name {
			return o.Get("value")
		}
	}
	return sdk.Value{}
}

// dropKnownColumn uses the schema before the statement: dropping a column
// the table has is reported with its type.
var dropKnownColumn = sdk.Rule{
	ID:       "acme-drop-column",
	Severity: sdk.Info,
	Summary:  "reports dropped columns with their type",
	Kinds:    []string{"ALTER TABLE"},
	Check: func(p *sdk.Pass) {
		if p.Before == nil || p.Before.Table == nil {
			return
		}
		for _, col := range p.Statement.AST().Get("drop").Items() {
			for _, c := range p.Before.Table.Columns {
				if c.Name == col.Get("name").Str() {
					p.Reportf(sdk.Pos{}, "drops %s %s of %s", c.Name, c.Type, p.Before.Table.Name)
				}
			}
		}
	},
}

// noRollback is a file-level rule.
var noRollback = sdk.Rule{
	ID:       "acme-no-rollback",
	Severity: sdk.Warning,
	Summary:  "a migration needs a rollback section",
	CheckFile: func(p *sdk.Pass) {
		if !p.File.DownSection {
			p.Reportf(sdk.Pos{}, "%s has no -- @down section", p.File.Path)
		}
	},
}

// panicky panics on a statement whose text mentions "boom": the host must
// report it and the other rules must still run.
var panicky = sdk.Rule{
	ID:       "acme-panicky",
	Severity: sdk.Info,
	Summary:  "panics on demand",
	Check: func(p *sdk.Pass) {
		if strings.Contains(p.Statement.Text, "boom") {
			sdk.Log(abi.LogWarn, "about to panic")
			panic("boom")
		}
	},
}
