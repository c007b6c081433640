package sdk_test

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/cqltrack/cqltrack/format/sdk"
)

func echo(r *sdk.Request) ([]byte, error) { return []byte(r.Type + ":" + string(r.Report)), nil }

func TestManifest(t *testing.T) {
	cases := []struct {
		name    string
		formats []sdk.Format
		err     error
		want    string
	}{
		{"none", nil, sdk.ErrNoFormats, "formatter declares no formats"},
		{"no render", []sdk.Format{{Name: "x", Reports: []string{"lint"}}}, sdk.ErrInvalidSpec, `"x" has no Render`},
		{"no reports", []sdk.Format{{Name: "x", Render: echo}}, sdk.ErrInvalidSpec, `"x" accepts no report type`},
		{"unknown report", []sdk.Format{{Name: "x", Reports: []string{"plan"}, Render: echo}}, sdk.ErrInvalidSpec, `report type "plan"`},
		{"twice", []sdk.Format{{Name: "x", Reports: []string{"lint"}, Render: echo}, {Name: "x", Reports: []string{"lint"}, Render: echo}}, nil, `format "x" declared twice`},
		{"bad name", []sdk.Format{{Name: "X Y", Reports: []string{"lint"}, Render: echo}}, nil, `format name "X Y"`},
	}
	for _, c := range cases {
		_, err := sdk.Manifest("acme", "1", c.formats)
		if err == nil || !strings.Contains(err.Error(), c.want) || c.err != nil && !errors.Is(err, c.err) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

func TestHandle(t *testing.T) {
	formats := []sdk.Format{
		{Name: "echo", Reports: []string{"lint"}, Render: echo},
		{Name: "fails", Reports: []string{"lint"}, Render: func(*sdk.Request) ([]byte, error) { return nil, errors.New("cannot") }},
		{Name: "panics", Reports: []string{"lint"}, Render: func(*sdk.Request) ([]byte, error) { panic("boom") }},
	}
	for _, c := range []struct{ request, response string }{
		{`{"format": "echo", "type": "lint", "report": {"a": "<\"x\">"}}`, `{"ok":true,"result":{"output":"lint:{\"a\": \"<\\\"x\\\">\"}"}}`},
		{`{"format": "echo"`, `{"ok":false,"error":{"message":"decode format request: invalid json at offset 17: expected ',' or '}' in an object"}}`},
		{`{"format": "echo", "type": "migrate", "report": {}}`, `{"ok":false,"error":{"message":"report type not accepted: format echo renders lint reports, not migrate"}}`},
		{`{"format": "fails", "type": "lint", "report": {}}`, `{"ok":false,"error":{"message":"cannot"}}`},
		{`{"format": "panics", "type": "lint", "report": {}}`, `{"ok":false,"error":{"message":"panic: boom"}}`},
		{`{"format": "nope", "type": "lint", "report": {}}`, `{"ok":false,"error":{"message":"unknown format \"nope\""}}`},
	} {
		if got := string(sdk.Handle(formats, []byte(c.request))); got != c.response {
			t.Errorf("%s:\n got %s\nwant %s", c.request, got, c.response)
		}
	}
}

// TestLintDecoder: the hand-written lint report decoder reads what
// encoding/json reads.
func TestLintDecoder(t *testing.T) {
	docs := []string{
		`{"findings": [], "errors": 0, "warnings": 0, "infos": 0, "files": 2}`,
		`{"findings": null, "files": 1}`,
		`{"findings": [{"file": "a\\b\u00e9.cql", "version": "001", "line": 3, "column": 27, "rule": "r", "severity": "warning",
		  "message": "quote \" tab \t newline \n", "plugin": "acme", "future": {"x": [1, 2]}}], "errors": 1, "later": true}`,
	}
	if b, err := os.ReadFile("../builtin/testdata/reports/lint.json"); err == nil {
		docs = append(docs, string(b))
	} else {
		t.Fatal(err)
	}
	for _, d := range docs {
		var want, got sdk.LintReport
		if err := json.Unmarshal([]byte(d), &want); err != nil {
			t.Fatal(err)
		}
		req := sdk.Request{Type: sdk.TypeLint, Report: []byte(d)}
		if err := req.Decode(&got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("decoded %+v\nencoding/json %+v", got, want)
		}
	}
	req := sdk.Request{Type: sdk.TypeLint, Report: []byte(`{"findings": 3}`)}
	if err := req.Decode(&sdk.LintReport{}); err == nil || !strings.Contains(err.Error(), "decode lint report: invalid json") {
		t.Errorf("bad report: %v", err)
	}
}

// TestDecodeRequest: every member of the request survives.
func TestDecodeRequest(t *testing.T) {
	want := sdk.Request{Format: "sarif", Type: "lint", Report: json.RawMessage(`{"findings":[]}`),
		Tool:     sdk.Tool{Name: "cqltrack", Version: "1.2.3", InformationURI: "https://x"},
		Rules:    []sdk.RuleInfo{{ID: "r", Severity: "error", Summary: "s", DocsURL: "https://d", Plugin: "p"}},
		Files:    []string{"a.cql"},
		Config:   json.RawMessage(`{"header":true}`),
		Versions: map[string]string{"3": "V003", "20240101": "V20240101"}}
	b, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	got, err := sdk.DecodeRequest(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("decoded %+v\nwant    %+v", *got, want)
	}
}

// TestVersionName: a report's numbers come out as the files name them,
// falling back to V<n> for a version no file names and "none" for 0, as
// the text output does.
func TestVersionName(t *testing.T) {
	req := sdk.Request{Versions: map[string]string{"3": "V003"}}
	for v, want := range map[int64]string{3: "V003", 4: "V4", 0: "none"} {
		if got := req.VersionName(v); got != want {
			t.Errorf("VersionName(%d) = %q, want %q", v, got, want)
		}
	}
	if got := (&sdk.Request{}).VersionName(7); got != "V7" {
		t.Errorf("without versions: VersionName(7) = %q, want V7", got)
	}
}

// TestDecodeRequestNullConfig: a formatter configured without options
// sees no Config, whether the host sends null or nothing (encoding/json
// would leave the text null).
func TestDecodeRequestNullConfig(t *testing.T) {
	for _, doc := range []string{`{"format":"x","config":null}`, `{"format":"x"}`} {
		req, err := sdk.DecodeRequest([]byte(doc))
		if err != nil || req.Format != "x" || req.Config != nil {
			t.Errorf("%s: decoded %+v, %v; want format x and no config", doc, req, err)
		}
	}
}
