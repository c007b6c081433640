package engine_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/cqltrack/cqltrack/engine"
	"github.com/cqltrack/cqltrack/engine/cqltest"
	"github.com/cqltrack/cqltrack/engine/cqltest/store"
	"github.com/cqltrack/cqltrack/engine/history"
)

// The cqltrack process is killed with SIGKILL while down statement 2 of 3
// of a rollback runs on the cluster. The record says rolling_back with one
// down statement run; once the dead process's lock expires, the next
// rollback resumes at down statement 2 (accepting its change, made by the
// held execution) and removes the record.
func TestKilledRollbackResumes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL is a Unix signal")
	}
	clk := store.NewManualClock(time.Now())
	tg := newStandIn(t, "a pausing fault and a manual clock", cqltest.WithClock(clk))
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "migrations"), 0o755); err != nil {
		t.Fatal(err)
	}
	v1 := "CREATE TABLE r_a (id int PRIMARY KEY);\nCREATE TABLE r_b (id int PRIMARY KEY);\nCREATE TABLE r_c (id int PRIMARY KEY);\n" +
		"-- @down\nDROP TABLE r_c;\nDROP TABLE r_b;\nDROP TABLE r_a;\n"
	if err := os.WriteFile(filepath.Join(dir, "migrations", "V001__three.cql"), []byte(v1), 0o644); err != nil {
		t.Fatal(err)
	}
	e := tg.initialized(t, os.DirFS(dir))
	ctx := context.Background()
	if _, err := e.Migrate(ctx, engine.MigrateOptions{}); err != nil {
		t.Fatal(err)
	}
	pause := tg.Cluster.Inject(cqltest.Fault{Match: "DROP TABLE r_b", Nth: 1, Pause: true})
	killWhenPaused(t, tg, dir, pause, "down statement 2", "rollback") // the held DROP runs then

	if m := stateOf(t, status(t, e), 1); m.State != engine.StateRollingBack || m.StatementsApplied != 1 || m.StatementsTotal != 3 {
		t.Fatalf("after the kill V1 is %s with %d/%d down statements run, want rolling_back 1/3", m.State, m.StatementsApplied, m.StatementsTotal)
	}
	clk.Advance(2 * time.Minute) // past lock.ttl: the lease expires

	out2, err := tg.cliCommand(t, dir, "rollback").CombinedOutput()
	if err != nil {
		t.Fatalf("rollback after the kill: %v\n%s", err, out2)
	}
	if !strings.Contains(string(out2), "resuming at down statement 2") {
		t.Errorf("second rollback does not say where it resumed:\n%s", out2)
	}
	if _, ok := tg.records(t)[1]; ok {
		t.Errorf("V1's record is still there after the rollback: %+v", tg.records(t)[1])
	}
	for _, tb := range []string{"r_a", "r_b", "r_c"} {
		if len(tg.columns(t, tb)) > 0 {
			t.Errorf("table %s is still there", tb)
		}
	}
	if n := countEvents(tg.events(t), history.EventRollback, 1); n != 1 {
		t.Errorf("%d rollback events for V1, want 1", n)
	}
}
