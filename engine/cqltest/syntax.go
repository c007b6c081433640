package cqltest

import (
	"fmt"

	"github.com/cqltrack/cqltrack/engine/cql"
)

// syntaxMessage words a parse error the way Cassandra's ANTLR parser does,
// "line 1:7 no viable alternative at input 'x' (...)", with a 0-based
// column as ANTLR counts it.
func syntaxMessage(e *cql.SyntaxError) string {
	col := e.Pos.Col - 1
	if col < 0 {
		col = 0
	}
	if e.Near == "" {
		return fmt.Sprintf("line %d:%d mismatched input '<EOF>' (%s)", e.Pos.Line, col, e.Msg)
	}
	return fmt.Sprintf("line %d:%d no viable alternative at input '%s' (%s)", e.Pos.Line, col, e.Near, e.Msg)
}
