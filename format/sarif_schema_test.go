package format_test

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// schemaValidator checks a JSON document against a JSON Schema (draft-04),
// for the keywords the SARIF 2.1.0 schema uses: type, properties, required,
// additionalProperties, items, minItems, uniqueItems, minimum, maximum,
// enum, pattern, format (uri, uri-reference, date-time), anyOf, oneOf and
// $ref to #/definitions. A keyword it does not know fails loudly, so a
// newer schema cannot pass by being half understood.
type schemaValidator struct {
	root map[string]any
	errs []string
}

var knownKeywords = map[string]bool{
	"$schema": true, "id": true, "title": true, "description": true, "default": true, "definitions": true,
	"type": true, "properties": true, "required": true, "additionalProperties": true, "items": true,
	"minItems": true, "uniqueItems": true, "minimum": true, "maximum": true, "enum": true, "pattern": true,
	"format": true, "anyOf": true, "oneOf": true, "$ref": true,
}

func (v *schemaValidator) fail(path, format string, args ...any) {
	v.errs = append(v.errs, path+": "+fmt.Sprintf(format, args...))
}

func (v *schemaValidator) check(path string, s map[string]any, doc any) {
	for k := range s {
		if !knownKeywords[k] {
			v.fail(path, "schema keyword %q is not supported by this validator", k)
		}
	}
	if ref, ok := s["$ref"].(string); ok {
		name, found := strings.CutPrefix(ref, "#/definitions/")
		def, _ := v.root["definitions"].(map[string]any)[name].(map[string]any)
		if !found || def == nil {
			v.fail(path, "unresolvable $ref %q", ref)
			return
		}
		v.check(path, def, doc)
	}
	if t, ok := s["type"].(string); ok && !hasType(t, doc) {
		v.fail(path, "want %s, got %T", t, doc)
		return
	}
	if e, ok := s["enum"].([]any); ok && !containsJSON(e, doc) {
		v.fail(path, "%v is not one of %v", doc, e)
	}
	if alts, ok := s["anyOf"].([]any); ok && countValid(v, path, alts, doc) == 0 {
		v.fail(path, "matches none of anyOf")
	}
	if alts, ok := s["oneOf"].([]any); ok {
		if n := countValid(v, path, alts, doc); n != 1 {
			v.fail(path, "matches %d of oneOf, want exactly 1", n)
		}
	}
	switch d := doc.(type) {
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		for _, r := range asSlice(s["required"]) {
			if _, ok := d[r.(string)]; !ok {
				v.fail(path, "missing required property %q", r)
			}
		}
		for k, val := range d {
			if ps, ok := props[k].(map[string]any); ok {
				v.check(path+"."+k, ps, val)
				continue
			}
			switch ap := s["additionalProperties"].(type) {
			case bool:
				if !ap {
					v.fail(path, "property %q is not allowed", k)
				}
			case map[string]any:
				v.check(path+"."+k, ap, val)
			}
		}
	case []any:
		if min, ok := s["minItems"].(float64); ok && float64(len(d)) < min {
			v.fail(path, "%d items, want at least %v", len(d), min)
		}
		if u, _ := s["uniqueItems"].(bool); u {
			seen := map[string]bool{}
			for _, it := range d {
				b, _ := json.Marshal(it)
				if seen[string(b)] {
					v.fail(path, "items are not unique: %s", b)
				}
				seen[string(b)] = true
			}
		}
		if is, ok := s["items"].(map[string]any); ok {
			for i, it := range d {
				v.check(fmt.Sprintf("%s[%d]", path, i), is, it)
			}
		}
	case float64:
		if min, ok := s["minimum"].(float64); ok && d < min {
			v.fail(path, "%v is below the minimum %v", d, min)
		}
		if max, ok := s["maximum"].(float64); ok && d > max {
			v.fail(path, "%v is above the maximum %v", d, max)
		}
	case string:
		if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(d) {
			v.fail(path, "%q does not match %s", d, p)
		}
		switch s["format"] {
		case "uri":
			if u, err := url.Parse(d); err != nil || !u.IsAbs() {
				v.fail(path, "%q is not an absolute URI", d)
			}
		case "uri-reference":
			if _, err := url.Parse(d); err != nil {
				v.fail(path, "%q is not a URI reference", d)
			}
		}
	}
}

func countValid(v *schemaValidator, path string, alts []any, doc any) int {
	n := 0
	for _, a := range alts {
		sub := &schemaValidator{root: v.root}
		sub.check(path, a.(map[string]any), doc)
		if len(sub.errs) == 0 {
			n++
		}
	}
	return n
}

func asSlice(v any) []any { s, _ := v.([]any); return s }

func containsJSON(list []any, doc any) bool {
	b, _ := json.Marshal(doc)
	for _, x := range list {
		if xb, _ := json.Marshal(x); string(xb) == string(b) {
			return true
		}
	}
	return false
}

func hasType(t string, doc any) bool {
	switch t {
	case "object":
		_, ok := doc.(map[string]any)
		return ok
	case "array":
		_, ok := doc.([]any)
		return ok
	case "string":
		_, ok := doc.(string)
		return ok
	case "boolean":
		_, ok := doc.(bool)
		return ok
	case "number":
		_, ok := doc.(float64)
		return ok
	case "integer":
		f, ok := doc.(float64)
		return ok && f == math.Trunc(f)
	case "null":
		return doc == nil
	}
	return false
}

func loadSARIFSchema(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile("testdata/sarif-2.1.0-rtm.5.json")
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func validateSARIF(schema map[string]any, doc []byte) []string {
	var d any
	if err := json.Unmarshal(doc, &d); err != nil {
		return []string{"not JSON: " + err.Error()}
	}
	v := &schemaValidator{root: schema}
	v.check("$", schema, d)
	return v.errs
}

// TestSARIFMatchesSchema validates every SARIF document the built-in
// formatter renders (the goldens, which TestBuiltinModule proves equal to
// the module's output) against the vendored SARIF 2.1.0 schema.
func TestSARIFMatchesSchema(t *testing.T) {
	schema := loadSARIFSchema(t)
	paths, _ := filepath.Glob("builtin/testdata/golden/*.sarif")
	if len(paths) == 0 {
		t.Fatal("no SARIF goldens")
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range validateSARIF(schema, b) {
			t.Errorf("%s: %s", p, e)
		}
	}
}

// TestSARIFSchemaValidatorCanFail: documents broken in the ways a
// formatter could break them are rejected.
func TestSARIFSchemaValidatorCanFail(t *testing.T) {
	schema := loadSARIFSchema(t)
	for name, doc := range map[string]string{
		"no version":          `{"runs": []}`,
		"wrong version":       `{"version": "2.0.0", "runs": []}`,
		"unknown property":    `{"version": "2.1.0", "runs": [], "colour": "red"}`,
		"level not in enum":   `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "level": "fatal"}]}]}`,
		"line below 1":        `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "locations": [{"physicalLocation": {"region": {"startLine": 0}}}]}]}]}`,
		"driver without name": `{"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}`,
		"helpUri not a URI":   `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x", "rules": [{"id": "r", "helpUri": "not a uri"}]}}}]}`,
	} {
		if errs := validateSARIF(schema, []byte(doc)); len(errs) == 0 {
			t.Errorf("%s: accepted %s", name, doc)
		}
	}
	if errs := validateSARIF(schema, []byte(`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}}]}`)); len(errs) > 0 {
		t.Errorf("a minimal valid log was rejected: %v", errs)
	}
}
