package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// writeJSON prints v as indented JSON followed by a newline: the stable
// machine-readable form of every report (docs/cli.md).
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// useColor reports whether text output may use ANSI colours: only on a
// terminal, and never when NO_COLOR is set (https://no-color.org).
func useColor(w io.Writer, lookupEnv func(string) (string, bool)) bool {
	if v, ok := lookupEnv("NO_COLOR"); ok && v != "" {
		return false
	}
	if v, ok := lookupEnv("TERM"); ok && v == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Colours used by text output.
const (
	green  = "\x1b[32m"
	red    = "\x1b[31m"
	yellow = "\x1b[33m"
	bold   = "\x1b[1m"
	dim    = "\x1b[2m"
	reset  = "\x1b[0m"
)

// paint wraps s in an ANSI colour when colour is on.
func (a *app) paint(color, s string) string {
	if !a.color {
		return s
	}
	return color + s + reset
}

// table lays out rows in aligned columns separated by two spaces; the last
// column is not padded. Widths count runes so non-ASCII names line up.
type table struct {
	rows [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) write(w io.Writer) error {
	var b strings.Builder
	t.writeTo(&b)
	_, err := fmt.Fprint(w, b.String())
	return err
}

// writeTo lays the table out into b.
func (t *table) writeTo(b *strings.Builder) {
	var widths []int
	for _, r := range t.rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			if n := visibleWidth(c); n > widths[i] {
				widths[i] = n
			}
		}
	}
	for _, r := range t.rows {
		var line strings.Builder
		for i, c := range r {
			line.WriteString(c)
			if i < len(r)-1 {
				line.WriteString(strings.Repeat(" ", widths[i]-visibleWidth(c)+2))
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
}

// visibleWidth counts the runes of s that show on screen: ANSI colour
// sequences take no room.
func visibleWidth(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if s[i] == 0x1b {
			if j := strings.IndexByte(s[i:], 'm'); j >= 0 {
				i += j + 1
				continue
			}
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
	}
	return n
}

// dirFlag is the --dir flag of the commands that read migration files.
type dirFlag struct {
	Dir string `name:"dir" placeholder:"DIR" help:"Migrations directory, overriding migrations.directory."`
}

// emit prints a report: as JSON with --json, otherwise as the text that
// text writes.
func (a *app) emit(report any, text func(b *strings.Builder)) error {
	if a.globals.JSON {
		return writeJSON(a.stdout, report)
	}
	var b strings.Builder
	text(&b)
	_, err := fmt.Fprint(a.stdout, b.String())
	return err
}
