package builtin

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cqltrack/cqltrack/format/sdk"
)

// renderMarkdown writes a summary for a pull-request comment or a job
// summary ($GITHUB_STEP_SUMMARY): a heading with the outcome, then a table.
func renderMarkdown(req *sdk.Request) ([]byte, error) {
	var (
		b   strings.Builder
		err error
	)
	switch req.Type {
	case sdk.TypeLint:
		err = mdLint(&b, req)
	case sdk.TypeMigrate:
		err = mdMigrate(&b, req)
	case sdk.TypeStatus:
		err = mdStatus(&b, req)
	case sdk.TypePending:
		err = mdPending(&b, req)
	case sdk.TypeHistory:
		err = mdHistory(&b, req)
	case sdk.TypeValidate:
		err = mdValidate(&b, req)
	case sdk.TypeDiff:
		err = mdDiff(&b, req)
	case sdk.TypeDrift:
		err = mdDrift(&b, req)
	default:
		err = fmt.Errorf("%w: %s", sdk.ErrReportType, req.Type)
	}
	if err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

// cell escapes text for a table cell: pipes would end the cell, newlines
// the row.
func cell(s string) string {
	s = strings.NewReplacer("|", `\|`, "\r\n", "<br>", "\n", "<br>").Replace(s)
	if s == "" {
		return " "
	}
	return s
}

// code puts text in an inline code span that survives backticks inside.
func code(s string) string {
	if s == "" {
		return " "
	}
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + cell(s) + " " + fence
	}
	return fence + cell(s) + fence
}

func table(b *strings.Builder, header []string, rows [][]string) {
	b.WriteString("| " + strings.Join(header, " | ") + " |\n")
	b.WriteString("|" + strings.Repeat(" --- |", len(header)) + "\n")
	for _, r := range rows {
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
	}
}

var severityIcon = map[string]string{"error": "❌ error", "warning": "⚠️ warning", "info": "ℹ️ info"}

func mdLint(b *strings.Builder, req *sdk.Request) error {
	var rep sdk.LintReport
	if err := req.Decode(&rep); err != nil {
		return err
	}
	icon := "✅"
	if rep.Errors > 0 {
		icon = "❌"
	} else if rep.Warnings > 0 {
		icon = "⚠️"
	}
	fmt.Fprintf(b, "### %s cqltrack lint\n\n", icon)
	fmt.Fprintf(b, "%s, %s, %s in %s.\n", plural(rep.Errors, "error"), plural(rep.Warnings, "warning"), plural(rep.Infos, "info"), plural(rep.Files, "file"))
	if len(rep.Findings) == 0 {
		return nil
	}
	docs := map[string]string{}
	for _, r := range req.Rules {
		docs[r.ID] = r.DocsURL
	}
	var rows [][]string
	for _, f := range rep.Findings {
		where := code(slash(f.File))
		if f.Line > 0 {
			where = code(fmt.Sprintf("%s:%d:%d", slash(f.File), f.Line, f.Column))
		}
		rule := code(f.Rule)
		if u := docs[f.Rule]; u != "" {
			rule = fmt.Sprintf("[%s](%s)", rule, u)
		}
		rows = append(rows, []string{cell(severityIcon[f.Severity]), where, rule, cell(f.Message)})
	}
	b.WriteString("\n")
	table(b, []string{"Severity", "Where", "Rule", "Message"}, rows)
	return nil
}

