package migration

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/cqltrack/cqltrack/engine/cql"
)

// Sentinel errors; every *FileError matches one of them with errors.Is.
var (
	// ErrName: a .cql file whose name is not V<version>__<description>.cql.
	ErrName = errors.New("bad migration file name")
	// ErrDuplicate: two files with the same version (V1 and V001 are the same).
	ErrDuplicate = errors.New("duplicate migration version")
	// ErrMarker: more than one "-- @down" line in a file.
	ErrMarker = errors.New("bad down marker")
	// ErrSyntax: a section could not be split into statements.
	ErrSyntax = errors.New("cql syntax error")
)

// FileError is a problem with one migration file. Pos is zero when it is
// about the file as a whole (its name, a duplicate version).
type FileError struct {
	Path string
	Pos  cql.Pos
	Msg  string
	Kind error // ErrName, ErrDuplicate, ErrMarker or ErrSyntax
	// Cause is the underlying error when there is one (a *cql.SyntaxError
	// with file positions for ErrSyntax).
	Cause error
}

// Error renders "path:line:col: message", or "path: message".
func (e *FileError) Error() string {
	if e.Pos.IsValid() {
		return e.Path + ":" + e.Pos.String() + ": " + e.Msg
	}
	return e.Path + ": " + e.Msg
}

// Unwrap exposes the sentinel and the cause to errors.Is and errors.As.
func (e *FileError) Unwrap() []error {
	if e.Cause != nil {
		return []error{e.Kind, e.Cause}
	}
	return []error{e.Kind}
}

// Migration is one migration file, read and split.
type Migration struct {
	// Version is the number in the file name; VersionText is its digits as
	// written ("004"), which keeps the padding width.
	Version     int64  `json:"version"`
	VersionText string `json:"version_text"`
	// Description is the file name's description with underscores shown
	// as spaces ("add users").
	Description string `json:"description"`
	// Path is the file's path as the fs.FS names it (with the directory).
	Path string `json:"path"`
	// Checksum is the MD5 of the whole file in hex, as cql-track 1.x stores it.
	Checksum string `json:"checksum"`
	// Source is the file's content.
	Source []byte `json:"-"`
	// Up holds the statements before the "-- @down" line (the whole file
	// when there is none), Down those after it.
	Up   Section `json:"up"`
	Down Section `json:"down"`
	// HasDown reports a "-- @down" line; DownMarker is where it is.
	HasDown    bool    `json:"has_down"`
	DownMarker cql.Pos `json:"down_marker,omitzero"`
}

// Section is the up or the down part of a migration file.
type Section struct {
	// Start and End are the byte offsets of the section in the file.
	Start      int         `json:"start"`
	End        int         `json:"end"`
	Statements []Statement `json:"statements"`
}

// Statement is a statement of a migration with positions in the whole file
// (a down statement keeps its real line number) and its checksum.
type Statement struct {
	cql.Statement
	// Checksum is StatementChecksum of the statement's text.
	Checksum string `json:"checksum"`
}

// DownEmpty reports a "-- @down" line followed by no statement: the
// migration declares that it cannot, or need not, be undone.
func (m *Migration) DownEmpty() bool { return m.HasDown && len(m.Down.Statements) == 0 }

// Name returns the file name's version and description as a person reads
// them: "V004 add users".
func (m *Migration) Name() string { return "V" + m.VersionText + " " + m.Description }

// downMarker is the line that separates the up and down sections: "--",
// optional blanks, "@down" in any case, optional blanks, nothing else.
var downMarker = regexp.MustCompile(`(?i)^--[ \t]*@down[ \t]*$`)

// Parse reads one migration file: name is its path (only the base name is
// checked against the naming pattern), data its content.
func Parse(name string, data []byte) (*Migration, error) {
	version, text, desc, err := ParseName(name)
	if err != nil {
		return nil, err
	}
	m := &Migration{Version: version, VersionText: text, Description: desc, Path: name}
	if err := m.read(data); err != nil {
		return nil, err
	}
	return m, nil
}

