package builtin

import "github.com/cqltrack/cqltrack/lint/sdk"

// simple-strategy: SimpleStrategy places replicas ignoring datacenters and
// racks; it is meant for a single-datacenter test cluster.
func init() {
	register(Rule{
		Rule: sdk.Rule{
			ID:       "simple-strategy",
			Severity: sdk.Warning,
			Summary:  "SimpleStrategy ignores datacenters and racks; use NetworkTopologyStrategy",
			Kinds:    []string{"CREATE KEYSPACE", "ALTER KEYSPACE"},
			Check: func(p *sdk.Pass) {
				ast := astOf(p)
				prop := property(ast.Get("options"), "replication")
				if shortClass(mapLiteral(prop.Get("value"))["class"]) != "SimpleStrategy" {
					return
				}
				p.Reportf(pos(prop.Get("pos")), "keyspace %s uses SimpleStrategy, which ignores datacenters and racks: use NetworkTopologyStrategy with a replication factor per datacenter",
					ast.Path("name", "name").Str())
			},
		},
		Why: "SimpleStrategy puts replicas on the next nodes of the ring whatever their datacenter or rack, so " +
			"all copies can land in one rack, and LOCAL_* consistency levels and adding a second datacenter do " +
			"not work as expected. NetworkTopologyStrategy is recommended for every production keyspace, even " +
			"with one datacenter, because switching later needs a repair.",
		Sources: []string{
			"https://cassandra.apache.org/doc/latest/cassandra/architecture/dynamo.html#replication-strategy",
			"https://docs.datastax.com/en/cassandra-oss/3.x/cassandra/architecture/archDataDistributeReplication.html",
		},
		Example: "CREATE KEYSPACE IF NOT EXISTS shop WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3};",
	})
}