func mdMigrate(b *strings.Builder, req *sdk.Request) error {
	var rep sdk.MigrateReport
	if err := req.Decode(&rep); err != nil {
		return err
	}
	applied, failed := 0, 0
	for _, m := range rep.Migrations {
		switch m.Status {
		case "applied":
			applied++
		case "failed":
			failed++
		}
	}
	switch {
	case rep.DryRun:
		fmt.Fprintf(b, "### 📝 cqltrack migrate (dry run): %s\n\n", code(rep.Keyspace))
		fmt.Fprintf(b, "%s would be applied; nothing was changed.\n", plural(len(rep.Migrations), "migration"))
	case failed > 0:
		fmt.Fprintf(b, "### ❌ cqltrack migrate: %s\n\n", code(rep.Keyspace))
		fmt.Fprintf(b, "%s applied, %s failed; the keyspace is at %s.\n", plural(applied, "migration"), plural(failed, "migration"), req.VersionName(rep.Current))
	default:
		fmt.Fprintf(b, "### ✅ cqltrack migrate: %s\n\n", code(rep.Keyspace))
		fmt.Fprintf(b, "%s applied; the keyspace is at %s.\n", plural(applied, "migration"), req.VersionName(rep.Current))
	}
	if len(rep.Migrations) > 0 {
		var rows [][]string
		for _, m := range rep.Migrations {
			rows = append(rows, []string{migrationVersion(m.Name, m.Version), cell(migrationTitle(m.Name)), m.Status,
				fmt.Sprintf("%d/%d", m.StatementsApplied, m.StatementsTotal), fmt.Sprintf("%d ms", m.DurationMs)})
		}
		b.WriteString("\n")
		table(b, []string{"Version", "Migration", "Status", "Statements", "Duration"}, rows)
	}
	for _, m := range rep.Migrations {
		if f := m.Failure; f != nil {
			fmt.Fprintf(b, "\n**Migration %s failed** at statement %d (%s): %s\n", migrationVersion(m.Name, m.Version), f.Statement, code(fmt.Sprintf("%s:%d:%d", slash(m.File), f.Line, f.Column)), cell(f.Message))
		}
	}
	if len(rep.Warnings) > 0 {
		b.WriteString("\n")
		for _, w := range rep.Warnings {
			fmt.Fprintf(b, "- ⚠️ %s\n", cell(w))
		}
	}
	return nil
}

func statusRows(ms []sdk.MigrationStatus) [][]string {
	var rows [][]string
	for _, m := range ms {
		at := " "
		if m.AppliedAt != nil {
			at = m.AppliedAt.UTC().Format(time.RFC3339)
		}
		state := m.State
		if m.OutOfOrder {
			state += " (out of order)"
		}
		rows = append(rows, []string{migrationVersion(m.Name, m.Version), cell(m.Description), state, at})
	}
	return rows
}

func mdStatus(b *strings.Builder, req *sdk.Request) error {
	var rep sdk.StatusReport
	if err := req.Decode(&rep); err != nil {
		return err
	}
	fmt.Fprintf(b, "### cqltrack status: %s\n\n", code(rep.Keyspace))
	fmt.Fprintf(b, "Cluster %s (Cassandra %s), current version %s.", code(rep.Cluster), rep.Release, req.VersionName(rep.Current))
	if len(rep.Counts) > 0 {
		var states []string
		for s := range rep.Counts {
			states = append(states, s)
		}
		slices.Sort(states)
		var parts []string
		for _, s := range states {
			parts = append(parts, fmt.Sprintf("%d %s", rep.Counts[s], s))
		}
		fmt.Fprintf(b, " %s.", strings.Join(parts, ", "))
	}
	b.WriteString("\n")
	if rep.Lock != nil {
		fmt.Fprintf(b, "\n🔒 The migration lock is held by %s.\n", code(rep.Lock.Owner))
	}
	if len(rep.Migrations) > 0 {
		b.WriteString("\n")
		table(b, []string{"Version", "Description", "State", "Applied at"}, statusRows(rep.Migrations))
	}
	return nil
}

func mdPending(b *strings.Builder, req *sdk.Request) error {
	var rep sdk.PendingReport
	if err := req.Decode(&rep); err != nil {
		return err
	}
	fmt.Fprintf(b, "### cqltrack pending: %s\n\n", code(rep.Keyspace))
	if len(rep.Pending) == 0 {
		fmt.Fprintf(b, "Nothing pending; the keyspace is at %s.\n", req.VersionName(rep.Current))
		return nil
	}
	fmt.Fprintf(b, "%s pending after %s.\n\n", plural(len(rep.Pending), "migration"), req.VersionName(rep.Current))
	table(b, []string{"Version", "Description", "State", "Applied at"}, statusRows(rep.Pending))
	return nil
}

