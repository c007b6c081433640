package builtin

import "github.com/cqltrack/cqltrack/lint/sdk"

// gc-grace-lowered: tombstones older than gc_grace_seconds are purged; a
// replica that missed a delete and is repaired after that resurrects the
// data. Lowering the value needs repairs that run more often.
func init() {
	register(Rule{
		Rule: sdk.Rule{
			ID:       "gc-grace-lowered",
			Severity: sdk.Warning,
			Summary:  "lowering gc_grace_seconds risks deleted data coming back",
			Kinds:    []string{"CREATE TABLE", "ALTER TABLE", "CREATE MATERIALIZED VIEW", "ALTER MATERIALIZED VIEW"},
			Options:  `{"type": "object", "properties": {"min_seconds": {"type": "integer", "minimum": 0, "description": "also report any gc_grace_seconds set below this, in CREATE and ALTER"}}}`,
			Check: func(p *sdk.Pass) {
				minimum, hasMin := p.Options.Get("min_seconds").Int()
				if !hasMin && !p.Options.Get("min_seconds").IsNull() {
					panic("option min_seconds must be an integer")
				}
				ast := astOf(p)
				prop := property(ast.Get("options"), "gc_grace_seconds")
				to, ok := literalInt(prop.Get("value"))
				if !ok {
					return
				}
				if p.Before != nil && p.Before.Table != nil {
					if from, ok := p.Before.Table.Options["gc_grace_seconds"].Int(); ok && to < from {
						p.Reportf(pos(prop.Get("pos")), "gc_grace_seconds of %s lowered from %d to %d: a full repair must now complete within %d s or deleted data can reappear",
							qualified(ast.Get("name")), from, to, to)
						return
					}
				}
				if hasMin && to < minimum {
					p.Reportf(pos(prop.Get("pos")), "gc_grace_seconds of %s is %d, below the configured minimum of %d: deleted data can reappear unless every node is repaired that often",
						qualified(ast.Get("name")), to, minimum)
				}
			},
		},
		Why: "A delete is a tombstone that must reach every replica before compaction purges it, which it may do " +
			"after `gc_grace_seconds` (10 days by default). A replica that missed the delete and is repaired after " +
			"that sends the old value back: the data is resurrected. Every node must be repaired within " +
			"gc_grace_seconds, so lowering it is safe only with repairs that run that often. With the " +
			"`min_seconds` option, any value set below it is reported too, in CREATE as in ALTER.",
		Sources: []string{
			"https://cassandra.apache.org/doc/latest/cassandra/managing/operating/compaction/index.html#tombstones-and-garbage-collection-gc-grace",
			"https://thelastpickle.com/blog/2016/07/27/about-deletes-and-tombstones.html",
		},
		BeforeKinds: []string{"ALTER TABLE", "ALTER MATERIALIZED VIEW"},
		Example:     "CREATE TABLE IF NOT EXISTS ks.events (id uuid PRIMARY KEY, payload text);\n-- later: from the default 864000 (10 days) to an hour\nALTER TABLE ks.events WITH gc_grace_seconds = 3600;",
	})
}
