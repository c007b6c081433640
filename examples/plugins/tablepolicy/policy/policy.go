// Package policy holds the rules of the tablepolicy example plugin.
package policy

import (
	"github.com/cqltrack/cqltrack/lint/sdk"
)

// Rules returns the plugin's rules.
func Rules() []sdk.Rule { return []sdk.Rule{tableComment, tableTTL} }

// DefaultMaxTTL is the longest default_time_to_live acme-table-ttl accepts
// when its max_ttl option is not set: 90 days.
const DefaultMaxTTL = 90 * 24 * 3600

// tableComment: a table without a comment is a table nobody can explain a
// year later, when the on-call engineer wonders whether it can go.
var tableComment = sdk.Rule{
	ID:       "acme-table-comment",
	Severity: sdk.Error,
	Summary:  "every new table says what it is for (WITH comment = '...')",
	DocsURL:  "https://github.com/cqltrack/cqltrack/tree/main/examples/plugins/tablepolicy#acme-table-comment",
	Kinds:    []string{"CREATE TABLE"},
	Check: func(p *sdk.Pass) {
		if option(p.Statement, "comment").Get("text").Str() == "" {
			p.Reportf(p.Statement.Pos, "table %s has no comment: add WITH comment = 'what it holds and who reads it'", tableName(p.Statement))
		}
	},
}

// tableTTL: data that never expires grows until someone deletes it by hand,
// with tombstones; a default TTL bounds it.
var tableTTL = sdk.Rule{
	ID:       "acme-table-ttl",
	Severity: sdk.Warning,
	Summary:  "every new table sets a default_time_to_live no longer than max_ttl",
	DocsURL:  "https://github.com/cqltrack/cqltrack/tree/main/examples/plugins/tablepolicy#acme-table-ttl",
	Kinds:    []string{"CREATE TABLE"},
	Options:  `{"type":"object","properties":{"max_ttl":{"type":"integer","minimum":1}}}`,
	Check: func(p *sdk.Pass) {
		max := int64(DefaultMaxTTL)
		if v, ok := p.Options.Get("max_ttl").Int(); ok {
			max = v
		}
		ttl, _ := option(p.Statement, "default_time_to_live").Get("text").Int()
		switch {
		case ttl == 0:
			p.Reportf(p.Statement.Pos, "table %s keeps its data forever: set default_time_to_live (at most %d seconds)", tableName(p.Statement), max)
		case ttl > max:
			p.Reportf(p.Statement.Pos, "table %s keeps its data %d seconds, longer than the %d allowed", tableName(p.Statement), ttl, max)
		}
	},
}

// option returns the value of a WITH option of the statement (options are an
// array of {name, value} in source order in the AST).
func option(s *sdk.Statement, name string) sdk.Value {
	for _, o := range s.AST().Get("options").Items() {
		if o.Get("name").Str() == name {
			return o.Get("value")
		}
	}
	return sdk.Value{}
}

func tableName(s *sdk.Statement) string {
	name := s.AST().Get("name")
	if ks := name.Path("keyspace", "name").Str(); ks != "" {
		return ks + "." + name.Path("name", "name").Str()
	}
	return name.Path("name", "name").Str()
}
