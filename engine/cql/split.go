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
	trailing, err = splitTokens(src, func(s Statement, _ []Token) error {
		stmts = append(stmts, s)
		return nil
	})
	return stmts, trailing, err
}

// splitTokens is the splitter. It calls emit for each statement with the
// statement's tokens (comments left out, ending with a TokEOF at the end of
// the statement text); the token slice is reused after emit returns. An
// error from emit stops the split and is returned.
func splitTokens(src []byte, emit func(Statement, []Token) error) (trailing []Comment, err error) {
	l := NewLexer(src)
	var (
		pending []Comment // comments not yet attached to a statement
		toks    []Token   // tokens of the current statement
		prev    Token     // the token before last (to see APPLY BATCH)
		inBatch bool
	)
	complete := func() error {
		first, last := toks[0], toks[len(toks)-1]
		eof := Token{Kind: TokEOF, Pos: endPos(last), End: last.End}
		toks = append(toks, eof)
		st := Statement{
			Text:     l.src[first.Pos.Offset:last.End],
			Start:    first.Pos.Offset,
			End:      last.End,
			Pos:      first.Pos,
			Comments: pending,
		}
		pending = nil
		err := emit(st, toks)
		toks, inBatch = toks[:0], false
		return err
	}
	for {
		t, err := l.Next()
		if err != nil {
			return nil, err
		}
		switch {
		case t.Kind == TokEOF:
			if len(toks) > 0 {
				if err := complete(); err != nil {
					return nil, err
				}
			}
			return pending, nil
		case t.Kind == TokComment:
			pending = append(pending, Comment{Text: t.Text, Pos: t.Pos})
		case t.isOp(";"):
			if len(toks) == 0 {
				continue // empty statement
			}
			if inBatch && !(prev.is("apply") && toks[len(toks)-1].is("batch")) {
				// A ";" between the statements of a batch.
				prev = toks[len(toks)-1]
				toks = append(toks, t)
				continue
			}
			if err := complete(); err != nil {
				return nil, err
			}
		default:
			if len(toks) == 0 {
				inBatch = t.is("begin")
			} else {
				prev = toks[len(toks)-1]
			}
			toks = append(toks, t)
		}
	}
}

// endPos is the position just past token t.
func endPos(t Token) Pos {
	p := t.Pos
	for i := 0; i < len(t.Text); i++ {
		c := t.Text[i]
		switch {
		case c == '\n':
			p.Line++
			p.Col = 1
		case c&0xC0 != 0x80: // not a UTF-8 continuation byte
			p.Col++
		}
	}
	p.Offset = t.End
	return p
}
