package migration

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseName(t *testing.T) {
	tests := []struct {
		name    string
		version int64
		text    string
		desc    string
		wantErr string
	}{
		{"V1__init.cql", 1, "1", "init", ""},
		{"V004__add_users.cql", 4, "004", "add users", ""},
		{"migrations/V20240131120000__Add_Email_2.cql", 20240131120000, "20240131120000", "Add Email 2", ""},
		{"V0__zero.cql", 0, "0", "zero", ""},
		{"V1__a__b.cql", 1, "1", "a  b", ""},
		{"V1.cql", 0, "", "", `missing "__"`},
		{"V1_x.cql", 0, "", "", `missing "__"`},
		{"V__x.cql", 0, "", "", "empty version"},
		{"V-1__x.cql", 0, "", "", `version "-1" must be digits only`},
		{"V1__.cql", 0, "", "", "empty description"},
		{"V1__add users.cql", 0, "", "", `description "add users" may hold only letters, digits, hyphens and underscores`},
		{"V1__ajout_été.cql", 0, "", "", `description "ajout_été" may hold only`},
		{"v1__x.cql", 0, "", "", `upper-case "V"`},
		{"U1__x.cql", 0, "", "", `must start with "V"`},
		{"V1__x.CQL", 0, "", "", `extension must be ".cql" in lower case`},
		{"V1__x.sql", 0, "", "", `not a .cql file`},
		{".cql", 0, "", "", "empty file name"},
		{"V9223372036854775808__x.cql", 0, "", "", "too large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, text, desc, err := ParseName(tt.name)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, ErrName) ||
					!strings.HasPrefix(err.Error(), tt.name+": ") {
					t.Errorf("err = %v, want %q (ErrName, naming the file)", err, tt.wantErr)
				}
				return
			}
			if err != nil || v != tt.version || text != tt.text || desc != tt.desc {
				t.Errorf("= %d %q %q %v, want %d %q %q", v, text, desc, err, tt.version, tt.text, tt.desc)
			}
		})
	}
}

// TestSections checks where a file is cut into up and down, and that down
// statements keep their real line numbers and byte offsets.
func TestSections(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		up      []string // "line:col text"
		down    []string
		hasDown bool
		marker  int // line of the marker
	}{
		{"no marker", "CREATE TABLE a (k int PRIMARY KEY);\nDROP TABLE b;\n",
			[]string{"1:1 CREATE TABLE a (k int PRIMARY KEY)", "2:1 DROP TABLE b"}, nil, false, 0},
		{"marker", "CREATE TABLE a (k int PRIMARY KEY);\n-- @down\nDROP TABLE a;\n",
			[]string{"1:1 CREATE TABLE a (k int PRIMARY KEY)"}, []string{"3:1 DROP TABLE a"}, true, 2},
		{"marker in any case, blanks around", "DROP TABLE x;\n  --@DoWn \t\n\n  DROP TABLE y;",
			[]string{"1:1 DROP TABLE x"}, []string{"4:3 DROP TABLE y"}, true, 2},
		{"CRLF", "DROP TABLE x;\r\n-- @down\r\nDROP TABLE y;\r\n",
			[]string{"1:1 DROP TABLE x"}, []string{"3:1 DROP TABLE y"}, true, 2},
		{"BOM", "\ufeffDROP TABLE x;\n-- @down\nDROP TABLE y;\n",
			[]string{"1:1 DROP TABLE x"}, []string{"3:1 DROP TABLE y"}, true, 2},
		{"empty down", "DROP TABLE x;\n-- @down\n-- cannot be undone\n",
			[]string{"1:1 DROP TABLE x"}, nil, true, 2},
		{"marker as the last line without newline", "DROP TABLE x;\n-- @down",
			[]string{"1:1 DROP TABLE x"}, nil, true, 2},
		{"up without final semicolon", "DROP TABLE x\n-- @down\nDROP TABLE y\n",
			[]string{"1:1 DROP TABLE x"}, []string{"3:1 DROP TABLE y"}, true, 2},
		{"marker inside a string is no marker", "INSERT INTO t (k, v) VALUES (1, '\n-- @down\n');\n",
			[]string{"1:1 INSERT INTO t (k, v) VALUES (1, ' -- @down ')"}, nil, false, 0},
		{"marker inside a block comment is no marker", "/*\n-- @down\n*/ DROP TABLE x;\n",
			[]string{"3:4 DROP TABLE x"}, nil, false, 0},
		{"marker inside a $$ body is no marker", "CREATE FUNCTION f() RETURNS NULL ON NULL INPUT RETURNS int LANGUAGE java AS $$\n-- @down\nreturn 1;$$;\n",
			[]string{"1:1 CREATE FUNCTION f() RETURNS NULL ON NULL INPUT RETURNS int LANGUAGE java AS $$ -- @down return 1;$$"}, nil, false, 0},
		{"batch in down", "INSERT INTO t (k) VALUES (1);\n-- @down\nBEGIN BATCH\n DELETE FROM t WHERE k = 1;\n DELETE FROM t WHERE k = 2;\nAPPLY BATCH;\n",
			[]string{"1:1 INSERT INTO t (k) VALUES (1)"},
			[]string{"3:1 BEGIN BATCH DELETE FROM t WHERE k = 1; DELETE FROM t WHERE k = 2; APPLY BATCH"}, true, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse("V1__t.cql", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			check := func(what string, stmts []Statement, want []string) {
				var got []string
				for _, s := range stmts {
					got = append(got, s.Pos.String()+" "+strings.Join(strings.Fields(s.Text), " "))
					if tt.src[s.Start:s.End] != s.Text {
						t.Errorf("%s: source[%d:%d] = %q, not the statement text %q", what, s.Start, s.End, tt.src[s.Start:s.End], s.Text)
					}
					if line := strings.Count(tt.src[:s.Start], "\n") + 1; line != s.Pos.Line {
						t.Errorf("%s: statement at offset %d is on line %d, Pos says %d", what, s.Start, line, s.Pos.Line)
					}
				}
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("%s:\ngot  %q\nwant %q", what, got, want)
				}
			}
			check("up", m.Up.Statements, tt.up)
			check("down", m.Down.Statements, tt.down)
			if m.HasDown != tt.hasDown || m.DownMarker.Line != tt.marker {
				t.Errorf("HasDown %v marker line %d, want %v %d", m.HasDown, m.DownMarker.Line, tt.hasDown, tt.marker)
			}
			if m.HasDown && m.DownEmpty() != (len(tt.down) == 0) {
				t.Errorf("DownEmpty() = %v", m.DownEmpty())
			}
		})
	}
}

