// Command probe is the hook the hooks tests load: its configuration says
// how each call behaves, so one module covers allow, deny, failures,
// loops and the environment a hook can see.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/cqltrack/cqltrack/hooks/sdk"
)

// config: "pre" and "post" are behaviours (below), "env" the variables
// whose values a "show-env" behaviour reports.
type config struct {
	Pre  string   `json:"pre"`
	Post string   `json:"post"`
	Env  []string `json:"env"`
}

func conf(r *sdk.Request) config {
	var c config
	if len(r.Config) > 0 {
		if err := json.Unmarshal(r.Config, &c); err != nil {
			panic(err)
		}
	}
	return c
}

// act does what a behaviour says: "allow", "note" (allow with a message),
// "deny", "echo" (deny with the request as message), "show-env" (deny with
// the variables' values), "fail" (an error), "panic", "loop", "exit".
func act(behaviour string, r *sdk.Request, c config) (sdk.Decision, error) {
	switch behaviour {
	case "", "allow":
		return sdk.Allow(), nil
	case "note":
		return sdk.Decision{Decision: sdk.DecisionAllow, Message: "noted " + r.Stage}, nil
	case "deny":
		return sdk.Deny("probe says no to %s", r.Stage), nil
	case "echo":
		b, _ := json.Marshal(r)
		return sdk.Deny("%s", b), nil
	case "show-env":
		var parts []string
		for _, k := range c.Env {
			v, ok := os.LookupEnv(k)
			if !ok {
				v = "<unset>"
			}
			parts = append(parts, k+"="+v)
		}
		parts = append(parts, fmt.Sprintf("total=%d", len(os.Environ())))
		return sdk.Deny("%s", strings.Join(parts, " ")), nil
	case "fail":
		return sdk.Allow(), errors.New("probe failed on purpose")
	case "panic":
		panic("probe panics on purpose")
	case "loop":
		for {
		}
	case "exit":
		os.Exit(3)
	}
	return sdk.Allow(), fmt.Errorf("unknown behaviour %q", behaviour)
}

func pre(r *sdk.Request) sdk.Decision {
	c := conf(r)
	d, err := act(c.Pre, r, c)
	if err != nil {
		panic(err)
	}
	return d
}

func post(r *sdk.Request) error {
	c := conf(r)
	d, err := act(c.Post, r, c)
	if err == nil && !d.Allowed() {
		err = errors.New(d.Message)
	}
	return err
}

func init() {
	sdk.Register("probe", "1.0.0", sdk.Hook{PreRun: pre, PreMigration: pre, PostMigration: post, PostRun: post})
}

func main() {}
