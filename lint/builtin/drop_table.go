package builtin

import (
	"strings"

	"github.com/cqltrack/cqltrack/lint/sdk"
)

// drop-table: dropping a table or a materialized view deletes its data;
// the rollback section cannot bring it back.
func init() {
	register(Rule{
		Rule: sdk.Rule{
			ID:       "drop-table",
			Severity: sdk.Warning,
			Summary:  "DROP TABLE deletes the table's data; no rollback brings it back",
			// The CREATE kinds only to find what the down section undoes.
			Kinds: []string{"DROP TABLE", "DROP MATERIALIZED VIEW", "CREATE TABLE", "CREATE MATERIALIZED VIEW"},
			Check: func(p *sdk.Pass) {
				create, ok := strings.CutPrefix(p.Statement.Kind, "DROP ")
				if !ok {
					return
				}
				name := astOf(p).Get("name")
				if p.Statement.Section == sdk.Down && createdInUp(p, "CREATE "+create, name) {
					return // undoing a CREATE of the same migration
				}
				p.Reportf(sdk.Pos{}, "%s %s deletes its data (a snapshot is kept only when auto_snapshot is on); a rollback cannot restore it",
					p.Statement.Kind, qualified(name))
			},
		},
		Why: "DROP TABLE removes the table and its data from every node; Cassandra keeps a snapshot only when " +
			"`auto_snapshot` is enabled in cassandra.yaml, and restoring one is a manual, per-node procedure. A " +
			"`-- @down` section can recreate the table but not its rows. A DROP in a down section that undoes a " +
			"CREATE of the same object in the up section of the same migration is not reported; any other DROP " +
			"in a down section is, since rolling back then deletes data the migration did not create.",
		Sources: []string{"https://cassandra.apache.org/doc/latest/cassandra/developing/cql/ddl.html#drop-table"},
		Example: "DROP TABLE IF EXISTS ks.audit_log;",
	})
}
