package plugins

import (
	"context"
	"reflect"
	"testing"

	"github.com/cqltrack/cqltrack/lint/sdk"
	"github.com/cqltrack/cqltrack/plugins/testdata/rules/acme"
)

// TestWasmMatchesNative runs the same rules natively and through the host
// and wants identical responses: what a rule author tests natively is what
// users get from the plugin.
func TestWasmMatchesNative(t *testing.T) {
	ctx := context.Background()
	p, err := Load(ctx, testSpec("rules"), testHost())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(ctx)
	for _, req := range []*sdk.LintRequest{lintRequest(), benchRequest(40), {File: sdk.File{Path: "empty.cql", DownSection: true}}} {
		got, err := p.Lint(ctx, "", req)
		if err != nil {
			t.Fatal(err)
		}
		want := sdk.RunNative(acme.Rules(), req)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: wasm\n %+v\nnative\n %+v", req.File.Path, got, want)
		}
	}
}
