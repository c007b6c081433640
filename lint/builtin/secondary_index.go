package builtin

import (
	"strings"

	"github.com/cqltrack/cqltrack/lint/sdk"
)

// secondary-index: legacy secondary indexes (and SASI) scale poorly; SAI
// or a lookup table is the recommended way to query by a non-key column.
func init() {
	register(Rule{
		Rule: sdk.Rule{
			ID:       "secondary-index",
			Severity: sdk.Warning,
			Summary:  "a legacy secondary or SASI index; prefer SAI or a lookup table",
			Kinds:    []string{"CREATE INDEX"},
			Check: func(p *sdk.Pass) {
				ast := astOf(p)
				using := ast.Get("using").Str()
				class := shortClass(using)
				switch {
				case strings.EqualFold(using, "sai") || class == "StorageAttachedIndex":
					return
				case class == "SASIIndex":
					p.Reportf(sdk.Pos{}, "index %s uses SASI, which is experimental and disabled by default since 4.0: use SAI (USING 'sai') on 5.0, or a lookup table",
						objectName(ast))
				case using == "" || strings.EqualFold(using, "legacy_local_table") || class == "CassandraIndex":
					p.Reportf(sdk.Pos{}, "secondary index %s: a query by it asks every node of the cluster and slows with its size; use SAI (USING 'sai') on 5.0, or a lookup table",
						objectName(ast))
				}
			},
		},
		Why: "A legacy secondary index is local to each node, so a query on it without the partition key fans " +
			"out to the whole cluster, and high- or low-cardinality columns make it slow. SASI is experimental " +
			"(`sasi_indexes_enabled`, off by default since 4.0). Storage-Attached Indexing (SAI, Cassandra 5.0 " +
			"and Astra) or a table keyed by the queried column are the recommended alternatives. A legacy index " +
			"named explicitly, `USING 'legacy_local_table'` (5.0) or the class " +
			"`org.apache.cassandra.index.internal.CassandraIndex`, is reported as one. Other custom index " +
			"classes are not reported.",
		Sources: []string{
			"https://cassandra.apache.org/doc/latest/cassandra/developing/cql/indexing/2i/2i-concepts.html",
			"https://cassandra.apache.org/doc/latest/cassandra/developing/cql/indexing/sai/sai-overview.html",
			"https://docs.datastax.com/en/cql-oss/3.3/cql/cql_using/useWhenIndex.html",
		},
		Example: "CREATE INDEX IF NOT EXISTS users_email ON ks.users (email);",
	})
}
