package plugins

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
)

// Test plugins are built from the Go sources in testdata once per test
// binary run and cached by source hash under os.TempDir, so `go test`
// stays fast when nothing changed.

var (
	testWasm     = map[string][]byte{} // testdata directory name -> module
	testCacheDir string                // shared compilation cache of the tests
)

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "cqltrack-plugins-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	testCacheDir = dir
	for _, name := range []string{"rules", "bad", "noexport", "abi2", "badinit", "minimal"} {
		b, err := buildTestPlugin(name)
		if err != nil {
			fmt.Fprintf(os.Stderr, "build testdata/%s: %v\n", name, err)
			return 1
		}
		testWasm[name] = b
	}
	return m.Run()
}

// buildTestPlugin builds testdata/<name> for wasip1 as a reactor, reusing
// a module built earlier from the same sources.
func buildTestPlugin(name string) ([]byte, error) {
	h := sha256.New()
	fmt.Fprintln(h, runtime.Version())
	for _, dir := range []string{filepath.Join("testdata", name), "abi", filepath.Join("..", "lint", "sdk"), filepath.Join("..", "internal")} {
		if err := hashGoFiles(h, dir); err != nil {
			return nil, err
		}
	}
	sum := hex.EncodeToString(h.Sum(nil))[:24]
	cached := filepath.Join(os.TempDir(), "cqltrack-testdata-wasm", name+"-"+sum+".wasm")
	if b, err := os.ReadFile(cached); err == nil {
		return b, nil
	}
	if err := os.MkdirAll(filepath.Dir(cached), 0o755); err != nil {
		return nil, err
	}
	tmp := cached + ".tmp" + fmt.Sprint(os.Getpid())
	cmd := exec.Command("go", "build", "-buildmode=c-shared", "-o", tmp, "./testdata/"+name)
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("%v\n%s", err, out)
	}
	if err := os.Rename(tmp, cached); err != nil {
		return nil, err
	}
	return os.ReadFile(cached)
}

func hashGoFiles(h interface{ Write([]byte) (int, error) }, dir string) error {
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != dir && (d.Name() == "testdata" || d.Name() == "sdktest") {
			return filepath.SkipDir // not dependencies of the plugins
		}
		if strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		fmt.Fprintf(h.(interface{ Write([]byte) (int, error) }), "%s %d\n", f, len(b))
		h.Write(b)
	}
	return nil
}

func testHost() Host {
	return Host{CacheDir: testCacheDir, Logger: slog.New(slog.DiscardHandler)}
}

func testSpec(name string) Spec {
	return Spec{Name: name, Bytes: testWasm[name]}
}
