package builtin

import (
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/cqltrack/cqltrack/format/sdk"
)

// JUnit XML as the common schema (Jenkins' junit-10.xsd, which GitLab,
// Azure DevOps and the test-report actions read) has it: <testsuites>
// of <testsuite> of <testcase>, each failing case with a <failure>. Only
// attributes that schema declares are written (so <testsuites> has no
// skipped count; each <testsuite> has one).

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
	// SystemOut holds what is not a test: a migrate run's warnings.
	SystemOut string `xml:"system-out,omitempty"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// seconds renders milliseconds as JUnit's decimal seconds.
func seconds(ms int64) string { return fmt.Sprintf("%d.%03d", ms/1000, ms%1000) }

// add appends a case and keeps the suite's counts.
func (s *junitSuite) add(c junitCase) {
	s.Cases = append(s.Cases, c)
	s.Tests++
	if c.Failure != nil {
		s.Failures++
	}
	if c.Skipped != nil {
		s.Skipped++
	}
}

func renderJUnit(req *sdk.Request) ([]byte, error) {
	var (
		suites []junitSuite
		err    error
	)
	switch req.Type {
	case sdk.TypeMigrate:
		suites, err = junitMigrate(req)
	case sdk.TypeValidate:
		suites, err = junitValidate(req)
	default:
		suites, err = junitLint(req)
	}
	if err != nil {
		return nil, err
	}
	top := junitSuites{Name: "cqltrack " + req.Type, Suites: suites}
	var ms int64
	for _, s := range suites {
		top.Tests += s.Tests
		top.Failures += s.Failures
		ms += timeMs(s.Time)
	}
	top.Time = seconds(ms)
	var b strings.Builder
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(top); err != nil {
		return nil, fmt.Errorf("encode junit: %w", err)
	}
	b.WriteByte('\n')
	return []byte(b.String()), nil
}

// timeMs reads back what seconds wrote.
func timeMs(s string) int64 {
	var sec, ms int64
	fmt.Sscanf(s, "%d.%d", &sec, &ms)
	return sec*1000 + ms
}

// junitLint renders a lint report: a suite per rule, a case per file (each
// file linted, when the request names them; else each file with findings),
// failing with the rule's findings in that file.
func junitLint(req *sdk.Request) ([]junitSuite, error) {
	is, rules, err := issues(req)
	if err != nil {
		return nil, err
	}
	fs := files(req, is)
	var suites []junitSuite
	for _, r := range rules {
		s := junitSuite{Name: r.ID, Time: seconds(0)}
		byFile := map[string][]issue{}
		for _, i := range is {
			if i.Rule == r.ID {
				byFile[i.File] = append(byFile[i.File], i)
			}
		}
		names := fs
		if len(byFile[""]) > 0 {
			names = append([]string{""}, fs...)
		}
		for _, f := range names {
			c := junitCase{Name: f, Classname: "cqltrack." + req.Type + "." + r.ID, Time: seconds(0)}
			if f == "" {
				c.Name = noFile
			}
			if found := byFile[f]; len(found) > 0 {
				c.Failure = junitFailureOf(found)
			}
			s.add(c)
		}
		suites = append(suites, s)
	}
	return suites, nil
}

func junitFailureOf(found []issue) *junitFailure {
	f := &junitFailure{Message: found[0].Message, Type: found[0].Severity}
	if len(found) > 1 {
		f.Message += fmt.Sprintf(" (and %d more)", len(found)-1)
	}
	var b strings.Builder
	for _, i := range found {
		if i.File != "" {
			b.WriteString(slash(i.File))
			if i.Line > 0 {
				fmt.Fprintf(&b, ":%d:%d", i.Line, i.Column)
			}
			b.WriteString(": ")
		}
		fmt.Fprintf(&b, "%s: %s\n", i.Severity, i.Message)
	}
	f.Text = b.String()
	for _, i := range found {
		if i.Severity == "error" {
			f.Type = "error"
		}
	}
	return f
}

// junitMigrate renders a migrate report: one case per migration, failing
// when it failed, skipped when the run was a dry run; the run's warnings go
// to the suite's system-out.
func junitMigrate(req *sdk.Request) ([]junitSuite, error) {
	var rep sdk.MigrateReport
	if err := req.Decode(&rep); err != nil {
		return nil, err
	}
	s := junitSuite{Name: "migrate " + rep.Keyspace}
	var ms int64
	for _, m := range rep.Migrations {
		c := junitCase{Name: migrationVersion(m.Name, m.Version) + " " + migrationTitle(m.Name), Classname: "cqltrack.migrate." + rep.Keyspace, Time: seconds(m.DurationMs)}
		ms += m.DurationMs
		switch m.Status {
		case "failed":
			c.Failure = &junitFailure{Message: fmt.Sprintf("migration %s (%s) failed", migrationVersion(m.Name, m.Version), migrationTitle(m.Name)), Type: "error"}
			if f := m.Failure; f != nil {
				c.Failure.Message = f.Message
				c.Failure.Text = fmt.Sprintf("%s:%d:%d: statement %d of %d failed (%d applied before it): %s\n",
					slash(m.File), f.Line, f.Column, f.Statement, m.StatementsTotal, m.StatementsApplied, f.Message)
			}
		case "pending":
			c.Skipped = &junitSkipped{Message: "dry run: not applied"}
		}
		s.add(c)
	}
	for _, w := range rep.Warnings {
		s.SystemOut += "warning: " + w + "\n"
	}
	s.Time = seconds(ms)
	return []junitSuite{s}, nil
}

// junitValidate renders a validate report: one failing case per applied
// migration whose file changed or vanished, or one passing case.
func junitValidate(req *sdk.Request) ([]junitSuite, error) {
	var rep sdk.ValidateReport
	if err := req.Decode(&rep); err != nil {
		return nil, err
	}
	is, _, err := issues(req)
	if err != nil {
		return nil, err
	}
	s := junitSuite{Name: "validate " + rep.Keyspace, Time: seconds(0)}
	for k, i := range is {
		p := rep.Problems[k]
		s.add(junitCase{Name: migrationVersion(p.Name, p.Version) + " " + p.Description, Classname: "cqltrack.validate." + i.Rule, Time: seconds(0), Failure: junitFailureOf([]issue{i})})
	}
	if len(is) == 0 {
		s.add(junitCase{Name: "applied migrations match their files", Classname: "cqltrack.validate", Time: seconds(0)})
	}
	return []junitSuite{s}, nil
}
