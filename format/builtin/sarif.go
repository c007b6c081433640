package builtin

import (
	"encoding/json"
	"path"
	"strings"

	"github.com/cqltrack/cqltrack/format/sdk"
)

// The SARIF 2.1.0 subset cqltrack writes: what GitHub code scanning reads
// (tool.driver.rules with helpUri, results with ruleId, level, message and
// a physical location whose region starts at a 1-based line and column).

const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool       sarifTool     `json:"tool"`
	Results    []sarifResult `json:"results"`
	ColumnKind string        `json:"columnKind"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string             `json:"id"`
	Name                 string             `json:"name,omitempty"`
	ShortDescription     *sarifMessage      `json:"shortDescription,omitempty"`
	HelpURI              string             `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
	Properties           *sarifProperties   `json:"properties,omitempty"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifProperties struct {
	Tags []string `json:"tags,omitempty"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex int             `json:"ruleIndex"`
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(severity string) string {
	switch severity {
	case "error":
		return "error"
	case "info":
		return "note"
	}
	return "warning"
}

// sarifURI makes a file path a SARIF artifact location: a relative path is
// relative to the source root (%SRCROOT%, which GitHub takes as the
// repository root), an absolute one a file URI.
func sarifURI(p string) sarifArtifact {
	p = slash(p)
	if strings.HasPrefix(p, "/") || len(p) > 2 && p[1] == ':' && p[2] == '/' {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p
		}
		return sarifArtifact{URI: "file://" + uriEscape(p)}
	}
	return sarifArtifact{URI: uriEscape(path.Clean(p)), URIBaseID: "%SRCROOT%"}
}

// uriEscape escapes the characters a URI path may not hold as they are.
func uriEscape(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			strings.IndexByte("-._~/:@!$&'()*+,;=", c) >= 0:
			b.WriteByte(c)
		default:
			const hex = "0123456789ABCDEF"
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

func renderSARIF(req *sdk.Request) ([]byte, error) {
	is, rules, err := issues(req)
	if err != nil {
		return nil, err
	}
	driver := sarifDriver{Name: req.Tool.Name, Version: req.Tool.Version, InformationURI: req.Tool.InformationURI, Rules: []sarifRule{}}
	if driver.Name == "" {
		driver.Name = "cqltrack"
	}
	index := map[string]int{}
	for i, r := range rules {
		index[r.ID] = i
		sr := sarifRule{ID: r.ID, HelpURI: r.DocsURL, DefaultConfiguration: sarifConfiguration{Level: sarifLevel(r.Severity)}}
		if r.Summary != "" {
			sr.ShortDescription = &sarifMessage{Text: r.Summary}
		}
		if r.Plugin != "" {
			sr.Properties = &sarifProperties{Tags: []string{r.Plugin}}
		}
		driver.Rules = append(driver.Rules, sr)
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, Results: []sarifResult{}, ColumnKind: "unicodeCodePoints"}
	for _, i := range is {
		res := sarifResult{RuleID: i.Rule, RuleIndex: index[i.Rule], Level: sarifLevel(i.Severity), Message: sarifMessage{Text: i.Message}}
		if i.File != "" {
			loc := sarifPhysical{ArtifactLocation: sarifURI(i.File), Region: &sarifRegion{StartLine: max(i.Line, 1)}}
			if i.Line > 0 && i.Column > 0 {
				loc.Region.StartColumn = i.Column
			}
			res.Locations = []sarifLocation{{PhysicalLocation: loc}}
		}
		run.Results = append(run.Results, res)
	}
	out, err := json.MarshalIndent(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}}, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}
