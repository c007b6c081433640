// Package fuzzseed writes the seed corpus of a Go fuzz target, for tests
// that generate theirs (run with -update-corpus): testdata/fuzz/<target>/
// seed000, seed001, ... in the format `go test` reads. Only files named
// seed* are replaced; inputs the fuzzer found stay as regression cases.
package fuzzseed

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// Write replaces the seed* files of target's corpus with one file per
// seed; typ is the fuzz argument's Go type as the format spells it
// ("string" or "[]byte").
func Write(t testing.TB, target, typ string, seeds []string) {
	t.Helper()
	dir := filepath.Join("testdata", "fuzz", target)
	old, _ := filepath.Glob(filepath.Join(dir, "seed*"))
	for _, f := range old {
		if err := os.Remove(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, s := range seeds {
		body := "go test fuzz v1\n" + typ + "(" + strconv.Quote(s) + ")\n"
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("seed%03d", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
