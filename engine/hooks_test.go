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

// TestHooks: a pre-migrate deny stops Migrate before anything runs (and a
// dry run shows it), and post-migrate hooks are told each migration's
// outcome under its description.
func TestHooks(t *testing.T) {
	tg := newTarget(t)
	ctx := context.Background()
	cfg := tg.config()
	cfg.PluginCacheDir = t.TempDir()
	wasm := buildProbe(t)
	cfg.Hooks.PreMigrate = []config.Hook{probeHook(wasm, "deny", "")}
	e := tg.engine(t, cfg, opsMigrations())
	if _, err := e.Init(ctx); err != nil {
		t.Fatal(err)
	}

	if _, err := e.Migrate(ctx, engine.MigrateOptions{Target: 1, DryRun: true}); !errors.Is(err, engine.ErrDenied) {
		t.Fatalf("dry run with a denying pre hook: %v, want ErrDenied", err)
	}
	r, err := e.Migrate(ctx, engine.MigrateOptions{Target: 1})
	if !errors.Is(err, engine.ErrDenied) || !strings.Contains(err.Error(), "probe says no") {
		t.Fatalf("migrate with a denying pre hook: %v, want ErrDenied with the hook's message", err)
	}
	if len(r.Migrations) != 0 || len(tg.records(t)) != 0 {
		t.Fatalf("denied migrate ran %+v and recorded %v, want nothing", r.Migrations, tg.records(t))
	}

	cfg.Hooks.PreMigrate = nil
	cfg.Hooks.PostMigrate = []config.Hook{probeHook(wasm, "", "echo")}
	e = tg.engine(t, cfg, opsMigrations())
	r, err = e.Migrate(ctx, engine.MigrateOptions{Target: 1})
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
