package engine_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cqltrack/cqltrack/engine"
	"github.com/cqltrack/cqltrack/engine/cqltest"
	"github.com/cqltrack/cqltrack/engine/cqltest/store"
	"github.com/cqltrack/cqltrack/engine/history"
)

// binDir holds the cqltrack binary that TestMain's run builds on first use,
// so that tests which never run it do not pay for the build.
var (
	binDir   string
	binOnce  sync.Once
	binPath  string
	binError error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "cqltrack-engine-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// cqltrackBinary builds cmd/cqltrack once into binDir.
func cqltrackBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		name := "cqltrack"
		if runtime.GOOS == "windows" {
			name += ".exe"
		}
		binPath = filepath.Join(binDir, name)
		cmd := exec.Command("go", "build", "-o", binPath, "github.com/cqltrack/cqltrack/cmd/cqltrack")
		if out, err := cmd.CombinedOutput(); err != nil {
			binError = fmt.Errorf("go build cmd/cqltrack: %v\n%s", err, out)
		}
	})
	if binError != nil {
		t.Fatal(binError)
	}
	return binPath
}

// cliCommand prepares the binary to run against the target with the
// migrations in dir, with nothing from the machine's environment that
// could change its configuration.
func (tg *target) cliCommand(t *testing.T, dir string, args ...string) *exec.Cmd {
	cmd := exec.Command(cqltrackBinary(t), args...)
	cmd.Dir = dir
	env := []string{"HOME=" + dir, "NO_COLOR=1", "PATH=" + os.Getenv("PATH"),
		"CQLTRACK_HOSTS=" + strings.Join(tg.Hosts, ","), "CQLTRACK_PORT=" + strconv.Itoa(tg.Port),
		"CQLTRACK_KEYSPACE=" + tg.ks, "CQLTRACK_MIGRATIONS_DIR=" + filepath.Join(dir, "migrations"),
		"CQLTRACK_LOCK_WAIT=10s"}
	cmd.Env = env
	return cmd
}

// killMigration is five schema changes whose statements a test can tell
// apart, then one more migration.
var killMigrations = map[string]string{
	"V001__five.cql": `CREATE TABLE k_s1 (id int PRIMARY KEY);
CREATE TABLE k_s2 (id int PRIMARY KEY);
CREATE TABLE k_s3 (id int PRIMARY KEY);
CREATE TABLE k_s4 (id int PRIMARY KEY);
CREATE TABLE k_s5 (id int PRIMARY KEY);
`,
	"V002__after.cql": "CREATE TABLE k_after (id int PRIMARY KEY);\n",
}

// The cqltrack process is killed with SIGKILL right after statement k of
// a five-statement migration ran on the cluster, before it heard the
// answer. The next run completes the work: the history is consistent and
// no statement ran twice except the one in flight.
func TestKilledMigrateRecoversAtEveryStatement(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL is a Unix signal")
	}
	for k := 1; k <= 5; k++ {
		t.Run(fmt.Sprintf("after statement %d", k), func(t *testing.T) {
			killAfter(t, k)
		})
	}
}

