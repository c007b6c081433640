package sdk_test

import (
	"errors"
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
		{"twice", []sdk.Format{{Name: "x", Reports: []string{"lint"}, Render: echo}, {Name: "x", Reports: []string{"lint"}, Render: echo}}, sdk.ErrInvalidSpec, `"x" declared twice`},
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
