package cqltest

import (
	"fmt"
	"strings"

	"github.com/cqltrack/cqltrack/engine/cql"
	"github.com/cqltrack/cqltrack/engine/cqltest/wire"
	"github.com/cqltrack/cqltrack/engine/schema"
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

// noViableAlternative words Cassandra's parser error for a keyword its
// grammar does not accept where the statement puts it, "line 1:12 no
// viable alternative at input 'IF' (ALTER TABLE [IF] EXISTS...)": the
// position is that of the first token spelled word (after the first IF
// when afterIF), and the excerpt runs from ten tokens before it to two
// after, the offending one in brackets, as Cassandra's ErrorCollector
// quotes it. It returns "" when the text has no such token.
func noViableAlternative(text, word string, afterIF bool) string {
	toks, _ := cql.Lex([]byte(text))
	var code []cql.Token
	for _, t := range toks {
		if t.Kind != cql.TokComment && t.Kind != cql.TokEOF {
			code = append(code, t)
		}
	}
	seenIF := !afterIF
	for i, t := range code {
		if t.Kind != cql.TokIdent {
			continue
		}
		if !seenIF {
			seenIF = strings.EqualFold(t.Text, "IF")
			continue
		}
		if !strings.EqualFold(t.Text, word) {
			continue
		}
		from, to := max(0, i-10), min(len(code)-1, i+2)
		var b strings.Builder
		for j := from; j <= to; j++ {
			if j > from {
				b.WriteByte(' ')
			}
			if j == i {
				b.WriteString("[" + code[j].Text + "]")
			} else {
				b.WriteString(code[j].Text)
			}
		}
		if to < len(code)-1 {
			b.WriteString("...")
		}
		return fmt.Sprintf("line %d:%d no viable alternative at input '%s' (%s)", t.Pos.Line, t.Pos.Col-1, t.Text, b.String())
	}
	return ""
}

// checkGrammar refuses what the release's grammar lacks although the
// parser, which follows the newest grammar, accepts it: conditions IF col
// CONTAINS and IF col CONTAINS KEY arrived in Cassandra 4.1 (CQL 3.4.6,
// CASSANDRA-10537).
func (c *Cluster) checkGrammar(stmt cql.Stmt, text string) error {
	if c.version >= schema.V4_1 || !hasContainsCondition(stmt) {
		return nil
	}
	msg := noViableAlternative(text, "CONTAINS", true)
	if msg == "" {
		msg = "no viable alternative at input 'CONTAINS'"
	}
	return &wire.Error{Code: wire.CodeSyntaxError, Message: msg}
}

func hasContainsCondition(stmt cql.Stmt) bool {
	var conds []cql.Condition
	switch s := stmt.(type) {
	case *cql.Update:
		conds = s.Conditions
	case *cql.Delete:
		conds = s.Conditions
	case *cql.Batch:
		for _, st := range s.Statements {
			if hasContainsCondition(st) {
				return true
			}
		}
	}
	for _, cd := range conds {
		if strings.HasPrefix(cd.Op, "CONTAINS") {
			return true
		}
	}
	return false
}
