package cli

import (
	"fmt"
	"strings"
)

type profilesCmd struct{}

// profilesReport is the JSON shape of `cqltrack profiles --json`.
type profilesReport struct {
	File     string   `json:"file"`
	Profiles []string `json:"profiles"`
	Active   string   `json:"active"`
}

func (profilesCmd) Run(a *app) error {
	cfg, err := a.loadConfig("")
	if err != nil {
		return err
	}
	r := profilesReport{File: cfg.File, Profiles: cfg.Profiles(), Active: cfg.Profile}
	if r.Profiles == nil {
		r.Profiles = []string{}
	}
	if a.globals.JSON {
		return writeJSON(a.stdout, r)
	}
	var b strings.Builder
	if r.File == "" {
		b.WriteString("no configuration file: defaults, environment and flags only\n")
	} else if len(r.Profiles) == 0 {
		fmt.Fprintf(&b, "%s defines no profiles\n", r.File)
	}
	for _, p := range r.Profiles {
		mark := "  "
		if p == r.Active {
			mark = a.paint(green, "* ")
		}
		fmt.Fprintf(&b, "%s%s\n", mark, p)
	}
	_, err = fmt.Fprint(a.stdout, b.String())
	return err
}
