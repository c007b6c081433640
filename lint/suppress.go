package lint

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/cqltrack/cqltrack/engine/cql"
)

// The comment markers of suppressions.
const (
	ignoreMarker     = "cqltrack:ignore"
	ignoreFileMarker = "cqltrack:ignore-file"
)

// suppression is one rule named by one suppression comment.
type suppression struct {
	rule  string
	file  bool // ignore-file
	line  int  // the comment's line
	pos   cql.Pos
	stmts []int // statements it covers (ignore)
	used  bool
}

// suppressions reads the suppression comments of the file. Most files
// have none, and are not lexed again.
func (fr *fileRequest) suppressions() []*suppression {
	src := fr.mig.Source
	if !bytes.Contains(src, []byte(ignoreMarker)) {
		return nil
	}
	var out []*suppression
	l := cql.NewLexer(src)
	for {
		t, err := l.Next()
		if err != nil || t.Kind == cql.TokEOF {
			break
		}
		if t.Kind != cql.TokComment {
			continue
		}
		text := strings.TrimSpace(t.Text)
		for _, mark := range []string{"--", "//", "/*"} {
			text = strings.TrimPrefix(text, mark)
		}
		text = strings.TrimSpace(strings.TrimSuffix(text, "*/"))
		var file bool
		switch {
		case strings.HasPrefix(text, ignoreFileMarker):
			file, text = true, text[len(ignoreFileMarker):]
		case strings.HasPrefix(text, ignoreMarker):
			text = text[len(ignoreMarker):]
		default:
			continue
		}
		if text != "" && text[0] != ' ' && text[0] != '\t' {
			continue // cqltrack:ignored, cqltrack:ignore-files: not ours
		}
		fields := strings.Fields(text)
		if len(fields) == 0 {
			out = append(out, &suppression{file: file, line: t.Pos.Line, pos: t.Pos}) // names no rule
			continue
		}
		stmts := fr.covered(t.Pos.Line)
		for _, id := range strings.Split(fields[0], ",") {
			if id = strings.TrimSpace(id); id != "" {
				out = append(out, &suppression{rule: id, file: file, line: t.Pos.Line, pos: t.Pos, stmts: stmts})
			}
		}
	}
	return out
}

// covered returns the statements a suppression on line covers: those
// whose lines include it, else the one that starts on the next line.
func (fr *fileRequest) covered(line int) []int {
	var on, next []int
	for idx, span := range fr.spans {
		switch {
		case span[0] <= line && line <= span[1]:
			on = append(on, idx)
		case span[0] == line+1:
			next = append(next, idx)
		}
	}
	if len(on) > 0 {
		return on
	}
	return next
}

// suppress drops the findings that suppression comments cover and adds an
// unused-suppression finding for every suppression of an enabled rule that
// covered nothing. enabled maps the loaded rules to whether they can fire.
// A suppression of a rule that failed on this file (failed) is not
// reported: the rule did not get to say what it finds. When a plugin failed
// to load (incomplete), a suppression of an unknown rule is not reported
// either: the rule may be one of that plugin's. Suppressions of
// unused-suppression itself drop the unused-suppression findings they
// cover: all of the file's for ignore-file, else those of suppressions on
// the same line or the same statements.
func (fr *fileRequest) suppress(fs []found, enabled map[string]bool, unusedSeverity string, failed map[string]bool, incomplete bool) []Finding {
	sups := fr.suppressions()
	out := make([]Finding, 0, len(fs))
	for _, f := range fs {
		hit := false
		for _, s := range sups {
			if s.rule != f.Rule {
				continue
			}
			if s.file || (f.stmt != 0 && contains(s.stmts, f.stmt)) {
				s.used, hit = true, true
			}
		}
		if !hit {
			out = append(out, f.Finding)
		}
	}
	if unusedSeverity == SeverityOff {
		return out
	}
	var stale []*suppression
	for _, s := range sups {
		can, known := enabled[s.rule]
		if s.rule == UnusedSuppression {
			continue // judged below, once the stale ones are known
		}
		if s.used || (known && !can) || (!known && s.rule != "" && incomplete) || failed[s.rule] {
			continue // a disabled or failed rule cannot fire: its suppression is not stale
		}
		if silenced(sups, s) {
			continue
		}
		stale = append(stale, s)
	}
	for _, s := range sups {
		if s.rule == UnusedSuppression && !s.used {
			stale = append(stale, s) // it silenced nothing
		}
	}
	for _, s := range stale {
		_, known := enabled[s.rule]
		marker := ignoreMarker
		if s.file {
			marker = ignoreFileMarker
		}
		var msg string
		switch {
		case s.rule == "":
			msg = fmt.Sprintf("%s names no rule: write %s <rule>[,<rule>] <reason>", marker, marker)
		case s.rule == UnusedSuppression && s.file:
			msg = fmt.Sprintf("%s %s suppresses nothing: no suppression in this file is unused; remove the comment", marker, s.rule)
		case s.rule == UnusedSuppression:
			msg = fmt.Sprintf("%s %s suppresses nothing: no suppression on this line or statement is unused; remove the comment", marker, s.rule)
		case !known:
			msg = fmt.Sprintf("%s %s: no loaded rule has this id (see `cqltrack rules`)", marker, s.rule)
		case s.file:
			msg = fmt.Sprintf("%s %s suppresses nothing: the rule finds nothing in this file; remove the comment", marker, s.rule)
		default:
			msg = fmt.Sprintf("%s %s suppresses nothing: no finding of that rule on this statement; remove the comment", marker, s.rule)
		}
		out = append(out, Finding{
			File: fr.shown, Version: fr.mig.VersionText, Line: s.pos.Line, Column: s.pos.Col,
			Rule: UnusedSuppression, Severity: unusedSeverity, Message: msg, Plugin: "cqltrack",
		})
	}
	return out
}

// silenced reports whether a suppression of unused-suppression covers the
// stale suppression s, and marks it used if so.
func silenced(sups []*suppression, s *suppression) bool {
	hit := false
	for _, u := range sups {
		if u.rule != UnusedSuppression {
			continue
		}
		if u.file || u.line == s.line || overlaps(u.stmts, s.stmts) {
			u.used, hit = true, true
		}
	}
	return hit
}

func overlaps(xs, ys []int) bool {
	for _, x := range xs {
		if contains(ys, x) {
			return true
		}
	}
	return false
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