func TestSyntaxErrorPositionsInDown(t *testing.T) {
	src := "CREATE TABLE a (k int PRIMARY KEY);\n\n-- @down\n\nDROP TABLE a;\nSELECT 'unterminated FROM a;\n"
	_, err := Parse("V7__x.cql", []byte(src))
	const want = "V7__x.cql:6:8: unterminated string"
	if err == nil || !strings.HasPrefix(err.Error(), want) || !errors.Is(err, ErrSyntax) {
		t.Fatalf("err = %v, want %q", err, want)
	}
}

func TestStatementChecksum(t *testing.T) {
	base := "CREATE TABLE users (id uuid PRIMARY KEY, name text)"
	same := []string{
		"create table USERS (\n  id UUID primary key, -- the key\n  name text\n)",
		"CREATE  TABLE users(id uuid PRIMARY KEY,name text)",
		"/* moved */ CREATE TABLE users (id uuid PRIMARY KEY, name text)",
	}
	different := []string{
		"CREATE TABLE users (id uuid PRIMARY KEY, name varchar)",
		`CREATE TABLE "Users" (id uuid PRIMARY KEY, name text)`,
		"CREATE TABLE users (id uuid PRIMARY KEY, name text) WITH comment = 'x'",
	}
	want := StatementChecksum(base)
	if len(want) != 64 {
		t.Fatalf("checksum %q is not sha256 hex", want)
	}
	for _, s := range same {
		if got := StatementChecksum(s); got != want {
			t.Errorf("%q: checksum differs from the same statement reformatted (normalized %q vs %q)", s, Normalize(s), Normalize(base))
		}
	}
	for _, s := range different {
		if StatementChecksum(s) == want {
			t.Errorf("%q: same checksum as a different statement", s)
		}
	}
	// String literals keep their case and spacing.
	if StatementChecksum("INSERT INTO t (v) VALUES ('A  b')") == StatementChecksum("INSERT INTO t (v) VALUES ('a b')") {
		t.Error("string literal contents were normalized")
	}
	m, err := Parse("V1__x.cql", []byte(base+";\n"))
	if err != nil || m.Up.Statements[0].Checksum != want {
		t.Errorf("Parse does not set Statement.Checksum: %v", err)
	}
}

func TestNext(t *testing.T) {
	tests := []struct {
		versions []string
		want     string
	}{
		{nil, "001"},
		{[]string{"1", "2"}, "3"},
		{[]string{"001", "009"}, "010"},
		{[]string{"9"}, "10"},
		{[]string{"0001"}, "0002"},
		{[]string{"999"}, "1000"},
		{[]string{"1", "0002"}, "0003"},
		{[]string{"20240131120000"}, "20240131120001"},
	}
	for _, tt := range tests {
		set := &Set{}
		for _, v := range tt.versions {
			m, err := Parse("V"+v+"__x.cql", nil)
			if err != nil {
				t.Fatal(err)
			}
			set.Migrations = append(set.Migrations, m)
		}
		if got := Next(set); got != tt.want {
			t.Errorf("Next(%v) = %s, want %s", tt.versions, got, tt.want)
		}
	}
	if got := Next(nil); got != "001" {
		t.Errorf("Next(nil) = %s", got)
	}
}

