package doctest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestWritingPluginsExample keeps docs/writing-plugins.md true: its plugin
// sources (the file= blocks) are put in a module of their own that uses this
// repository, their native tests pass, the page's build command produces a
// module, and cqltrack configured as the page shows reports the finding the
// page prints.
func TestWritingPluginsExample(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a WebAssembly module")
	}
	const doc = "docs/writing-plugins.md"
	blocks := docBlocks(t, doc)
	mod := t.TempDir()
	env := append(exampleEnv(t.TempDir(), t.TempDir(), nil),
		// Resolve github.com/cqltrack/cqltrack to this checkout and every
		// other module from the local cache: no network in tests.
		"GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off",
		"GOCACHE="+goEnv(t, "GOCACHE"), "GOMODCACHE="+goEnv(t, "GOMODCACHE"), "GOPATH="+goEnv(t, "GOPATH"))
	goMod := "module example.com/acme/cqlrules\n\ngo 1.25.0\n\nrequire github.com/cqltrack/cqltrack v0.0.0\n\nreplace github.com/cqltrack/cqltrack => " + repoRoot + "\n"
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte(goMod), 0o644); err != nil {
		t.Fatal(err)
	}
	var build, config, lintOut *block
	for i := range blocks {
		b := &blocks[i]
		switch {
		case b.file != "":
			if err := runBlock(context.Background(), *b, mod, env); err != nil {
				t.Fatal(err)
			}
		case strings.Contains(b.body, "GOOS=wasip1 GOARCH=wasm go build"):
			build = b
		case b.lang == "yaml" && strings.Contains(b.body, "lint:") && strings.Contains(b.body, "sha256:"):
			config = b
		case strings.Contains(b.body, "$ cqltrack lint"):
			lintOut = b
		}
	}
	if build == nil || config == nil || lintOut == nil {
		t.Fatalf("%s: missing the build command, the configuration or the lint output", doc)
	}
	for _, name := range []string{"rules.go", "rules_test.go", "testdata/table-comment.txtar"} {
		if _, err := os.Stat(filepath.Join(mod, name)); err != nil {
			t.Fatalf("%s has no file=%s block: %v", doc, name, err)
		}
	}

	test := exec.Command(goTool(), "test", "./...")
	test.Dir, test.Env = mod, env
	if out, err := test.CombinedOutput(); err != nil {
		t.Fatalf("%s: go test of the example plugin: %v\n%s", doc, err, out)
	}

	// The page's own build command, run as written.
	cmdLine := ""
	for _, line := range strings.Split(build.body, "\n") {
		if strings.Contains(line, "go build") {
			cmdLine = line
		}
	}
	run := block{doc: build.doc, line: build.line, lang: "sh", runnable: true,
		body: strings.Replace(cmdLine, " go build ", " "+goTool()+" build ", 1) + "\n"}
	if err := runBlock(context.Background(), run, mod, env); err != nil {
		t.Fatal(err)
	}
	wasm, err := os.ReadFile(filepath.Join(mod, "acme-rules.wasm"))
	if err != nil {
		t.Fatalf("%s: the build command wrote no acme-rules.wasm: %v", build.where(), err)
	}
	sum := sha256.Sum256(wasm)

	// The page's configuration, with the digest of this build: the digest
	// printed on the page depends on the Go version that built it.
	proj := t.TempDir()
	cfg := regexp.MustCompile(`sha256: [0-9a-f]{64}`).ReplaceAllString(config.body, "sha256: "+hex.EncodeToString(sum[:]))
	files := map[string]string{
		"cqltrack.yml":               cfg,
		"plugins/acme-rules.wasm":    string(wasm),
		"migrations/V001__users.cql": "CREATE TABLE IF NOT EXISTS users (id uuid PRIMARY KEY, email text);\n\n-- @down\nDROP TABLE IF EXISTS users;\n",
	}
	for name, content := range files {
		path := filepath.Join(proj, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	lint := exec.Command(filepath.Join(binDir, "cqltrack"), "lint")
	lint.Dir, lint.Env = proj, env
	out, err := lint.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("cqltrack lint with the example plugin: %v, want exit 1 (an error finding)\n%s", err, out)
	}
	for _, line := range strings.Split(lintOut.body, "\n") {
		if strings.HasPrefix(line, "ERR ") || strings.HasSuffix(line, " info") {
			if !strings.Contains(string(out), line) {
				t.Errorf("%s: the page shows %q; cqltrack lint printed:\n%s", lintOut.where(), line, out)
			}
		}
	}
}

// goEnv is a go env variable of the toolchain running the tests, so the
// example's builds share its caches.
func goEnv(t *testing.T, name string) string {
	t.Helper()
	out, err := exec.Command(goTool(), "env", name).Output()
	if err != nil {
		t.Fatalf("go env %s: %v", name, err)
	}
	return strings.TrimSpace(string(out))
}
