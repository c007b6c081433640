package abi

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func validRuleManifest() *Manifest {
	schema, _ := ParseValue([]byte(`{"type":"object"}`))
	return &Manifest{
		Name: "acme", Version: "1.0.0", Kind: KindRule, ABIVersion: Version,
		Rules: []RuleInfo{{ID: "acme-x", Severity: SeverityWarning, Summary: "x", DocsURL: "https://x", Options: schema, Kinds: []string{"CREATE TABLE"}}},
	}
}

// fileOnlyRuleManifest declares a rule about the file as a whole.
func fileOnlyRuleManifest() *Manifest {
	m := validRuleManifest()
	m.Rules[0].Kinds, m.Rules[0].FileOnly = nil, true
	return m
}

func TestManifestRoundTrip(t *testing.T) {
	for _, m := range []*Manifest{
		validRuleManifest(),
		fileOnlyRuleManifest(),
		{Name: "fmt", Version: "1", Kind: KindFormatter, ABIVersion: 1, Formats: []FormatInfo{{Name: "sarif", Description: "SARIF 2.1.0", Reports: []string{"lint"}}}},
		{Name: "window", Version: "1", Kind: KindHook, ABIVersion: 1, Events: []string{"pre_migrate"}},
	} {
		got, err := DecodeManifest(AppendManifest(nil, m))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, m) {
			t.Errorf("round trip\n got %+v\nwant %+v", got, m)
		}
		if err := got.Validate(); err != nil {
			t.Errorf("valid manifest refused: %v", err)
		}
	}
}

// TestManifestEmptyLists: absent kinds and reports are written as [], the
// documented "every kind" and what plugins in other languages expect.
func TestManifestEmptyLists(t *testing.T) {
	m := &Manifest{Rules: []RuleInfo{{ID: "r"}}, Formats: []FormatInfo{{Name: "f"}}}
	got := string(AppendManifest(nil, m))
	for _, want := range []string{`"kinds":[]`, `"reports":[]`} {
		if !strings.Contains(got, want) {
			t.Errorf("AppendManifest = %s, want %s in it", got, want)
		}
	}
}

func TestManifestIgnoresUnknownMembers(t *testing.T) {
	m, err := DecodeManifest([]byte(`{"name":"a","future":{"x":[1]},"kind":"hook","abi_version":1,"rules":[{"id":"r","extra":true}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "a" || m.Kind != "hook" || len(m.Rules) != 1 || m.Rules[0].ID != "r" {
		t.Errorf("decoded %+v", m)
	}
}

func TestManifestValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*Manifest)
		substr string
	}{
		{"bad name", func(m *Manifest) { m.Name = "Acme Rules" }, `name "Acme Rules"`},
		{"abi version", func(m *Manifest) { m.ABIVersion = 2 }, "abi_version 2, host supports 1"},
		{"kind", func(m *Manifest) { m.Kind = "linter" }, `kind "linter", want rule, hook or formatter`},
		{"no rules", func(m *Manifest) { m.Rules = nil }, "declares no rules"},
		{"duplicate rule", func(m *Manifest) { m.Rules = append(m.Rules, m.Rules[0]) }, `rule "acme-x" declared twice`},
		{"severity", func(m *Manifest) { m.Rules[0].Severity = "fatal" }, `severity "fatal"`},
		{"summary", func(m *Manifest) { m.Rules[0].Summary = "" }, "empty summary"},
		{"options", func(m *Manifest) { m.Rules[0].Options = StringValue("x") }, "options schema must be a JSON object"},
		{"formats", func(m *Manifest) { m.Kind = KindFormatter; m.Rules = nil }, "declares no formats"},
		{"duplicate format", func(m *Manifest) {
			m.Kind, m.Rules = KindFormatter, nil
			m.Formats = []FormatInfo{{Name: "sarif", Reports: []string{"lint"}}, {Name: "sarif", Reports: []string{"lint"}}}
		}, `format "sarif" declared twice`},
		{"events", func(m *Manifest) { m.Kind = KindHook; m.Events = []string{"mid_migrate"} }, `hook event "mid_migrate"`},
		{"no events", func(m *Manifest) { m.Kind = KindHook }, "a hook plugin declares no events"},
	}
	for _, tt := range tests {
		m := validRuleManifest()
		tt.edit(m)
		err := m.Validate()
		if !errors.Is(err, ErrManifest) || !strings.Contains(err.Error(), tt.substr) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.substr)
		}
	}
}

func TestEnvelope(t *testing.T) {
	ok := AppendOK(nil, func(w *Writer) { w.BeginObject(); w.Key("n"); w.Int(1); w.EndObject() })
	if string(ok) != `{"ok":true,"result":{"n":1}}` {
		t.Errorf("AppendOK = %s", ok)
	}
	res, err := OpenEnvelope(ok)
	if err != nil || string(res) != `{"n":1}` {
		t.Errorf("OpenEnvelope(ok) = %s, %v", res, err)
	}
	_, err = OpenEnvelope(AppendError(nil, "no \"way\""))
	var ge *GuestError
	if !errors.As(err, &ge) || ge.Message != `no "way"` {
		t.Errorf("OpenEnvelope(error) = %v", err)
	}
	// A result that is not an object is malformed: a plugin that answers
	// {"ok":true,"result":null} has not said it found nothing.
	for _, bad := range []string{`{"result":{}}`, `{"ok":true}`, `[1]`, `{"ok":true,"result":{}`, ``,
		`{"ok":true,"result":null}`, `{"ok":true,"result":[]}`, `{"ok":true,"result":"x"}`, `{"ok":true,"result":0}`, `{"ok":true,"result":false}`} {
		if _, err := OpenEnvelope([]byte(bad)); !errors.Is(err, ErrEnvelope) {
			t.Errorf("OpenEnvelope(%s) = %v, want ErrEnvelope", bad, err)
		}
	}
	if _, err := OpenEnvelope([]byte(`{"ok":false}`)); !errors.As(err, &ge) || ge.Message != "failed without a message" {
		t.Errorf("error envelope without message: %v", err)
	}
}

func TestPack(t *testing.T) {
	p, n := Unpack(Pack(0xdeadbeef, 0x12345678))
	if p != 0xdeadbeef || n != 0x12345678 {
		t.Errorf("Unpack(Pack) = %#x %#x", p, n)
	}
}
