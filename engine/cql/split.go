package cql

// Comment is a source comment: its exact text with markers ("-- x",
// "/* y */") and where it starts.
type Comment struct {
	Text string `json:"text"`
	Pos  Pos    `json:"pos"`
}

// Statement is one statement of a script as the splitter found it. Text is
// the statement without its terminating ";" and without the whitespace and
// comments around it (comments inside stay); Start and End are the byte
// offsets of Text in the source, Pos the position of Start. Comments are the
// comments since the end of the previous statement (those on the line after
// its ";" included) and those inside this one, in source order.
type Statement struct {
	Text     string    `json:"text"`
	Start    int       `json:"start"`
	End      int       `json:"end"`
	Pos      Pos       `json:"pos"`
	Comments []Comment `json:"comments,omitempty"`
}

// Split cuts a CQL script into statements. Semicolons end statements except
// inside strings, quoted identifiers, $$ bodies and comments, and inside
// BEGIN [UNLOGGED|COUNTER] BATCH ... APPLY BATCH, which is one statement. The
// last statement may omit its ";"; empty statements (";;") are skipped.
// Comments after the last statement are dropped; use SplitAll to keep them.
func Split(src []byte) ([]Statement, error) {
	stmts, _, err := SplitAll(src)
	return stmts, err
}

// SplitAll is Split that also returns the comments after the last statement.
func SplitAll(src []byte) (stmts []Statement, trailing []Comment, err error) {
	l := NewLexer(src)
	var (
		pending  []Comment // comments not yet attached to a statement
		first    Token     // first token of the current statement
		last     Token     // last non-comment token of the current statement
		prev     Token     // the token before last (to see APPLY BATCH)
		inStmt   bool
		inBatch  bool
		complete = func() {
			stmts = append(stmts, Statement{
				Text:     l.src[first.Pos.Offset:last.End],
				Start:    first.Pos.Offset,
				End:      last.End,
				Pos:      first.Pos,
				Comments: pending,
			})
			pending = nil
			inStmt, inBatch = false, false
		}
	)
	for {
		t, err := l.Next()
		if err != nil {
			return stmts, nil, err
		}
		switch {
		case t.Kind == TokEOF:
			if inStmt {
				complete()
			}
			return stmts, pending, nil
		case t.Kind == TokComment:
			pending = append(pending, Comment{Text: t.Text, Pos: t.Pos})
		case t.isOp(";"):
			if !inStmt {
				continue // empty statement
			}
			if inBatch && !(prev.is("apply") && last.is("batch")) {
				// A ";" between the statements of a batch.
				prev, last = last, t
				continue
			}
			complete()
		default:
			if !inStmt {
				inStmt = true
				first = t
				inBatch = t.is("begin")
			}
			prev, last = last, t
		}
	}
}
