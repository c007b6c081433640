package builtin

import (
	"strings"

	"github.com/cqltrack/cqltrack/lint/sdk"
)

// removedOptions are table options Cassandra no longer accepts, with the
// release that removed them and what replaces them.
var removedOptions = map[string]string{
	"read_repair_chance":          "removed in 4.0 (CASSANDRA-13910); use read_repair = 'BLOCKING' or 'NONE'",
	"dclocal_read_repair_chance":  "removed in 4.0 (CASSANDRA-13910); use read_repair = 'BLOCKING' or 'NONE'",
	"index_interval":              "removed in 3.0; use min_index_interval and max_index_interval",
	"replicate_on_write":          "removed in 2.1; counters always replicate",
	"populate_io_cache_on_flush":  "removed in 2.1",
	"compaction_strategy_class":   "removed in 2.0; use compaction = {'class': ...}",
	"compaction_strategy_options": "removed in 2.0; use compaction = {...}",
	"compression_parameters":      "removed in 2.0; use compression = {...}",
	"min_compaction_threshold":    "removed in 2.0; use compaction = {'min_threshold': ...}",
	"max_compaction_threshold":    "removed in 2.0; use compaction = {'max_threshold': ...}",
}

// removed-table-options: options that 4.x rejects make the migration fail
// on upgrade-era clusters and on fresh environments.
func init() {
	register(Rule{
		Rule: sdk.Rule{
			ID:       "removed-table-options",
			Severity: sdk.Error,
			Summary:  "table options removed from Cassandra (read_repair_chance and friends) are rejected by 4.x",
			Kinds:    []string{"CREATE TABLE", "ALTER TABLE", "CREATE MATERIALIZED VIEW", "ALTER MATERIALIZED VIEW"},
			Check: func(p *sdk.Pass) {
				for _, prop := range astOf(p).Get("options").Items() {
					name := strings.ToLower(prop.Get("name").Str())
					if why, ok := removedOptions[name]; ok {
						p.Reportf(pos(prop.Get("pos")), "table option %s is %s: the statement fails on Cassandra 4.x and later", name, why)
					}
				}
			},
		},
		Why: "Schemas exported from 3.x (or older blog posts) carry options that later releases removed; " +
			"Cassandra 4.0 dropped `read_repair_chance` and `dclocal_read_repair_chance` (CASSANDRA-13910) and " +
			"refuses a statement that sets them with \"Unknown property\". A migration with them fails on every " +
			"cluster upgraded past 3.11 and on every fresh test environment.",
		Sources: []string{
			"https://issues.apache.org/jira/browse/CASSANDRA-13910",
			"https://cassandra.apache.org/doc/latest/cassandra/developing/cql/ddl.html#create-table-options",
		},
		Example: "CREATE TABLE IF NOT EXISTS ks.t (id int PRIMARY KEY) WITH read_repair_chance = 0.1;",
	})
}
