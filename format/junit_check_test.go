package format_test

import (
	"encoding/xml"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The rules of the common JUnit schema (Jenkins' junit-10.xsd, which
// GitLab, Azure DevOps and the test-report actions follow) for the
// elements cqltrack writes: the attributes each may have and must have,
// and the elements it may contain. checkJUnit parses a report with
// encoding/xml into a generic tree and checks it against them, and checks
// that the counts agree with the cases.

type junitElement struct {
	attrs    []string
	required []string
	children []string
	text     bool // may hold character data
}

var junitSchema = map[string]junitElement{
	"testsuites": {attrs: []string{"name", "time", "tests", "failures", "disabled", "errors"}, children: []string{"testsuite"}},
	"testsuite": {
		attrs: []string{"name", "tests", "failures", "errors", "group", "time", "skipped", "timestamp", "hostname", "id",
			"package", "file", "log", "url", "version", "disabled"},
		required: []string{"name", "tests"},
		children: []string{"properties", "testcase", "system-out", "system-err"},
	},
	"testcase": {
		attrs:    []string{"name", "assertions", "time", "classname", "status", "group"},
		required: []string{"name"},
		children: []string{"skipped", "error", "failure", "rerunFailure", "rerunError", "flakyFailure", "flakyError", "system-out", "system-err"},
	},
	"failure":    {attrs: []string{"message", "type"}, text: true},
	"error":      {attrs: []string{"message", "type"}, text: true},
	"skipped":    {attrs: []string{"message"}, text: true},
	"system-out": {text: true},
	"system-err": {text: true},
}

// node is a generic XML element.
type node struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Nodes   []node     `xml:",any"`
	Text    string     `xml:",chardata"`
}

func (n *node) attr(name string) (string, bool) {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

var (
	junitTime = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)
	junitInt  = regexp.MustCompile(`^[0-9]+$`)
)

// checkJUnit returns every way doc breaks the rules above.
func checkJUnit(doc []byte) []string {
	var root node
	if err := xml.Unmarshal(doc, &root); err != nil {
		return []string{"not XML: " + err.Error()}
	}
	if !strings.HasPrefix(string(doc), xml.Header) {
		return []string{"no XML declaration"}
	}
	var problems []string
	bad := func(path, format string, args ...any) {
		problems = append(problems, path+": "+fmt.Sprintf(format, args...))
	}
	var walk func(path string, n *node)
	walk = func(path string, n *node) {
		name := n.XMLName.Local
		rules, ok := junitSchema[name]
		if !ok {
			bad(path, "unknown element <%s>", name)
			return
		}
		for _, a := range n.Attrs {
			if !slices.Contains(rules.attrs, a.Name.Local) {
				bad(path, "attribute %s is not allowed on <%s>", a.Name.Local, name)
			}
			switch a.Name.Local {
			case "time":
				if !junitTime.MatchString(a.Value) {
					bad(path, "time %q is not a decimal", a.Value)
				}
			case "tests", "failures", "errors", "skipped", "disabled":
				if !junitInt.MatchString(a.Value) {
					bad(path, "%s %q is not a count", a.Name.Local, a.Value)
				}
			}
		}
		for _, r := range rules.required {
			if _, ok := n.attr(r); !ok {
				bad(path, "<%s> requires %s", name, r)
			}
		}
		if !rules.text && strings.TrimSpace(n.Text) != "" {
			bad(path, "<%s> holds text", name)
		}
		for i := range n.Nodes {
			c := &n.Nodes[i]
			if !slices.Contains(rules.children, c.XMLName.Local) {
				bad(path, "<%s> may not contain <%s>", name, c.XMLName.Local)
				continue
			}
			walk(fmt.Sprintf("%s/%s[%d]", path, c.XMLName.Local, i), c)
		}
	}
	if root.XMLName.Local != "testsuites" {
		return []string{"root is <" + root.XMLName.Local + ">, want <testsuites>"}
	}
	walk("/testsuites", &root)
	// The counts must be those of the cases.
	count := func(n *node, attr string) int {
		v, _ := n.attr(attr)
		i, _ := strconv.Atoi(v)
		return i
	}
	var tests, failures int
	for i := range root.Nodes {
		s := &root.Nodes[i]
		var t, f, sk int
		for j := range s.Nodes {
			c := &s.Nodes[j]
			if c.XMLName.Local != "testcase" {
				continue
			}
			t++
			for _, x := range c.Nodes {
				switch x.XMLName.Local {
				case "failure":
					f++
				case "skipped":
					sk++
				}
			}
		}
		if count(s, "tests") != t || count(s, "failures") != f || count(s, "skipped") != sk {
			bad(fmt.Sprintf("/testsuites/testsuite[%d]", i), "counts tests=%d failures=%d skipped=%d, cases say %d, %d, %d",
				count(s, "tests"), count(s, "failures"), count(s, "skipped"), t, f, sk)
		}
		tests += t
		failures += f
	}
	if count(&root, "tests") != tests || count(&root, "failures") != failures {
		bad("/testsuites", "counts tests=%d failures=%d, cases say %d, %d", count(&root, "tests"), count(&root, "failures"), tests, failures)
	}
	return problems
}
