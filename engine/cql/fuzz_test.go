package cql

import (
	"flag"
	"strings"
	"testing"

	"github.com/cqltrack/cqltrack/internal/fuzzseed"
)

// The seed corpora live in testdata/fuzz/<Target>/ and run as ordinary
// tests with "go test". Refresh them from the parse cases with
//
//	go test ./engine/cql -run TestFuzzCorpus -update-corpus
var updateCorpus = flag.Bool("update-corpus", false, "rewrite the fuzz seed corpora in testdata/fuzz")

// corpusScripts are multi-statement inputs for the lexer and splitter seeds.
var corpusScripts = []string{
	"\uFEFF-- V1\r\nCREATE TABLE a (k int PRIMARY KEY);\r\n/* x; */ INSERT INTO a (k) VALUES (1);\n",
	"BEGIN BATCH INSERT INTO t (a) VALUES ('x;y'); APPLY BATCH; USE b",
	"CREATE FUNCTION f() CALLED ON NULL INPUT RETURNS int LANGUAGE java AS $$ return 1; $$;;",
	"SELECT \"a;\"\"b\" FROM t // c;\n;",
	"INSERT INTO t (d, u, b) VALUES (1h30m, 123e4567-e89b-12d3-a456-426614174000, 0xff); -- end",
	"SELECT 'unterminated",
	"/* unterminated",
}

func TestFuzzCorpus(t *testing.T) {
	if !*updateCorpus {
		t.Skip("run with -update-corpus to rewrite testdata/fuzz")
	}
	var parse, bytesSeeds []string
	for _, tc := range parseCases {
		parse = append(parse, tc.in)
	}
	bytesSeeds = append(bytesSeeds, corpusScripts...)
	bytesSeeds = append(bytesSeeds, parse...)
	fuzzseed.Write(t, "FuzzParse", "string", parse)
	fuzzseed.Write(t, "FuzzLex", "[]byte", bytesSeeds)
	fuzzseed.Write(t, "FuzzSplit", "[]byte", bytesSeeds)
	fuzzseed.Write(t, "FuzzAppendJSON", "string", append(parse, jsonSeeds...))
}

func FuzzLex(f *testing.F) {
	f.Fuzz(func(t *testing.T, src []byte) {
		l := NewLexer(src)
		prevEnd := 0
		for {
			tok, err := l.Next()
			if err != nil {
				se, ok := err.(*SyntaxError)
				if !ok || se.Pos.Line < 1 || se.Pos.Col < 1 || se.Pos.Offset > len(src) {
					t.Fatalf("bad error %#v", err)
				}
				return
			}
			if tok.Pos.Offset < prevEnd || tok.End < tok.Pos.Offset || tok.End > len(src) {
				t.Fatalf("token %q at [%d:%d] after %d", tok.Text, tok.Pos.Offset, tok.End, prevEnd)
			}
			if string(src[tok.Pos.Offset:tok.End]) != tok.Text {
				t.Fatalf("token text %q != source %q", tok.Text, src[tok.Pos.Offset:tok.End])
			}
			if tok.Kind == TokEOF {
				return
			}
			if tok.End == tok.Pos.Offset {
				t.Fatalf("empty token %v at %d", tok.Kind, tok.End)
			}
			prevEnd = tok.End
		}
	})
}

func FuzzSplit(f *testing.F) {
	f.Fuzz(func(t *testing.T, src []byte) {
		stmts, trailing, err := SplitAll(src)
		if err != nil {
			if _, ok := err.(*SyntaxError); !ok {
				t.Fatalf("error of type %T", err)
			}
			return
		}
		prev := 0
		for _, s := range stmts {
			if s.Start < prev || s.End < s.Start || s.End > len(src) {
				t.Fatalf("bad offsets [%d:%d] after %d", s.Start, s.End, prev)
			}
			if string(src[s.Start:s.End]) != s.Text {
				t.Fatalf("offsets slice to %q, not %q", src[s.Start:s.End], s.Text)
			}
			if s.Text == "" || strings.TrimSpace(s.Text) != s.Text {
				t.Fatalf("text %q is empty or padded", s.Text)
			}
			for _, c := range s.Comments {
				if !strings.HasPrefix(string(src[c.Pos.Offset:]), c.Text) {
					t.Fatalf("comment %q not at its offset", c.Text)
				}
			}
			prev = s.End
		}
		for _, c := range trailing {
			if c.Pos.Offset < prev {
				t.Fatalf("trailing comment %q before the last statement", c.Text)
			}
		}
	})
}

func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, src string) {
		st, err := Parse(src)
		if err != nil {
			if _, ok := err.(*SyntaxError); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if out, err := roundTrip(st); err != nil {
			t.Fatalf("in: %q\nout: %q\n%v", src, out, err)
		}
	})
}
