package doctest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cqltrack/cqltrack/engine/cqltest"
)

// repoRoot is the repository, two levels above this package.
var repoRoot = func() string {
	dir, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		panic(err)
	}
	return dir
}()

// binDir holds the cqltrack binary TestMain builds; the examples find it
// on PATH as a reader who ran `go install` would.
var binDir string

// blockTimeout bounds one example: a hung command fails its block instead
// of the whole test binary.
const blockTimeout = 2 * time.Minute

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "cqltrack-doctest-")
	if err != nil {
		fmt.Fprintf(os.Stderr, "doctest: %v\n", err)
		return 1
	}
	defer os.RemoveAll(dir)
	binDir = filepath.Join(dir, "bin")
	exe := "cqltrack"
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	build := exec.Command(goTool(), "build", "-o", filepath.Join(binDir, exe), "./cmd/cqltrack")
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "doctest: build cqltrack: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

// goTool is the go command of the toolchain running the tests.
func goTool() string {
	if p := filepath.Join(runtime.GOROOT(), "bin", "go"); runtime.GOROOT() != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return "go"
}

// documents is README.md and every docs/*.md, relative to the repository.
func documents(t *testing.T) []string {
	t.Helper()
	docs, err := filepath.Glob(filepath.Join(repoRoot, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	docs = append([]string{filepath.Join(repoRoot, "README.md")}, docs...)
	for i, d := range docs {
		rel, err := filepath.Rel(repoRoot, d)
		if err != nil {
			t.Fatal(err)
		}
		docs[i] = filepath.ToSlash(rel)
	}
	sort.Strings(docs[1:])
	return docs
}

// docBlocks reads a document's blocks.
func docBlocks(t *testing.T, doc string) []block {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, doc))
	if err != nil {
		t.Fatal(err)
	}
	blocks, err := parseBlocks(doc, string(data))
	if err != nil {
		t.Fatal(err)
	}
	return blocks
}

// TestDocExamples runs every runnable example of the documentation, each
// document in its own directory against its own cluster.
func TestDocExamples(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed: the examples are bash")
	}
	cache := t.TempDir() // one compiled-plugin cache for every document
	for _, doc := range documents(t) {
		blocks := docBlocks(t, doc)
		if !hasRunnable(blocks) {
			continue
		}
		t.Run(doc, func(t *testing.T) {
			t.Parallel()
			cluster := cqltest.NewCluster(t)
			dir := t.TempDir()
			env := exampleEnv(t.TempDir(), cache, cluster)
			for _, b := range blocks {
				if err := runBlock(context.Background(), b, dir, env); err != nil {
					t.Fatalf("%v\n(the rest of %s was not run: its examples build on this one)", err, doc)
				}
			}
		})
	}
}

func hasRunnable(blocks []block) bool {
	for _, b := range blocks {
		if b.runnable {
			return true
		}
	}
	return false
}

// exampleEnv is the environment of the examples: the built cqltrack first
// on PATH, the cluster in CQLTRACK_HOSTS and CQLTRACK_PORT, and nothing
// from the machine's own cqltrack settings, home or caches.
func exampleEnv(home, cache string, cluster *cqltest.Cluster) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(name, "CQLTRACK_"), name == "PATH", name == "HOME",
			name == "XDG_CACHE_HOME", name == "NO_COLOR", name == "CDPATH", name == "BASH_ENV", name == "ENV":
			continue
		}
		env = append(env, kv)
	}
	env = append(env,
		"PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"),
		"HOME="+home,
		"XDG_CACHE_HOME="+cache,
		"NO_COLOR=1",
	)
	if cluster != nil {
		env = append(env,
			"CQLTRACK_HOSTS="+strings.Join(cluster.Hosts(), ","),
			"CQLTRACK_PORT="+strconv.Itoa(cluster.Port()),
		)
	}
	return env
}

// runBlock writes a file= block into dir, or runs a runnable one there
// with bash; other blocks are left alone. The error names the block's
// document and line, and carries its output.
func runBlock(ctx context.Context, b block, dir string, env []string) error {
	switch {
	case b.file != "":
		if filepath.IsAbs(b.file) || !filepath.IsLocal(b.file) {
			return fmt.Errorf("%s: file=%s must be a relative path inside the example's directory", b.where(), b.file)
		}
		path := filepath.Join(dir, filepath.FromSlash(b.file))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("%s: %w", b.where(), err)
		}
		if err := os.WriteFile(path, []byte(b.body), 0o644); err != nil {
			return fmt.Errorf("%s: %w", b.where(), err)
		}
		return nil
	case !b.runnable:
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, blockTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", b.body)
	cmd.Dir = dir
	cmd.Env = env
	cmd.WaitDelay = 5 * time.Second // a background process keeping the pipes open
	out, err := cmd.CombinedOutput()
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			err = fmt.Errorf("still running after %s", blockTimeout)
		}
		return fmt.Errorf("%s: %s example failed: %w\n--- example\n%s--- output\n%s", b.where(), b.lang, err, b.body, out)
	}
	return nil
}
