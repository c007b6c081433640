package engine_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cqltrack/cqltrack/engine"
	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/engine/cqltest"
)

// buildProbe builds the hooks tests' probe module (hooks/testdata/probe)
// for wasip1 and returns its path.
func buildProbe(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "probe.wasm")
	cmd := exec.Command("go", "build", "-buildmode=c-shared", "-trimpath", "-o", path, "../hooks/testdata/probe")
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build probe hook: %v\n%s", err, b)
	}
	return path
}

// probeHook configures the probe at path with the given pre and post
// behaviours.
func probeHook(path, pre, post string) config.Hook {
	return config.Hook{
		Plugin:  config.Plugin{Path: path, Config: map[string]any{"pre": pre, "post": post}, Timeout: 30 * time.Second},
		OnError: config.OnErrorFail,
	}
}

// TestHooks: post-migrate hooks are told each migration's outcome under
// its description, and a failing one fails the run after the migration is
// applied. (Denies and the command's exit codes are testscripts/hooks_probe.txtar's.)
func TestHooks(t *testing.T) {
	tg := newTarget(t)
	ctx := context.Background()
	cfg := tg.config()
	cfg.PluginCacheDir = t.TempDir()
	cfg.Hooks.PostMigrate = []config.Hook{probeHook(buildProbe(t), "", "echo")}
	e := tg.engine(t, cfg, opsMigrations())
	if _, err := e.Init(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := e.Migrate(ctx, engine.MigrateOptions{Target: 1})
	if !errors.Is(err, engine.ErrPlugin) {
		t.Fatalf("migrate with a failing post hook: %v, want ErrPlugin", err)
	}
	if len(r.Migrations) != 1 || r.Migrations[0].Status != "applied" {
		t.Fatalf("migrate with a failing post hook: %+v, want V1 applied all the same", r.Migrations)
	}
	for _, want := range []string{`"description":"create users"`, `"status":"applied"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("post hook's outcome (echoed in the error) lacks %s:\n%v", want, err)
		}
	}
}

// A migration that ends without an answer (its statement timed out: left
// interrupted) is "failed" to the post hooks, with the error, and counted
// as failed in the run's summary: docs/hooks.md promises applied or failed.
func TestPostHookSeesInterruptedAsFailed(t *testing.T) {
	tg := newStandIn(t, "fault")
	ctx := context.Background()
	fsys := files(map[string]string{"V001__t.cql": "CREATE TABLE t (id int PRIMARY KEY);\n"})
	tg.initialized(t, fsys)
	cfg := tg.config()
	cfg.PluginCacheDir = t.TempDir()
	cfg.Cassandra.RequestTimeout = 300 * time.Millisecond
	probe := buildProbe(t)
	cfg.Hooks.PostMigrate = []config.Hook{probeHook(probe, "", "echo")}
	e := tg.engine(t, cfg, fsys)
	in := tg.Cluster.Inject(cqltest.Fault{Match: "CREATE TABLE t", Delay: time.Second})
	defer in.Remove()
	r, err := e.Migrate(ctx, engine.MigrateOptions{})
	if err == nil {
		t.Fatal("migrate with a statement answering after the request timeout succeeded")
	}
	if len(r.Migrations) != 1 || r.Migrations[0].Status != string(engine.StateInterrupted) {
		t.Fatalf("report: %+v, want V001 interrupted", r.Migrations)
	}
	for _, want := range []string{`"status":"failed"`, `"error":"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("post hook's outcome (echoed in the error) lacks %s:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), `"status":"interrupted"`) {
		t.Errorf("post hook was told a status docs/hooks.md does not have:\n%v", err)
	}
}
