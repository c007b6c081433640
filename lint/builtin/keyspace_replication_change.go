package builtin

import (
	"maps"

	"github.com/cqltrack/cqltrack/lint/sdk"
)

// keyspace-replication-change: changing a keyspace's replication moves
// data ownership; until a full repair streams the data, reads at the new
// replicas miss it.
func init() {
	register(Rule{
		Rule: sdk.Rule{
			ID:       "keyspace-replication-change",
			Severity: sdk.Warning,
			Summary:  "changing a keyspace's replication needs a full repair afterwards",
			Kinds:    []string{"ALTER KEYSPACE"},
			Check: func(p *sdk.Pass) {
				ast := p.Statement.AST()
				prop := property(ast.Get("options"), "replication")
				if prop.IsNull() {
					return
				}
				to := mapLiteral(prop.Get("value"))
				to["class"] = shortClass(to["class"])
				if p.Before != nil && p.Before.Keyspace != nil {
					from := maps.Clone(p.Before.Keyspace.Replication)
					from["class"] = shortClass(from["class"])
					if maps.Equal(from, to) {
						return
					}
				}
				p.Reportf(pos(prop.Get("pos")), "replication of keyspace %s changes: new replicas hold no data until `nodetool repair -full` has run on every node (then `nodetool cleanup` where replicas were removed)",
					quoteIdent(ast.Path("name", "name").Str()))
			},
		},
		Why: "ALTER KEYSPACE only changes metadata: nodes that become replicas have none of the existing data " +
			"until it is streamed to them, so reads at LOCAL_ONE or QUORUM can miss rows. The documented " +
			"procedure is a full repair on every node after the change (or `nodetool rebuild` for a new " +
			"datacenter), then cleanup of the data nodes no longer own. Statements that set the replication it " +
			"already has are not reported. Datacenter names are case-sensitive: renaming 'DC1' to 'dc1' names " +
			"another datacenter, and is reported.",
		Sources: []string{
			"https://cassandra.apache.org/doc/latest/cassandra/developing/cql/ddl.html#alter-keyspace",
			"https://docs.datastax.com/en/cassandra-oss/3.x/cassandra/operations/opsChangeKSStrategy.html",
		},
		BeforeKinds: []string{"ALTER KEYSPACE"},
		Example:     "ALTER KEYSPACE shop WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3, 'dc2': 3};",
	})
}
