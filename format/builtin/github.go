package builtin

import (
	"fmt"
	"strings"

	"github.com/cqltrack/cqltrack/format/sdk"
)

// renderGitHub writes one workflow command per problem,
//
//	::error file=migrations/V3__users.cql,line=2,col=1,title=drop-table::message
//
// which GitHub Actions shows as an annotation on that line of the pull
// request. Levels: error, warning, and notice for info.
func renderGitHub(req *sdk.Request) ([]byte, error) {
	is, _, err := issues(req)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	for _, i := range is {
		cmd := "warning"
		switch i.Severity {
		case "error":
			cmd = "error"
		case "info":
			cmd = "notice"
		}
		var props []string
		if i.File != "" {
			props = append(props, "file="+ghProperty(slash(i.File)))
			if i.Line > 0 {
				props = append(props, fmt.Sprintf("line=%d", i.Line))
				if i.Column > 0 {
					props = append(props, fmt.Sprintf("col=%d", i.Column))
				}
			}
		}
		props = append(props, "title="+ghProperty(i.Rule))
		fmt.Fprintf(&b, "::%s %s::%s\n", cmd, strings.Join(props, ","), ghData(i.Message))
	}
	return []byte(b.String()), nil
}

// ghData escapes a workflow command's message as the runner unescapes it.
func ghData(s string) string { return ghDataEscaper.Replace(s) }

var (
	ghDataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	ghPropertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// ghProperty escapes a workflow command's property value, which also may
// not hold the separators ':' and ','.
func ghProperty(s string) string { return ghPropertyEscaper.Replace(s) }
