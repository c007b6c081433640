package builtin

import "github.com/cqltrack/cqltrack/lint/sdk"

// compaction-change: switching compaction strategy makes every node
// rewrite the table's SSTables, a heavy and long I/O load.
func init() {
	register(Rule{
		Rule: sdk.Rule{
			ID:       "compaction-change",
			Severity: sdk.Warning,
			Summary:  "changing the compaction strategy rewrites every SSTable of the table",
			Kinds:    []string{"ALTER TABLE", "ALTER MATERIALIZED VIEW"},
			Check: func(p *sdk.Pass) {
				ast := astOf(p)
				prop := property(ast.Get("options"), "compaction")
				if prop.IsNull() {
					return
				}
				if prop.Path("value", "node").Str() != "collection" {
					return // not a map: refused as invalid, nothing to compare
				}
				class, ok := mapLiteral(prop.Get("value"))["class"]
				if !ok {
					p.ReportSeverityf(sdk.Error, pos(prop.Get("pos")), "compaction of %s has no 'class': Cassandra refuses it (\"Missing sub-option 'class' for the 'compaction' option\"); name the strategy, even to change only sub-options",
						qualified(ast.Get("name")))
					return
				}
				to := shortClass(class)
				from := ""
				if p.Before != nil && p.Before.Table != nil {
					from = shortClass(p.Before.Table.Options["compaction"].Get("class").Str())
				}
				switch {
				case from != "" && from == to:
					return // only sub-options change; no rewrite
				case from != "":
					p.Reportf(pos(prop.Get("pos")), "compaction of %s changes from %s to %s: every node rewrites all of the table's SSTables; roll it out node by node or off-peak",
						qualified(ast.Get("name")), from, to)
				default:
					p.Reportf(pos(prop.Get("pos")), "compaction of %s changes to %s: every node recompacts the table's SSTables; roll it out node by node or off-peak",
						qualified(ast.Get("name")), to)
				}
			},
		},
		Why: "A new compaction strategy applies at once on every node and reorganises all existing SSTables " +
			"(moving from SizeTiered to Leveled compacts the whole table into levels), which costs disk I/O, CPU " +
			"and temporary disk space and raises latencies. Operators usually test it on one node first through " +
			"JMX. Changing only sub-options of the same strategy is not reported. A compaction map without " +
			"`class` is refused by Cassandra (\"Missing sub-option 'class' for the 'compaction' option\"), even " +
			"to change only sub-options, and is reported as an error.",
		Sources: []string{
			"https://cassandra.apache.org/doc/latest/cassandra/managing/operating/compaction/index.html",
			"https://docs.datastax.com/en/cassandra-oss/3.x/cassandra/operations/opsConfigureCompaction.html",
			"https://github.com/apache/cassandra/blob/trunk/src/java/org/apache/cassandra/schema/CompactionParams.java",
		},
		BeforeKinds: []string{"ALTER TABLE", "ALTER MATERIALIZED VIEW"},
		Example:     "ALTER TABLE ks.events WITH compaction = {'class': 'LeveledCompactionStrategy'};",
	})
}