func TestSlug(t *testing.T) {
	tests := map[string]string{
		"add users":            "add_users",
		"Add Users (v2)!":      "add_users_v2",
		"  --drop--legacy--  ": "drop_legacy",
		"AddEmailColumn":       "addemailcolumn",
		"ajout été":            "ajout_t",
		"42":                   "42",
		// Cut at a word after 100 characters, keeping a word that ends
		// exactly there.
		strings.Repeat("x", 60) + " " + strings.Repeat("y", 39) + " z": strings.Repeat("x", 60) + "_" + strings.Repeat("y", 39),
		strings.Repeat("x", 60) + " " + strings.Repeat("y", 45):        strings.Repeat("x", 60),
		strings.Repeat("x", 120):                                       strings.Repeat("x", 100),
	}
	for in, want := range tests {
		if got, err := Slug(in); err != nil || got != want {
			t.Errorf("Slug(%q) = %q, %v, want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "   ", "!!!", "ééé"} {
		if _, err := Slug(in); !errors.Is(err, ErrEmptyName) {
			t.Errorf("Slug(%q) err = %v, want ErrEmptyName", in, err)
		}
	}
}

func TestNewFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "migrations") // does not exist yet
	p1, err := NewFile(dir, "Create users")
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(p1) != "V001__create_users.cql" {
		t.Errorf("first file %s", p1)
	}
	p2, err := NewFile(dir, "add email")
	if err != nil || filepath.Base(p2) != "V002__add_email.cql" {
		t.Fatalf("second file %s, %v", p2, err)
	}
	// The template is a valid migration: no up statement, an empty down.
	set, err := LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := set.Migrations[1]
	if len(m.Up.Statements) != 0 || !m.HasDown || !m.DownEmpty() || m.Description != "add email" {
		t.Errorf("template: up %d, HasDown %v, DownEmpty %v, desc %q", len(m.Up.Statements), m.HasDown, m.DownEmpty(), m.Description)
	}
	if !strings.HasPrefix(string(m.Source), "-- V002: add email\n") {
		t.Errorf("template header: %q", m.Source)
	}
	// Padding follows the existing files.
	if err := os.WriteFile(filepath.Join(dir, "V00009__legacy.cql"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if p, err := NewFile(dir, "next"); err != nil || filepath.Base(p) != "V00010__next.cql" {
		t.Errorf("padded file %s, %v", p, err)
	}
	if _, err := NewFile(dir, "?!"); !errors.Is(err, ErrEmptyName) {
		t.Errorf("empty name: err = %v", err)
	}
	// A broken directory is not numbered blindly.
	if err := os.WriteFile(filepath.Join(dir, "V10__dup.cql"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := NewFile(dir, "more"); !errors.Is(err, ErrDuplicate) {
		t.Errorf("duplicate versions: err = %v, want ErrDuplicate", err)
	}
}

// TestNearMissMarkers: a comment that starts like the down marker but is
// not one would leave the down statements in the up section, where
// migrate runs them: it is an error at its position, not a comment. A
// comment that merely mentions @down later, or a longer word, is a comment.
func TestNearMissMarkers(t *testing.T) {
	tests := []struct {
		name, src, at string
	}{
		{"text after the marker", "DROP TABLE x;\n-- @down please\nDROP TABLE y;\n", "2:1"},
		{"marker after a statement on its line", "DROP TABLE x; -- @down\nDROP TABLE y;\n", "1:15"},
		{"line comment of another style", "CREATE TABLE x (k int PRIMARY KEY);\n// @down\nDROP TABLE x;\n", "2:1"},
		{"block comment", "CREATE TABLE x (k int PRIMARY KEY);\n/* @down */\nDROP TABLE x;\n", "2:1"},
		{"three dashes", "CREATE TABLE x (k int PRIMARY KEY);\n--- @down\nDROP TABLE x;\n", "2:1"},
		{"a colon", "CREATE TABLE x (k int PRIMARY KEY);\n-- @DOWN: undo\nDROP TABLE x;\n", "2:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("V1__t.cql", []byte(tt.src))
			if !errors.Is(err, ErrMarker) || !strings.Contains(err.Error(), "V1__t.cql:"+tt.at+": a comment that starts like the down marker but is not one") {
				t.Errorf("Parse: %v, want ErrMarker at %s", err, tt.at)
			}
		})
	}
	for _, src := range []string{
		"CREATE TABLE x (k int PRIMARY KEY);\n-- see the @down section below\n-- @down\nDROP TABLE x;\n",
		"CREATE TABLE x (k int PRIMARY KEY);\n-- @downgrade notes: none\n",
	} {
		if _, err := Parse("V1__t.cql", []byte(src)); err != nil {
			t.Errorf("Parse(%q): %v, want a plain comment", src, err)
		}
	}
}
