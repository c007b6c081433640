package cql

import "strconv"

// SyntaxError is a lexical or grammatical error at a position of the source.
// Msg says what was expected in words ("expected \"(\" after table name");
// Near is the offending source text, empty at the end of the input.
type SyntaxError struct {
	Pos  Pos
	Msg  string
	Near string
}

// Error renders the error as "line 3:14: <msg>, found \"<near>\"".
func (e *SyntaxError) Error() string {
	s := "line " + strconv.Itoa(e.Pos.Line) + ":" + strconv.Itoa(e.Pos.Col) + ": " + e.Msg
	if e.Near != "" {
		s += ", found " + strconv.Quote(e.Near)
	}
	return s
}
