package builtin_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cqltrack/cqltrack/format/builtin"
	"github.com/cqltrack/cqltrack/format/sdk"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// cases returns the requests of testdata/reports: each file is a report
// whose type is its name up to the first '-'. Lint reports carry the rules
// and files of testdata/lint-meta.json.
func cases(t *testing.T) map[string]*sdk.Request {
	t.Helper()
	paths, err := filepath.Glob("testdata/reports/*.json")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no reports in testdata: %v", err)
	}
	meta, err := os.ReadFile("testdata/lint-meta.json")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*sdk.Request{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		base := strings.TrimSuffix(filepath.Base(p), ".json")
		typ, _, _ := strings.Cut(base, "-")
		req := &sdk.Request{Type: typ, Report: data, Tool: sdk.Tool{Name: "cqltrack", Version: "1.2.3", InformationURI: "https://github.com/cqltrack/cqltrack"}}
		if typ == sdk.TypeLint {
			if err := json.Unmarshal(meta, req); err != nil {
				t.Fatal(err)
			}
		} else {
			// As the command sends them: the names the files give the
			// versions, which the numbers in the report (current, history)
			// are written as.
			req.Versions = map[string]string{"1": "V001", "2": "V002", "3": "V003"}
		}
		out[base] = req
	}
	return out
}

// TestGolden renders every case in every format that accepts its type and
// compares with testdata/golden/<case>.<format>; -update rewrites them.
func TestGolden(t *testing.T) {
	formats := builtin.Formats()
	seen := map[string]bool{}
	for name, req := range cases(t) {
		for _, f := range formats {
			if !f.Accepts(req.Type) {
				continue
			}
			seen[f.Name+" "+req.Type] = true
			t.Run(name+"/"+f.Name, func(t *testing.T) {
				r := *req
				r.Format = f.Name
				got, err := sdk.Render(formats, &r)
				if err != nil {
					t.Fatal(err)
				}
				Golden(t, filepath.Join("testdata", "golden", name+"."+f.Name), got)
			})
		}
	}
	for _, f := range formats {
		for _, typ := range f.Reports {
			if !seen[f.Name+" "+typ] {
				t.Errorf("format %s accepts %s reports but no case has one", f.Name, typ)
			}
		}
	}
}

// Golden compares got with the file at path, or rewrites it with -update.
func Golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestRefusals(t *testing.T) {
	formats := builtin.Formats()
	for _, c := range []struct {
		req  sdk.Request
		want string
	}{
		{sdk.Request{Format: "sarif", Type: "status", Report: []byte(`{}`)}, "format sarif renders lint, migrate, validate reports, not status"},
		{sdk.Request{Format: "yaml", Type: "lint", Report: []byte(`{}`)}, `unknown format "yaml"`},
		{sdk.Request{Format: "sarif", Type: "lint", Report: []byte(`{"findings": 3}`)}, "decode lint report: invalid json at offset 13: expected an array"},
	} {
		_, err := sdk.Render(formats, &c.req)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %s: error %v, want %q", c.req.Format, c.req.Type, err, c.want)
		}
	}
}

func TestManifest(t *testing.T) {
	m, err := sdk.Manifest(builtin.Name, builtin.Version, builtin.Formats())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range m.Formats {
		names = append(names, f.Name)
	}
	if got := strings.Join(names, " "); got != "checkstyle github junit markdown sarif" {
		t.Errorf("formats %s", got)
	}
}