// read sets the checksum and sections from the file content.
func (m *Migration) read(data []byte) error {
	sum := md5.Sum(data)
	m.Checksum = hex.EncodeToString(sum[:])
	m.Source = data

	markers, nearMisses := findMarkers(data)
	var errs []error
	for _, pos := range nearMisses {
		// Taken as a comment, it would leave the down statements in the
		// up section, and migrate would run them.
		errs = append(errs, &FileError{Path: m.Path, Pos: pos, Kind: ErrMarker,
			Msg: "a comment that starts like the down marker but is not one: write \"-- @down\" alone on its line (or reword the comment)"})
	}
	for _, extra := range markers[min(len(markers), 1):] {
		errs = append(errs, &FileError{Path: m.Path, Pos: extra.pos, Kind: ErrMarker,
			Msg: fmt.Sprintf("a second \"-- @down\" line (the first is on line %d): a file has one down section", markers[0].pos.Line)})
	}
	m.Up = Section{Start: 0, End: len(data)}
	if len(markers) > 0 {
		mk := markers[0]
		m.HasDown, m.DownMarker = true, mk.pos
		m.Up.End = mk.pos.Offset
		m.Down = Section{Start: mk.next, End: len(data)}
		if len(markers) > 1 {
			m.Down.End = markers[1].pos.Offset
		}
	}
	var err error
	if m.Up.Statements, err = m.split(data, m.Up, cql.Pos{Offset: 0, Line: 1, Col: 1}); err != nil {
		errs = append(errs, err)
	}
	if m.HasDown {
		start := cql.Pos{Offset: m.Down.Start, Line: m.DownMarker.Line + 1, Col: 1}
		if m.Down.Statements, err = m.split(data, m.Down, start); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

type marker struct {
	pos  cql.Pos
	next int // offset of the line after the marker
}

// findMarkers returns the "-- @down" lines that are comments of their own:
// the lexer tells a comment from the same text inside a string or a block
// comment. When the file does not lex (an unterminated string), the lines
// are matched as text instead, so the sections are still found and the
// syntax error is reported with the right section. nearMisses are comments
// that start like a marker but are not one ("// @down", "-- @down: undo",
// "/* @down */", a marker after a statement on its line).
func findMarkers(data []byte) (markers []marker, nearMisses []cql.Pos) {
	if !mentionsDown(data) {
		return nil, nil // most files have no marker text at all: skip lexing
	}
	l := cql.NewLexer(data)
	for {
		t, err := l.Next()
		if err != nil {
			return findMarkerLines(data), nil
		}
		if t.Kind == cql.TokEOF {
			return markers, nearMisses
		}
		if t.Kind != cql.TokComment {
			continue
		}
		if !downMarker.MatchString(strings.TrimRight(t.Text, "\r\n")) {
			if startsLikeMarker(t.Text) {
				nearMisses = append(nearMisses, t.Pos)
			}
			continue
		}
		// Only blanks may precede it on its line.
		lineStart := bytes.LastIndexByte(data[:t.Pos.Offset], '\n') + 1
		if len(bytes.Trim(data[lineStart:t.Pos.Offset], " \t\ufeff")) != 0 {
			nearMisses = append(nearMisses, t.Pos)
			continue
		}
		// Only blanks may follow it (the comment token ends at the newline).
		end := t.End
		for end < len(data) && (data[end] == ' ' || data[end] == '\t' || data[end] == '\r') {
			end++
		}
		if end < len(data) && data[end] != '\n' {
			nearMisses = append(nearMisses, t.Pos)
			continue
		}
		markers = append(markers, marker{pos: cql.Pos{Offset: lineStart, Line: t.Pos.Line, Col: 1}, next: min(end+1, len(data))})
	}
}

// startsLikeMarker reports a comment whose text, after its comment
// characters and blanks, begins with the word @down (any case).
func startsLikeMarker(comment string) bool {
	body := strings.TrimLeft(comment, "-/* \t")
	if len(body) < 5 || !strings.EqualFold(body[:5], "@down") {
		return false
	}
	if len(body) == 5 {
		return true
	}
	c := body[5]
	return !(c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')
}

// mentionsDown reports whether "@down", in any case, occurs in data.
func mentionsDown(data []byte) bool {
	for i := bytes.IndexByte(data, '@'); i >= 0; {
		if i+5 <= len(data) && bytes.EqualFold(data[i+1:i+5], []byte("down")) {
			return true
		}
		next := bytes.IndexByte(data[i+1:], '@')
		if next < 0 {
			return false
		}
		i += 1 + next
	}
	return false
}

func findMarkerLines(data []byte) []marker {
	var out []marker
	line, off := 1, 0
	for off <= len(data) {
		nl := strings.IndexByte(string(data[off:]), '\n')
		end := len(data)
		if nl >= 0 {
			end = off + nl
		}
		text := strings.Trim(strings.TrimRight(string(data[off:end]), "\r"), " \t\ufeff")
		if downMarker.MatchString(text) {
			out = append(out, marker{pos: cql.Pos{Offset: off, Line: line, Col: 1}, next: min(end+1, len(data))})
		}
		if nl < 0 {
			break
		}
		off, line = end+1, line+1
	}
	return out
}

// split cuts data[sec.Start:sec.End] into statements and moves their
// positions from the section to the file (start is where the section
// begins; it always begins at a line start, so columns need no shift).
func (m *Migration) split(data []byte, sec Section, start cql.Pos) ([]Statement, error) {
	src := data[sec.Start:sec.End]
	stmts, err := cql.Split(src)
	var se *cql.SyntaxError
	if err != nil {
		if !errors.As(err, &se) {
			return nil, &FileError{Path: m.Path, Kind: ErrSyntax, Msg: err.Error(), Cause: err}
		}
		shifted := *se
		shifted.Pos = shift(se.Pos, start)
		msg := shifted.Msg
		if shifted.Near != "" {
			msg += ", found " + strconv.Quote(shifted.Near)
		}
		return nil, &FileError{Path: m.Path, Pos: shifted.Pos, Kind: ErrSyntax, Msg: msg, Cause: &shifted}
	}
	out := make([]Statement, len(stmts))
	for i, s := range stmts {
		s.Start += start.Offset
		s.End += start.Offset
		s.Pos = shift(s.Pos, start)
		for j := range s.Comments {
			s.Comments[j].Pos = shift(s.Comments[j].Pos, start)
		}
		out[i] = Statement{Statement: s, Checksum: StatementChecksum(s.Text)}
	}
	return out, nil
}

func shift(p, start cql.Pos) cql.Pos {
	if !p.IsValid() {
		return p
	}
	return cql.Pos{Offset: p.Offset + start.Offset, Line: p.Line + start.Line - 1, Col: p.Col}
}

// StatementChecksum returns the SHA-256 (hex) of a statement's normalized
// text: tokens without comments, separated by single spaces, unquoted
// identifiers and keywords in lower case. Reformatting a statement or
// editing its comments keeps its checksum; changing what it does does not.
func StatementChecksum(text string) string {
	sum := sha256.Sum256([]byte(Normalize(text)))
	return hex.EncodeToString(sum[:])
}

// Normalize returns the statement text StatementChecksum hashes. Text that
// does not lex is normalized by collapsing blanks only.
func Normalize(text string) string {
	l := cql.NewLexer([]byte(text))
	var b strings.Builder
	b.Grow(len(text))
	for {
		t, err := l.Next()
		if err != nil {
			return strings.Join(strings.Fields(text), " ")
		}
		if t.Kind == cql.TokEOF {
			return b.String()
		}
		if t.Kind == cql.TokComment {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		switch t.Kind {
		case cql.TokIdent, cql.TokBoolean:
			for i := 0; i < len(t.Text); i++ {
				c := t.Text[i]
				if c >= 'A' && c <= 'Z' {
					c += 'a' - 'A'
				}
				b.WriteByte(c)
			}
		default:
			b.WriteString(t.Text)
		}
	}
}
