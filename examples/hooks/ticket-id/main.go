// Command ticket-id is a cqltrack pre_migrate hook that requires every
// migration's description to carry a ticket id, so that each schema change
// can be traced to the request that asked for it. The pattern is a regular
// expression, by default a JIRA key such as JIRA-123 (a file named
// V004__JIRA-123_add_users.cql has the description "JIRA-123 add users").
// A migration without one is denied before anything of it runs.
//
//	hooks:
//	  pre_migrate:
//	    - path: hooks/ticket-id.wasm
//	      config:
//	        pattern: '\b(OPS|DB)-[0-9]+\b'
//
// Build it with ../build.sh.
package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/cqltrack/cqltrack/hooks/sdk"
)

// defaultPattern matches a JIRA issue key: a project key of upper-case
// letters and digits, a dash, a number.
const defaultPattern = `\b[A-Z][A-Z0-9]+-[0-9]+\b`

func pattern(raw json.RawMessage) (*regexp.Regexp, error) {
	var c struct {
		Pattern string `json:"pattern"`
	}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &c); err != nil {
			return nil, fmt.Errorf("ticket-id config: %w", err)
		}
	}
	if c.Pattern == "" {
		c.Pattern = defaultPattern
	}
	re, err := regexp.Compile(c.Pattern)
	if err != nil {
		return nil, fmt.Errorf("ticket-id config: pattern: %w", err)
	}
	return re, nil
}

func checkMigration(r *sdk.Request) sdk.Decision {
	re, err := pattern(r.Config)
	if err != nil {
		return sdk.Deny("%v", err)
	}
	m := r.Migration
	if !re.MatchString(m.Description) {
		return sdk.Deny("migration %d (%s) has no ticket id in its description (pattern %s); put one in the file name, e.g. V%03d__JIRA-123_%s",
			m.Version, m.Description, re, m.Version, strings.ReplaceAll(m.Description, " ", "_"))
	}
	return sdk.Allow()
}

var hook = sdk.Hook{PreMigration: checkMigration}

func init() { sdk.Register("ticket-id", "1.0.0", hook) }

func main() {}
