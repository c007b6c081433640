package lint

import (
	"strings"
	"testing"
)

// releaseProject is a Cassandra 3.11 project: its first migration sets
// read_repair_chance, which 4.0 removed, and its second lowers
// gc_grace_seconds, which gc-grace-lowered reports only when the replay
// holds the table the first created.
var releaseProject = map[string]string{
	"V001__users.cql": "CREATE TABLE IF NOT EXISTS users (id uuid PRIMARY KEY, name text) WITH read_repair_chance = 0.2;\n-- @down\nDROP TABLE IF EXISTS users;\n",
	"V002__grace.cql": "ALTER TABLE users WITH gc_grace_seconds = 3600;\n-- @down\nALTER TABLE users WITH gc_grace_seconds = 864000;\n",
}

// TestReplayAsConfiguredRelease: the replay builds the schema as
// schema.release. As 5.0 (the default) the 3.11 table is refused, so the
// rules see no table before V002; as 3.11 they see it. removed-table-options
// reports read_repair_chance either way: it is about upgrading past 3.11.
func TestReplayAsConfiguredRelease(t *testing.T) {
	cfg, _ := project(t, releaseProject)
	wantRules(t, run(t, options(cfg)), "V001__users.cql:1 removed-table-options")

	cfg.Schema.Release = "3.11"
	rep := run(t, options(cfg))
	wantRules(t, rep, "V001__users.cql:1 removed-table-options", "V002__grace.cql:1 gc-grace-lowered")
	if !strings.Contains(lines(rep), "lowered from 864000 to 3600") {
		t.Errorf("gc-grace-lowered did not see the table's 3.11 default:\n%s", lines(rep))
	}

	reqs, err := Requests(cfg, []Source{{Path: "V001__users.cql", Data: []byte(releaseProject["V001__users.cql"])},
		{Path: "V002__grace.cql", Data: []byte(releaseProject["V002__grace.cql"])}})
	if err != nil {
		t.Fatal(err)
	}
	before := reqs[1].Statements[0].Before
	if before == nil || before.Table == nil {
		t.Fatalf("V002 sees no table before it")
	}
	if v, ok := before.Table.Options["read_repair_chance"].Float(); !ok || v != 0.2 {
		t.Errorf("read_repair_chance before V002 = %v (%v), want 0.2", v, ok)
	}
	if _, ok := before.Table.Options["read_repair"]; ok {
		t.Errorf("a 3.11 table has 4.0's read_repair option")
	}
}

// TestResultCacheKeyedByRelease: findings depend on the release the replay
// builds the schema as, so changing schema.release lints every file again;
// "" and "5.0" build the same schema and share the cached results.
func TestResultCacheKeyedByRelease(t *testing.T) {
	cfg, _ := project(t, releaseProject)
	opts := cachedOptions(t, cfg)
	run(t, opts)
	plant(t, opts, "V002__grace.cql", 102)
	wantRules(t, run(t, opts), "V001__users.cql:1 removed-table-options", "V002__grace.cql:102 truncate")

	cfg.Schema.Release = "5.0"
	wantRules(t, run(t, opts), "V001__users.cql:1 removed-table-options", "V002__grace.cql:102 truncate")

	cfg.Schema.Release = "3.11"
	rep := run(t, opts)
	if strings.Contains(lines(rep), "planted") {
		t.Fatalf("a result cached for 5.0 was used for 3.11:\n%s", lines(rep))
	}
	wantRules(t, rep, "V001__users.cql:1 removed-table-options", "V002__grace.cql:1 gc-grace-lowered")
}
