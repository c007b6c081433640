package hooks_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// wasmPath maps a module name to the file TestMain built it into.
var wasmPath = map[string]string{}

// TestMain builds the probe hook and the two example hooks for wasip1 once
// per test run (go's build cache makes a rebuild cheap).
func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "cqltrack-hooks-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	for name, pkg := range map[string]string{
		"probe":         "./testdata/probe",
		"change-window": "../examples/hooks/change-window",
		"ticket-id":     "../examples/hooks/ticket-id",
	} {
		out := filepath.Join(dir, name+".wasm")
		cmd := exec.Command("go", "build", "-buildmode=c-shared", "-trimpath", "-o", out, pkg)
		cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0")
		if b, err := cmd.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "build %s: %v\n%s", pkg, err, b)
			return 1
		}
		wasmPath[name] = out
	}
	return m.Run()
}
