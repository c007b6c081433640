package cli

import "fmt"

type newCmd struct {
	Name []string `arg:"" help:"What the migration does, e.g. \"add users table\" (becomes the file name's description)."`
	Dir  string   `name:"dir" placeholder:"DIR" help:"Migrations directory, overriding migrations.directory."`
}

func (c *newCmd) Run(a *app) error {
	e, err := a.newEngine(c.Dir)
	if err != nil {
		return err
	}
	m, err := e.NewMigrationFile(joinWords(c.Name))
	if err != nil {
		return err
	}
	if a.globals.JSON {
		return writeJSON(a.stdout, m)
	}
	_, err = fmt.Fprintf(a.stdout, "created %s\n", m.Path)
	return err
}

// joinWords lets `cqltrack new add users table` work without quotes.
func joinWords(words []string) string {
	s := ""
	for i, w := range words {
		if i > 0 {
			s += " "
		}
		s += w
	}
	return s
}
