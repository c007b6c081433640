// Command tsv is the custom formatter plugin the format tests load: lint
// findings as tab-separated lines, with a header when configured.
package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cqltrack/cqltrack/format/sdk"
)

func render(r *sdk.Request) ([]byte, error) {
	var conf struct {
		Header bool `json:"header"`
	}
	if len(r.Config) > 0 {
		if err := json.Unmarshal(r.Config, &conf); err != nil {
			return nil, fmt.Errorf("tsv config: %w", err)
		}
	}
	var rep sdk.LintReport
	if err := r.Decode(&rep); err != nil {
		return nil, err
	}
	var b strings.Builder
	if conf.Header {
		b.WriteString("file\tline\tcolumn\trule\tseverity\tmessage\n")
	}
	for _, f := range rep.Findings {
		fmt.Fprintf(&b, "%s\t%d\t%d\t%s\t%s\t%s\n", f.File, f.Line, f.Column, f.Rule, f.Severity, strings.ReplaceAll(f.Message, "\t", " "))
	}
	return []byte(b.String()), nil
}

func init() {
	sdk.Register("acme-tsv", "1.0.0", sdk.Format{Name: "tsv", Description: "lint findings as tab-separated values", Reports: []string{sdk.TypeLint}, Render: render})
}

func main() {}
