package policy_test

import (
	"testing"

	"github.com/cqltrack/cqltrack/examples/plugins/tablepolicy/policy"
	"github.com/cqltrack/cqltrack/lint/sdk/sdktest"
)

// TestRules runs the rules natively over the cases in testdata, whose
// expected findings are written inline as -- want: comments.
func TestRules(t *testing.T) { sdktest.Run(t, policy.Rules(), "testdata/*.txtar") }
