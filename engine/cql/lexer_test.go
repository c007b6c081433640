package cql

import (
	"strings"
	"testing"
)

func TestLexTokens(t *testing.T) {
	type tok struct {
		kind TokenKind
		text string
	}
	tests := []struct {
		in   string
		want []tok
	}{
		{`SELECT a, "B""c" FROM ks.t;`, []tok{{TokIdent, "SELECT"}, {TokIdent, "a"}, {TokOp, ","}, {TokQuotedIdent, `"B""c"`}, {TokIdent, "FROM"}, {TokIdent, "ks"}, {TokOp, "."}, {TokIdent, "t"}, {TokOp, ";"}}},
		{`'it''s' $$a;'b$$`, []tok{{TokString, `'it''s'`}, {TokDollarString, `$$a;'b$$`}}},
		{`42 -7 1.5 -2e10 3. 1E+3 0xCAFE 0x`, []tok{{TokInteger, "42"}, {TokInteger, "-7"}, {TokFloat, "1.5"}, {TokFloat, "-2e10"}, {TokFloat, "3."}, {TokFloat, "1E+3"}, {TokBlob, "0xCAFE"}, {TokBlob, "0x"}}},
		{`123e4567-e89b-12d3-a456-426614174000 deadbeef-dead-beef-dead-beefdeadbeef`, []tok{{TokUUID, "123e4567-e89b-12d3-a456-426614174000"}, {TokUUID, "deadbeef-dead-beef-dead-beefdeadbeef"}}},
		// The ISO 8601 forms are upper case in Cassandra's lexer: these
		// are names (a column p1d, a metric pt1h), as Cassandra reads them.
		{`p1d pt1h p2w P1d`, []tok{{TokIdent, "p1d"}, {TokIdent, "pt1h"}, {TokIdent, "p2w"}, {TokIdent, "P1d"}}},
		{`1h30m 12mo 5us 10µs 3ns 2y1w -4d 1ms P1DT2H P2W PT0S P0001-02-03T04:05:06`, []tok{{TokDuration, "1h30m"}, {TokDuration, "12mo"}, {TokDuration, "5us"}, {TokDuration, "10µs"}, {TokDuration, "3ns"}, {TokDuration, "2y1w"}, {TokDuration, "-4d"}, {TokDuration, "1ms"}, {TokDuration, "P1DT2H"}, {TokDuration, "P2W"}, {TokDuration, "PT0S"}, {TokDuration, "P0001-02-03T04:05:06"}}},
		{`pk p1 PT 1month`, []tok{{TokIdent, "pk"}, {TokIdent, "p1"}, {TokIdent, "PT"}, {TokInteger, "1"}, {TokIdent, "month"}}},
		{`-P1D -P0001-02-03T04:05:06 -pk`, []tok{{TokDuration, "-P1D"}, {TokDuration, "-P0001-02-03T04:05:06"}, {TokOp, "-"}, {TokIdent, "pk"}}},
		{`TRUE false True`, []tok{{TokBoolean, "TRUE"}, {TokBoolean, "false"}, {TokBoolean, "True"}}},
		{`= != < <= > >= ( ) [ ] { } , ; . : ? + - * / % += -= ..`, []tok{{TokOp, "="}, {TokOp, "!="}, {TokOp, "<"}, {TokOp, "<="}, {TokOp, ">"}, {TokOp, ">="}, {TokOp, "("}, {TokOp, ")"}, {TokOp, "["}, {TokOp, "]"}, {TokOp, "{"}, {TokOp, "}"}, {TokOp, ","}, {TokOp, ";"}, {TokOp, "."}, {TokOp, ":"}, {TokOp, "?"}, {TokOp, "+"}, {TokOp, "-"}, {TokOp, "*"}, {TokOp, "/"}, {TokOp, "%"}, {TokOp, "+="}, {TokOp, "-="}, {TokOp, ".."}}},
		{"a -- line\r\nb // other\n/* block\n */c", []tok{{TokIdent, "a"}, {TokComment, "-- line"}, {TokIdent, "b"}, {TokComment, "// other"}, {TokComment, "/* block\n */"}, {TokIdent, "c"}}},
		{`x-1 1..3`, []tok{{TokIdent, "x"}, {TokInteger, "-1"}, {TokInteger, "1"}, {TokOp, ".."}, {TokInteger, "3"}}},
		{`a-b -NaN`, []tok{{TokIdent, "a"}, {TokOp, "-"}, {TokIdent, "b"}, {TokOp, "-"}, {TokIdent, "NaN"}}},
	}
	for _, tc := range tests {
		toks, err := Lex([]byte(tc.in))
		if err != nil {
			t.Errorf("Lex(%q): %v", tc.in, err)
			continue
		}
		var got []tok
		for _, x := range toks {
			got = append(got, tok{x.Kind, x.Text})
		}
		if len(got) != len(tc.want) {
			t.Errorf("Lex(%q) = %v, want %v", tc.in, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("Lex(%q) token %d = %v (%s), want %v (%s)", tc.in, i, got[i], got[i].kind, tc.want[i], tc.want[i].kind)
			}
		}
	}
}

