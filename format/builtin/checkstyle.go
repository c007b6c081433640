package builtin

import (
	"encoding/xml"
	"fmt"
	"strings"

	"github.com/cqltrack/cqltrack/format/sdk"
)

// Checkstyle's XML: <checkstyle><file name><error line column severity
// message source/></file></checkstyle>, the shape reviewdog, Jenkins'
// warnings plugin and others read.

type csReport struct {
	XMLName xml.Name `xml:"checkstyle"`
	Version string   `xml:"version,attr"`
	Files   []csFile `xml:"file"`
}

type csFile struct {
	Name   string    `xml:"name,attr"`
	Errors []csError `xml:"error"`
}

type csError struct {
	Line     int    `xml:"line,attr"`
	Column   int    `xml:"column,attr,omitempty"`
	Severity string `xml:"severity,attr"`
	Message  string `xml:"message,attr"`
	Source   string `xml:"source,attr"`
}

// noFile names the <file> of problems that are about no file (a migrate
// warning, a missing migration).
const noFile = "cqltrack"

func renderCheckstyle(req *sdk.Request) ([]byte, error) {
	is, _, err := issues(req)
	if err != nil {
		return nil, err
	}
	rep := csReport{Version: "4.3"}
	at := map[string]int{}
	file := func(name string) *csFile {
		i, ok := at[name]
		if !ok {
			i = len(rep.Files)
			at[name] = i
			rep.Files = append(rep.Files, csFile{Name: name})
		}
		return &rep.Files[i]
	}
	for _, f := range files(req, is) {
		file(slash(f))
	}
	for _, i := range is {
		name := noFile
		if i.File != "" {
			name = slash(i.File)
		}
		f := file(name)
		f.Errors = append(f.Errors, csError{Line: max(i.Line, 1), Column: i.Column, Severity: i.Severity, Message: i.Message, Source: "cqltrack." + i.Rule})
	}
	var b strings.Builder
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(rep); err != nil {
		return nil, fmt.Errorf("encode checkstyle: %w", err)
	}
	b.WriteByte('\n')
	return []byte(b.String()), nil
}
