package builtin

import "github.com/cqltrack/cqltrack/lint/sdk"

// empty-rollback: a "-- @down" section with no statement declares the
// migration irreversible; it is reported as information so that reviewers
// see the decision.
func init() {
	register(Rule{
		Rule: sdk.Rule{
			ID:       "empty-rollback",
			Severity: sdk.Info,
			Summary:  "the -- @down section is empty: rolling back does nothing",
			CheckFile: func(p *sdk.Pass) {
				if p.File.DownSection && p.File.DownStatements == 0 && p.File.UpStatements > 0 {
					p.Reportf(sdk.Pos{}, "the -- @down section of %s is empty: a rollback records it as undone but changes nothing", p.File.Path)
				}
			},
		},
		Why: "An empty rollback section is how a migration says it cannot be undone (a data backfill, a dropped " +
			"table). `cqltrack rollback` then marks it rolled back without touching the cluster, so the schema and " +
			"the history disagree until a later migration repairs it. The finding makes that decision visible in review.",
		Sources: []string{"https://cassandra.apache.org/doc/latest/cassandra/developing/cql/ddl.html"},
		Example: "ALTER TABLE ks.users DROP legacy;\n-- @down",
	})
}
