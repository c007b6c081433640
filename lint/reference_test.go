package lint

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/rules.md from the rules")

// TestReference fails when docs/rules.md is not what the rules generate,
// so the rule reference never drifts from the code.
func TestReference(t *testing.T) {
	path := filepath.Join("..", "docs", "rules.md")
	got := Reference()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (generate it with go test ./lint -run TestReference -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is stale: regenerate it with go test ./lint -run TestReference -update", path)
	}
}