func mdHistory(b *strings.Builder, req *sdk.Request) error {
	var rep sdk.HistoryReport
	if err := req.Decode(&rep); err != nil {
		return err
	}
	fmt.Fprintf(b, "### cqltrack history: %s\n\n", code(rep.Keyspace))
	if len(rep.Events) == 0 {
		b.WriteString("No events.\n")
		return nil
	}
	var rows [][]string
	for _, e := range rep.Events {
		version := " "
		if e.Version != 0 {
			version = req.VersionName(e.Version)
		}
		var parts []string
		for _, p := range []string{e.Description, e.Error, e.Detail} {
			if p != "" {
				parts = append(parts, p)
			}
		}
		what := strings.Join(parts, " — ")
		rows = append(rows, []string{e.At.UTC().Format(time.RFC3339), e.Kind, version, cell(what), cell(e.Who)})
	}
	table(b, []string{"At", "Event", "Version", "What", "Who"}, rows)
	return nil
}

func mdValidate(b *strings.Builder, req *sdk.Request) error {
	var rep sdk.ValidateReport
	if err := req.Decode(&rep); err != nil {
		return err
	}
	if rep.Valid {
		fmt.Fprintf(b, "### ✅ cqltrack validate: %s\n\nEvery applied migration matches its file.\n", code(rep.Keyspace))
		return nil
	}
	fmt.Fprintf(b, "### ❌ cqltrack validate: %s\n\n%s changed after being applied.\n\n", code(rep.Keyspace), plural(len(rep.Problems), "migration"))
	var rows [][]string
	for _, p := range rep.Problems {
		rows = append(rows, []string{migrationVersion(p.Name, p.Version), cell(p.Description), p.State, code(p.AppliedChecksum), code(p.Checksum)})
	}
	table(b, []string{"Version", "Description", "State", "Recorded checksum", "File checksum"}, rows)
	return nil
}

func changeRows(cs []sdk.Change) [][]string {
	var rows [][]string
	for _, c := range cs {
		name := c.Name
		if c.Table != "" {
			name = c.Table + "." + c.Name
		}
		how := "in place"
		if !c.InPlace {
			how = cell("⚠️ not in place: " + c.Reason)
		}
		rows = append(rows, []string{c.Op, c.Object, code(name), cell(c.Detail), how})
	}
	return rows
}

// fenced writes text as a fenced code block in language lang.
func fenced(b *strings.Builder, lang, text string) {
	fence := "```"
	for strings.Contains(text, fence) {
		fence += "`"
	}
	fmt.Fprintf(b, "%s%s\n%s\n%s\n", fence, lang, strings.TrimRight(text, "\n"), fence)
}

func mdDiff(b *strings.Builder, req *sdk.Request) error {
	var rep sdk.DiffReport
	if err := req.Decode(&rep); err != nil {
		return err
	}
	if rep.Equal {
		fmt.Fprintf(b, "### ✅ cqltrack diff: %s and %s\n\nThe schemas are equal.\n", code(rep.Source), code(rep.Target))
		return nil
	}
	fmt.Fprintf(b, "### cqltrack diff: %s → %s\n\n%s.\n\n", code(rep.Source), code(rep.Target), plural(len(rep.Changes), "change"))
	table(b, []string{"Op", "Object", "Name", "Detail", "How"}, changeRows(rep.Changes))
	if rep.Script != "" {
		b.WriteString("\n<details><summary>Script</summary>\n\n")
		fenced(b, "sql", rep.Script)
		b.WriteString("\n</details>\n")
	}
	return nil
}

func mdDrift(b *strings.Builder, req *sdk.Request) error {
	var rep sdk.DriftReport
	if err := req.Decode(&rep); err != nil {
		return err
	}
	if !rep.Drift {
		fmt.Fprintf(b, "### ✅ cqltrack drift: %s\n\nThe live schema is what the %s produce.\n", code(rep.Keyspace), plural(len(rep.Applied), "applied migration"))
		return nil
	}
	fmt.Fprintf(b, "### ❌ cqltrack drift: %s\n\n%s made outside migrations.\n\n", code(rep.Keyspace), plural(len(rep.Changes), "change"))
	table(b, []string{"Op", "Object", "Name", "Detail", "How"}, changeRows(rep.Changes))
	return nil
}
