package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/cqltrack/cqltrack/engine"
	"github.com/cqltrack/cqltrack/format"
	"github.com/cqltrack/cqltrack/format/builtin"
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
	return a.emitReport(context.Background(), nil, "", report, text)
}

// outputFlags choose how a report is printed and where.
type outputFlags struct {
	Format string `name:"format" placeholder:"NAME" help:"Print the report as text, json, sarif, junit, github, markdown, checkstyle, or a configured formatter (docs/formatters.md)."`
	Output string `name:"output" placeholder:"FILE" help:"Write the report to FILE instead of standard output."`
}

// textual reports whether the report is printed as text, which is when
// live progress lines make sense.
func (a *app) textual(o *outputFlags) bool {
	if o == nil || o.Format == "" {
		return !a.globals.JSON
	}
	return o.Format == format.Text
}

// checkOutput refuses o before a command does its work when the report
// could not be written: an --output path that cannot be opened for
// writing, a format that is unknown, or a built-in format that does not
// render reports of type typ. Otherwise migrate would apply everything and
// only then fail, as if it had done nothing. A configured formatter's
// report types are known only once it is loaded, so emitReport checks
// those.
func (a *app) checkOutput(ctx context.Context, o *outputFlags, typ string) error {
	if err := checkWritable(o.Output); err != nil {
		return err
	}
	name := o.Format
	if name == "" || name == format.Text || name == format.JSON {
		return nil
	}
	for _, fc := range a.cfg.Output.Formatters {
		if fc.Name == name {
			return nil
		}
	}
	for _, f := range builtin.Formats() {
		if f.Name == name && f.Accepts(typ) {
			return nil
		}
	}
	// Render refuses what is left before loading any plugin, with the
	// message emitReport would print.
	if _, err := format.Render(ctx, format.Request{Format: name, Type: typ, Report: []byte("{}"), Config: a.cfg}); err != nil {
		return engine.InputError(err)
	}
	return nil
}

// checkWritable reports whether path (an --output value) can be written,
// without touching what is there: an existing regular file is opened for
// writing but not truncated; a path that does not exist yet (or a symbolic
// link to one) is checked by creating and removing a file in its
// directory. A pipe or device is not opened: opening has effects there (a
// reader at the other end of a pipe would see an empty report).
func checkWritable(path string) error {
	if path == "" {
		return nil
	}
	refuse := func(err error) error {
		return engine.InputError(fmt.Errorf("cannot write the report to %s: %w\nchoose a writable --output path", path, err))
	}
	fi, err := os.Stat(path) // follows symbolic links
	switch {
	case err == nil && fi.IsDir():
		return refuse(errors.New("it is a directory"))
	case err == nil && !fi.Mode().IsRegular():
		return nil
	case err == nil:
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return refuse(err)
		}
		return f.Close()
	case !errors.Is(err, fs.ErrNotExist):
		return refuse(err)
	}
	// Follow links to a file not made yet as the kernel will: a relative
	// target is relative to the real directory holding the link.
	target := path
	for hops := 0; ; hops++ {
		link, err := os.Readlink(target)
		if err != nil {
			break
		}
		if hops == 40 {
			return refuse(errors.New("too many levels of symbolic links"))
		}
		if !filepath.IsAbs(link) {
			dir, err := filepath.EvalSymlinks(filepath.Dir(target))
			if err != nil {
				return refuse(err)
			}
			link = filepath.Join(dir, link)
		}
		target = link
	}
	dir := filepath.Dir(target)
	if _, err := os.Stat(dir); err != nil {
		return refuse(err)
	}
	probe, err := os.CreateTemp(dir, ".cqltrack-output-*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return refuse(fmt.Errorf("cannot create files in %s: %w", dir, err))
	}
	probe.Close()
	return os.Remove(probe.Name())
}

// emitReport prints report of type typ (a format.Type*) as o asks: text
// (written by text), JSON, or rendered by a formatter, to standard output
// or o.Output. Formats come from format.Render: the built-in module and
// the formatters output.formatters configures.
func (a *app) emitReport(ctx context.Context, o *outputFlags, typ string, report any, text func(b *strings.Builder)) error {
	name := format.Text
	if a.globals.JSON {
		name = format.JSON
	}
	var dest string
	if o != nil {
		dest = o.Output
		if o.Format != "" {
			name = o.Format
		}
	}
	var out []byte
	switch name {
	case format.Text:
		var b strings.Builder
		saved := a.color
		if dest != "" {
			a.color = false // a file gets no terminal colours
		}
		text(&b)
		a.color = saved
		out = []byte(b.String())
	case format.JSON:
		var b bytes.Buffer
		if err := writeJSON(&b, report); err != nil {
			return err
		}
		out = b.Bytes()
	default:
		js, err := json.Marshal(report)
		if err != nil {
			return fmt.Errorf("encode the %s report: %w", typ, err)
		}
		req := format.Request{Format: name, Type: typ, Report: js, Config: a.cfg}
		if a.eng != nil {
			req.Versions = a.eng.VersionNames()
		}
		out, err = format.Render(ctx, req)
		switch {
		case errors.Is(err, format.ErrUnknownFormat) || errors.Is(err, format.ErrReportType):
			return engine.InputError(err)
		case err != nil:
			if !strings.HasPrefix(err.Error(), "format "+name+": ") {
				err = fmt.Errorf("format %s: %w", name, err)
			}
			return engine.PluginError(err)
		}
	}
	if dest != "" {
		if err := os.WriteFile(dest, out, 0o644); err != nil {
			return engine.InputError(fmt.Errorf("write the report: %w\nchoose a writable --output path", err))
		}
		return nil
	}
	_, err := a.stdout.Write(out)
	return err
}

// warnHandler prints the engine's warnings for people, one per line as
// "warning: <message> key=value ..."; anything below warning is dropped.
type warnHandler struct {
	w     io.Writer
	attrs []slog.Attr
}

func (h *warnHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }

func (h *warnHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString("warning: ")
	b.WriteString(r.Message)
	add := func(a slog.Attr) bool {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
		return true
	}
	for _, a := range h.attrs {
		add(a)
	}
	r.Attrs(add)
	b.WriteByte('\n')
	_, err := io.WriteString(h.w, b.String())
	return err
}

func (h *warnHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &warnHandler{w: h.w, attrs: append(append([]slog.Attr(nil), h.attrs...), as...)}
}

func (h *warnHandler) WithGroup(string) slog.Handler { return h }
