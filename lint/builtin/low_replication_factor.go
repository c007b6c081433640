package builtin

import (
	"slices"
	"strconv"

	"github.com/cqltrack/cqltrack/lint/sdk"
)

// low-replication-factor: with fewer than three replicas, QUORUM needs
// every replica (RF 2) or a single node failure loses availability or data
// (RF 1). The minimum is an option.
func init() {
	register(Rule{
		Rule: sdk.Rule{
			ID:       "low-replication-factor",
			Severity: sdk.Warning,
			Summary:  "a replication factor below 3 cannot survive a node failure at QUORUM",
			Kinds:    []string{"CREATE KEYSPACE", "ALTER KEYSPACE"},
			Options:  `{"type": "object", "properties": {"min": {"type": "integer", "minimum": 1, "default": 3, "description": "the smallest replication factor accepted in each datacenter"}}}`,
			Check: func(p *sdk.Pass) {
				min := int64(3)
				if v, ok := p.Options.Get("min").Int(); ok {
					min = v
				} else if !p.Options.Get("min").IsNull() {
					panic("option min must be an integer")
				}
				ast := astOf(p)
				prop := property(ast.Get("options"), "replication")
				repl := mapLiteral(prop.Get("value"))
				keys := make([]string, 0, len(repl))
				for k := range repl {
					keys = append(keys, k)
				}
				slices.Sort(keys)
				for _, k := range keys {
					if k == "class" {
						continue
					}
					rf, err := strconv.ParseInt(repl[k], 10, 64)
					if err != nil || rf >= min || rf == 0 {
						// "3/1" transient replication and other forms are left
						// alone; 0 stops replicating to a datacenter on purpose.
						continue
					}
					where := "datacenter " + k
					if k == "replication_factor" {
						where = "replication_factor"
					}
					p.Reportf(pos(prop.Get("pos")), "keyspace %s: %s is %d, below %d: a single node down makes QUORUM fail or loses data",
						quoteIdent(ast.Path("name", "name").Str()), where, rf, min)
				}
			},
		},
		Why: "QUORUM needs a majority of replicas: with a replication factor of 2 that is both of them, so one " +
			"node down (a restart, an upgrade) fails QUORUM reads and writes; with 1 there is no second copy at " +
			"all. Three replicas per datacenter is the usual production minimum. The `min` option changes the " +
			"threshold (for example to 1 for a development profile). A datacenter set to 0 is not reported: that is " +
			"the documented way to stop replicating to it (before decommissioning it), not a low factor. " +
			"Datacenter names are case-sensitive and are shown as written.",
		Sources: []string{
			"https://cassandra.apache.org/doc/latest/cassandra/architecture/dynamo.html#tunable-consistency",
			"https://docs.datastax.com/en/cassandra-oss/3.x/cassandra/dml/dmlConfigConsistency.html",
		},
		Example: "CREATE KEYSPACE IF NOT EXISTS shop WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 1};",
	})
}