func killAfter(t *testing.T, k int) {
	// The cluster's clock lets the dead process's lock expire at once.
	clk := store.NewManualClock(time.Now())
	tg := newStandIn(t, "a pausing fault and a manual clock", cqltest.WithClock(clk))
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "migrations"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range killMigrations {
		if err := os.WriteFile(filepath.Join(dir, "migrations", name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	e := tg.initialized(t, os.DirFS(dir))
	ctx := context.Background()

	// The pausing fault comes first: the statement it holds is not seen by
	// the counters after it, which count every other execution.
	pause := tg.Cluster.Inject(cqltest.Fault{Regexp: regexp.MustCompile(`^CREATE TABLE k_s\d `), Nth: k, Pause: true})
	counters := make([]*cqltest.Injection, 6)
	for j := 1; j <= 5; j++ {
		counters[j] = tg.Cluster.Inject(cqltest.Fault{Match: fmt.Sprintf("CREATE TABLE k_s%d (", j)})
	}
	tg.Cluster.ResetStats()

	if held := killWhenPaused(t, tg, dir, pause, fmt.Sprintf("statement %d", k), "migrate"); !strings.Contains(held, fmt.Sprintf("k_s%d ", k)) {
		t.Fatalf("paused at %q, want statement %d", held, k)
	}

	// What the dead process left: an interrupted attempt at k-1 of 5 (the
	// answer to statement k never came back), and its lock.
	st, err := e.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if m := stateOf(t, st, 1); m.State != engine.StateInterrupted || m.StatementsApplied != k-1 {
		t.Fatalf("after the kill V1 is %s with %d applied, want interrupted with %d", m.State, m.StatementsApplied, k-1)
	}
	if st.Lock == nil {
		t.Fatal("after the kill the lock is free; the dead process should still hold it")
	}
	clk.Advance(2 * time.Minute) // past lock.ttl: the lease expires

	out2, err := tg.cliCommand(t, dir, "migrate").CombinedOutput()
	if err != nil {
		t.Fatalf("migrate after the kill: %v\n%s", err, out2)
	}
	if want := fmt.Sprintf("resuming at statement %d", k); k > 1 && !strings.Contains(string(out2), want) {
		t.Errorf("second run does not say %q:\n%s", want, out2)
	}

	for j := 1; j <= 5; j++ {
		runs := counters[j].Hits()
		if j == k {
			runs++ // the execution the pause held
		}
		if j == k && (runs < 1 || runs > 2) {
			t.Errorf("statement %d (in flight at the kill) ran %d times, want 1 or 2", j, runs)
		}
		if j != k && runs != 1 {
			t.Errorf("statement %d ran %d times, want exactly 1", j, runs)
		}
	}
	if got := ddl(tg.Cluster); got != 6 {
		t.Errorf("the server made %d schema changes, want 6 (each table once)", got)
	}

	recs := tg.records(t)
	if r := recs[1]; r.Status != history.StatusSuccess || r.StatementsApplied != 5 || r.StatementsTotal != 5 {
		t.Errorf("history V1: %s %d/%d, want success 5/5", r.Status, r.StatementsApplied, r.StatementsTotal)
	}
	if r := recs[2]; r.Status != history.StatusSuccess {
		t.Errorf("history V2: %s, want success", r.Status)
	}
	evs := tg.events(t)
	if a, ok := countEvents(evs, history.EventAttempt, 1), countEvents(evs, history.EventApplied, 1); a != 2 || ok != 1 {
		t.Errorf("event log V1: %d attempts, %d applied; want 2 and 1", a, ok)
	}
	st, err = e.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := states(st); got != "V1=applied V2=applied" || st.Lock != nil {
		t.Errorf("status %s, lock %v; want both applied and the lock free", got, st.Lock)
	}
}

// Five cqltrack processes started together on one cluster all exit 0, and
// each migration is applied once.
func TestRacingProcessesApplyEachMigrationOnce(t *testing.T) {
	tg := newTarget(t)
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "migrations"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range raceMigrations {
		if err := os.WriteFile(filepath.Join(dir, "migrations", name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := tg.cliCommand(t, dir, "init").CombinedOutput(); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	if tg.Cluster != nil {
		tg.Cluster.ResetStats()
		tg.Cluster.Inject(cqltest.Fault{Match: "CREATE TABLE users (", Delay: 300 * time.Millisecond})
	}
	cmds := make([]*exec.Cmd, 5)
	outs := make([]bytes.Buffer, 5)
	for i := range cmds {
		cmds[i] = tg.cliCommand(t, dir, "migrate")
		cmds[i].Stdout, cmds[i].Stderr = &outs[i], &outs[i]
	}
	for _, c := range cmds {
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
	}
	applied := 0
	for i, c := range cmds {
		if err := c.Wait(); err != nil {
			t.Errorf("process %d: %v\n%s", i+1, err, outs[i].String())
		}
		if strings.Contains(outs[i].String(), "applied 3 migration(s)") {
			applied++
		}
	}
	if applied != 1 {
		for i := range outs {
			t.Logf("process %d:\n%s", i+1, outs[i].String())
		}
		t.Errorf("%d processes applied the migrations, want 1", applied)
	}
	if tg.Cluster != nil {
		if got := ddl(tg.Cluster); got != raceDDL {
			t.Errorf("the server made %d schema changes, want %d", got, raceDDL)
		}
	}
	var hits int64
	if err := tg.session(t).Query(context.Background(), "SELECT n FROM "+tg.ks+".hits WHERE k = 'migrations'").Scan(&hits); err != nil {
		t.Fatal(err)
	}
	if hits != 1 {
		t.Errorf("the counter update ran %d times, want 1", hits)
	}
}

// killWhenPaused runs the CLI with args in dir, SIGKILLs it once pause
// holds one of its statements (what names the statement for messages),
// then lets the held statement run, as a process killed mid-statement
// leaves it. It returns the held statement's text.
func killWhenPaused(t *testing.T, tg *target, dir string, pause *cqltest.Injection, what string, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	cmd := tg.cliCommand(t, dir, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	var held string
	select {
	case held = <-pause.Paused():
	case err := <-exited:
		t.Fatalf("cqltrack exited (%v) before %s:\n%s", err, what, out.String())
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("cqltrack never reached %s:\n%s", what, out.String())
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	if err := <-exited; err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("cqltrack ended with %v, want killed", err)
	}
	pause.Remove()
	return held
}