func TestLexValues(t *testing.T) {
	tests := []struct{ in, want string }{
		{`MyTable`, "mytable"},
		{`"MyTable"`, "MyTable"},
		{`"a""b"`, `a"b`},
		{`'it''s'`, "it's"},
		{`''`, ""},
		{`$$ body $$`, " body "},
		{`TRUE`, "true"},
		{`1h`, "1h"},
	}
	for _, tc := range tests {
		toks, err := Lex([]byte(tc.in))
		if err != nil || len(toks) != 1 {
			t.Errorf("Lex(%q) = %v, %v", tc.in, toks, err)
			continue
		}
		if got := toks[0].Value(); got != tc.want {
			t.Errorf("Value(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLexPositions(t *testing.T) {
	toks, err := Lex([]byte("\uFEFFab\r\n  'x\ny' c\n\td"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Pos{{Offset: 3, Line: 1, Col: 1}, {Offset: 9, Line: 2, Col: 3}, {Offset: 15, Line: 3, Col: 4}, {Offset: 18, Line: 4, Col: 2}}
	if len(toks) != len(want) {
		t.Fatalf("got %d tokens", len(toks))
	}
	for i, tk := range toks {
		if tk.Pos != want[i] {
			t.Errorf("token %q at %+v, want %+v", tk.Text, tk.Pos, want[i])
		}
		if tk.End-tk.Pos.Offset != len(tk.Text) {
			t.Errorf("token %q End %d does not match its length", tk.Text, tk.End)
		}
	}
	if _, err := Lex([]byte("\uFEFFab\r\n  'x\ny' é")); err == nil || err.Error() != `line 3:4: unexpected character, found "é"` {
		t.Errorf("stray non-ASCII character: %v", err)
	}
	// Columns count code points: a token after a multi-byte string.
	toks, _ = Lex([]byte("'日本語' x"))
	if toks[1].Pos.Col != 7 || toks[1].Pos.Offset != 12 {
		t.Errorf("after multi-byte string: %+v", toks[1].Pos)
	}
}

func TestLexErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SELECT 'abc", "line 1:8: unterminated string"},
		{"a\n\"abc", "line 2:1: unterminated quoted identifier"},
		{`x ""`, `line 1:3: empty quoted identifier, found "\"\""`},
		{"$$ abc", "line 1:1: unterminated $$ string"},
		{"a /* never\nclosed", "line 1:3: unterminated /* comment"},
		{"a ! b", `line 1:3: unexpected character, found "!"`},
		{"a @ b", `line 1:3: unexpected character, found "@"`},
		{"_x", `line 1:1: unexpected character, found "_"`},
	}
	for _, tc := range tests {
		_, err := Lex([]byte(tc.in))
		if err == nil || err.Error() != tc.want {
			t.Errorf("Lex(%q) error = %v, want %s", tc.in, err, tc.want)
		}
	}
}

func TestQuoteIdent(t *testing.T) {
	tests := []struct{ in, want string }{
		{"users", "users"},
		{"Users", `"Users"`},
		{"select", `"select"`},
		{"key", "key"},
		{"_x", `"_x"`},
		{"1a", `"1a"`},
		{`a"b`, `"a""b"`},
		{"true", `"true"`},
		{"", `""`},
		{"a_1", "a_1"},
	}
	for _, tc := range tests {
		if got := QuoteIdent(tc.in); got != tc.want {
			t.Errorf("QuoteIdent(%q) = %s, want %s", tc.in, got, tc.want)
		}
		if tc.in == "" {
			continue
		}
		// What QuoteIdent writes must read back as the same name.
		toks, err := Lex([]byte(QuoteIdent(tc.in)))
		if err != nil || len(toks) != 1 || toks[0].Value() != tc.in || (toks[0].Kind == TokIdent && IsReserved(tc.in)) {
			t.Errorf("QuoteIdent(%q) does not read back: %v %v", tc.in, toks, err)
		}
	}
	if !strings.Contains(QuoteIdent("materialized"), `"`) || QuoteIdent("replace") != `"replace"` {
		t.Error("reserved words must be quoted")
	}
}
