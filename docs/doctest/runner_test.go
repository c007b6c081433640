package doctest

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseBlocks(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []block
	}{
		{
			name: "runnable, file and plain blocks with their fence lines",
			text: "# Title\n\n```sh runnable\ncqltrack init\n```\n\ntext\n\n```yaml file=cqltrack.yml\nkeyspace:\n  name: demo\n```\n\n```text\noutput\n```\n",
			want: []block{
				{doc: "d.md", line: 3, lang: "sh", runnable: true, body: "cqltrack init\n"},
				{doc: "d.md", line: 9, lang: "yaml", file: "cqltrack.yml", body: "keyspace:\n  name: demo\n"},
				{doc: "d.md", line: 14, lang: "text", body: "output\n"},
			},
		},
		{
			name: "indented fence in a list item loses its indentation",
			text: "1. Run:\n\n   ```sh runnable\n   cqltrack status\n     two more\n   ```\n",
			want: []block{{doc: "d.md", line: 3, lang: "sh", runnable: true, body: "cqltrack status\n  two more\n"}},
		},
		{
			name: "a longer fence holds a shorter one; tildes close only tildes",
			text: "````md\n```sh runnable\nx\n```\n````\n~~~sh runnable\ny\n```\n~~~\n",
			want: []block{
				{doc: "d.md", line: 1, lang: "md", body: "```sh runnable\nx\n```\n"},
				{doc: "d.md", line: 6, lang: "sh", runnable: true, body: "y\n```\n"},
			},
		},
		{
			name: "inline triple backticks are not a fence",
			text: "use ```x``` here\n```\nplain\n```\n",
			want: []block{{doc: "d.md", line: 2, body: "plain\n"}},
		},
		{
			name: "no blocks",
			text: "just text\n",
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseBlocks("d.md", tt.text)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("parseBlocks:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseBlocksUnclosed(t *testing.T) {
	_, err := parseBlocks("d.md", "text\n```sh runnable\ncqltrack init\n")
	if err == nil || !strings.Contains(err.Error(), "d.md:2: code block is never closed") {
		t.Fatalf("err = %v, want d.md:2: code block is never closed", err)
	}
}

// TestRunBlock: file= blocks are written where later examples find them,
// and a failing example is reported with its document, line and output.
func TestRunBlock(t *testing.T) {
	dir := t.TempDir()
	env := exampleEnv(t.TempDir(), t.TempDir(), nil)
	ctx := context.Background()
	steps := []block{
		{doc: "x.md", line: 3, lang: "sql", file: "migrations/V001__t.cql", body: "CREATE TABLE t (id int PRIMARY KEY);\n"},
		{doc: "x.md", line: 7, lang: "sh", runnable: true, body: "grep -q 'CREATE TABLE t' migrations/V001__t.cql\n"},
		{doc: "x.md", line: 9, lang: "text", body: "not run\nfalse\n"},
	}
	for _, b := range steps {
		if err := runBlock(ctx, b, dir, env); err != nil {
			t.Fatalf("runBlock(%s): %v", b.where(), err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "migrations", "V001__t.cql")); err != nil {
		t.Fatalf("file= block not written: %v", err)
	}

	failing := block{doc: "x.md", line: 12, lang: "sh", runnable: true, body: "echo before\nfalse\necho after\n"}
	err := runBlock(ctx, failing, dir, env)
	if err == nil {
		t.Fatal("a block running false passed")
	}
	for _, want := range []string{"x.md:12: sh example failed", "exit status 1", "before"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if _, output, _ := strings.Cut(err.Error(), "--- output\n"); strings.Contains(output, "after") {
		t.Errorf("the block went on after a failing command (no -e): %v", err)
	}

	pipe := block{doc: "x.md", line: 20, lang: "sh", runnable: true, body: "false | cat\n"}
	if err := runBlock(ctx, pipe, dir, env); err == nil {
		t.Error("a failing command in a pipeline passed (no pipefail)")
	}

	escape := block{doc: "x.md", line: 30, lang: "sql", file: "../outside.cql", body: "x\n"}
	if err := runBlock(ctx, escape, dir, env); err == nil || !strings.Contains(err.Error(), "x.md:30: file=../outside.cql") {
		t.Errorf("a file= block outside the directory: err = %v", err)
	}
}

// TestExamplesFindCqltrack: the examples run the cqltrack TestMain built,
// not whatever the machine has installed.
func TestExamplesFindCqltrack(t *testing.T) {
	env := exampleEnv(t.TempDir(), t.TempDir(), nil)
	b := block{doc: "x.md", line: 1, lang: "sh", runnable: true, body: "test \"$(command -v cqltrack)\" = \"$BIN/cqltrack\"\ncqltrack version\n"}
	if err := runBlock(context.Background(), b, t.TempDir(), append(env, "BIN="+binDir)); err != nil {
		t.Fatal(err)
	}
}

// TestDocsHaveRunnableExamples keeps the runner from passing because
// nothing is marked: the guides a newcomer follows must be run.
func TestDocsHaveRunnableExamples(t *testing.T) {
	for _, doc := range []string{"docs/getting-started.md", "docs/migrations.md", "docs/ci.md"} {
		n := 0
		for _, b := range docBlocks(t, doc) {
			if b.runnable {
				n++
			}
		}
		if n == 0 {
			t.Errorf("%s has no runnable examples", doc)
		}
	}
}
