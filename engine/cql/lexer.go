package cql

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// TokenKind classifies a token.
type TokenKind uint8

// Token kinds. Keywords are not a kind of their own: Cassandra's keywords are
// mostly usable as identifiers, so the parser decides by context and a
// keyword arrives as TokIdent.
const (
	TokEOF          TokenKind = iota // end of input
	TokIdent                         // unquoted identifier or keyword
	TokQuotedIdent                   // "double-quoted identifier"
	TokString                        // 'single-quoted string'
	TokDollarString                  // $$dollar-quoted string$$
	TokInteger                       // 42, -7
	TokFloat                         // 1.5, -2e10, 3.
	TokBoolean                       // true, false (any case)
	TokUUID                          // 123e4567-e89b-12d3-a456-426614174000
	TokBlob                          // 0xcafe
	TokDuration                      // 1h30m, P1DT2H, P2W
	TokOp                            // operator or punctuation; Text is the symbol
	TokComment                       // -- line, // line or /* block */ comment
)

var tokenKindNames = [...]string{
	TokEOF: "end of input", TokIdent: "identifier", TokQuotedIdent: "quoted identifier",
	TokString: "string", TokDollarString: "$$ string", TokInteger: "integer",
	TokFloat: "float", TokBoolean: "boolean", TokUUID: "uuid", TokBlob: "blob",
	TokDuration: "duration", TokOp: "symbol", TokComment: "comment",
}

// String names the kind in words, for error messages.
func (k TokenKind) String() string {
	if int(k) < len(tokenKindNames) {
		return tokenKindNames[k]
	}
	return "token(" + strconv.Itoa(int(k)) + ")"
}

// Token is one lexical token. Text is the exact source text (quotes,
// escapes and comment markers included); Pos is where it starts and End the
// byte offset just past it, both counted in the whole source.
type Token struct {
	Kind TokenKind
	Text string
	Pos  Pos
	End  int
}

// Value returns the token's meaning: an unquoted identifier folded to lower
// case, a quoted identifier or string without quotes and with escapes undone,
// a $$ string's body, a boolean in lower case; anything else its Text.
func (t Token) Value() string {
	switch t.Kind {
	case TokIdent:
		return strings.ToLower(t.Text)
	case TokQuotedIdent:
		return unescapeQuoted(t.Text, '"')
	case TokString:
		return unescapeQuoted(t.Text, '\'')
	case TokDollarString:
		return t.Text[2 : len(t.Text)-2]
	case TokBoolean:
		return strings.ToLower(t.Text)
	}
	return t.Text
}

// unescapeQuoted strips the quote q from both ends of s and undoes doubled
// quotes inside; it allocates only when there is something to undo.
func unescapeQuoted(s string, q byte) string {
	inner := s[1 : len(s)-1]
	if strings.IndexByte(inner, q) < 0 {
		return inner
	}
	qq := string([]byte{q, q})
	return strings.ReplaceAll(inner, qq, qq[:1])
}

// is reports whether t is the keyword kw (given in lower case), ignoring case.
func (t Token) is(kw string) bool {
	return t.Kind == TokIdent && len(t.Text) == len(kw) && equalFoldASCII(t.Text, kw)
}

// isOp reports whether t is the operator or punctuation op.
func (t Token) isOp(op string) bool { return t.Kind == TokOp && t.Text == op }

// equalFoldASCII compares s with the lower-case ASCII word lower.
func equalFoldASCII(s, lower string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// Lexer turns CQL source into tokens. It works on a string view of the source
// so token texts are substrings, not copies.
type Lexer struct {
	src  string
	off  int // next byte to read
	base Pos // position of src[0] in the file

	line      int // current line (1-based)
	lineStart int // offset in src where the current line starts
	colOff    int // offset in src up to which colCount code points were counted
	colCount  int // code points between lineStart and colOff
}

// NewLexer returns a lexer over src. A UTF-8 byte order mark at the start is
// skipped; offsets still count its three bytes.
func NewLexer(src []byte) *Lexer {
	return newLexer(string(src), Pos{Offset: 0, Line: 1, Col: 1})
}

// newLexer lexes src whose first byte sits at position base of some file.
func newLexer(src string, base Pos) *Lexer {
	l := &Lexer{src: src, base: base, line: base.Line}
	if base.Offset == 0 && strings.HasPrefix(src, "\uFEFF") {
		l.off = 3
		l.lineStart = 3
		l.colOff = 3
	}
	return l
}

// Lex returns every token of src, comments included, without the final EOF.
func Lex(src []byte) ([]Token, error) {
	l := NewLexer(src)
	var toks []Token
	for {
		t, err := l.Next()
		if err != nil {
			return toks, err
		}
		if t.Kind == TokEOF {
			return toks, nil
		}
		toks = append(toks, t)
	}
}

// pos returns the file position of offset off in src. Offsets must be asked
// in non-decreasing order within a line (the lexer does), which keeps column
// counting linear in the input size.
func (l *Lexer) pos(off int) Pos {
	if off < l.colOff {
		l.colOff = l.lineStart
		l.colCount = 0
	}
	l.colCount += utf8.RuneCountInString(l.src[l.colOff:off])
	l.colOff = off
	col := l.colCount + 1
	if l.line == l.base.Line {
		col += l.base.Col - 1
	}
	return Pos{Offset: l.base.Offset + off, Line: l.line, Col: col}
}

// newline records a line break whose '\n' is at offset off.
func (l *Lexer) newline(off int) {
	l.line++
	l.lineStart = off + 1
	l.colOff = off + 1
	l.colCount = 0
}

func (l *Lexer) errorf(off int, near string, msg string) *SyntaxError {
	return &SyntaxError{Pos: l.pos(off), Msg: msg, Near: near}
}

func isLetter(c byte) bool { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isHex(c byte) bool    { return isDigit(c) || ((c|0x20) >= 'a' && (c|0x20) <= 'f') }
func isIdentChar(c byte) bool {
	return isLetter(c) || isDigit(c) || c == '_'
}

// Next returns the next token, TokEOF at the end. Errors are *SyntaxError.
func (l *Lexer) Next() (Token, error) {
	src := l.src
	// Skip whitespace, counting lines.
	for l.off < len(src) {
		c := src[l.off]
		if c == '\n' {
			l.newline(l.off)
		} else if c != ' ' && c != '\t' && c != '\r' && c != '\f' {
			break
		}
		l.off++
	}
	start := l.off
	if start >= len(src) {
		return Token{Kind: TokEOF, Pos: l.pos(start), End: l.base.Offset + start}, nil
	}
	pos := l.pos(start)
	c := src[start]
	kind := TokOp
	end := start + 1
	switch {
	case isLetter(c):
		end = scanIdent(src, start)
		kind = TokIdent
		// A UUID's first group is eight hex digits, which may all be letters.
		if end-start == 8 && end < len(src) && src[end] == '-' {
			if n := scanUUID(src, start); n > 0 {
				end, kind = n, TokUUID
			}
		}
		switch {
		case kind == TokUUID:
		case c == 'P':
			// The ISO 8601 forms are upper case (Lexer.g's literal 'P',
			// 'Y', ...), so p1d is a name, P1D a duration.
			if n := scanISODuration(src, start, end); n > 0 {
				end, kind = n, TokDuration
			}
		case end-start == 4 && equalFoldASCII(src[start:end], "true"),
			end-start == 5 && equalFoldASCII(src[start:end], "false"):
			kind = TokBoolean
		}
	case isDigit(c):
		end, kind = scanNumber(src, start)
	case c == '-' && start+1 < len(src) && isDigit(src[start+1]):
		end, kind = scanNumber(src, start+1)
		if kind == TokUUID || kind == TokBlob {
			// A sign belongs to numbers and durations only.
			end, kind = start+1, TokOp
		}
	case c == '-' && start+1 < len(src) && src[start+1] == 'P':
		if n := scanISODuration(src, start+1, scanIdent(src, start+1)); n > 0 {
			end, kind = n, TokDuration
		}
	case c == '"':
		e, ok := scanQuoted(src, start, '"')
		if !ok {
			return Token{}, l.errorf(start, "", "unterminated quoted identifier")
		}
		if e-start == 2 {
			return Token{}, l.errorf(start, `""`, "empty quoted identifier")
		}
		end, kind = e, TokQuotedIdent
	case c == '\'':
		e, ok := scanQuoted(src, start, '\'')
		if !ok {
			return Token{}, l.errorf(start, "", "unterminated string")
		}
		end, kind = e, TokString
	case c == '$' && start+1 < len(src) && src[start+1] == '$':
		i := strings.Index(src[start+2:], "$$")
		if i < 0 {
			return Token{}, l.errorf(start, "", "unterminated $$ string")
		}
		end, kind = start+2+i+2, TokDollarString
	case c == '-' && start+1 < len(src) && src[start+1] == '-',
		c == '/' && start+1 < len(src) && src[start+1] == '/':
		i := strings.IndexByte(src[start:], '\n')
		if i < 0 {
			end = len(src)
		} else {
			end = start + i
		}
		if end > start && src[end-1] == '\r' {
			end--
		}
		kind = TokComment
	case c == '/' && start+1 < len(src) && src[start+1] == '*':
		i := strings.Index(src[start+2:], "*/")
		if i < 0 {
			return Token{}, l.errorf(start, "", "unterminated /* comment")
		}
		end, kind = start+2+i+2, TokComment
	default:
		end = scanOp(src, start)
		if end == start {
			r, _ := utf8.DecodeRuneInString(src[start:])
			return Token{}, l.errorf(start, string(r), "unexpected character")
		}
	}
	// Multi-line tokens (strings, comments, quoted names) advance the line.
	if kind == TokString || kind == TokDollarString || kind == TokComment || kind == TokQuotedIdent {
		if n := strings.Count(src[start:end], "\n"); n > 0 {
			last := start + strings.LastIndexByte(src[start:end], '\n')
			l.line += n - 1
			l.newline(last)
		}
	}
	l.off = end
	return Token{Kind: kind, Text: src[start:end], Pos: pos, End: l.base.Offset + end}, nil
}

func scanIdent(src string, i int) int {
	for i < len(src) && isIdentChar(src[i]) {
		i++
	}
	return i
}

// scanQuoted scans a q-quoted token starting at src[i] == q, where a doubled
// q stands for one; it returns the offset past the closing quote.
func scanQuoted(src string, i int, q byte) (int, bool) {
	i++
	for {
		j := strings.IndexByte(src[i:], q)
		if j < 0 {
			return len(src), false
		}
		i += j + 1
		if i < len(src) && src[i] == q {
			i++
			continue
		}
		return i, true
	}
}

// scanUUID returns the end of a UUID (8-4-4-4-12 hex digits) at i, or 0.
func scanUUID(src string, i int) int {
	if len(src)-i < 36 {
		return 0
	}
	for k := 0; k < 36; k++ {
		c := src[i+k]
		switch k {
		case 8, 13, 18, 23:
			if c != '-' {
				return 0
			}
		default:
			if !isHex(c) {
				return 0
			}
		}
	}
	if i+36 < len(src) && isIdentChar(src[i+36]) {
		return 0
	}
	return i + 36
}

// scanNumber scans an integer, float, hex blob, UUID or duration starting
// with the digit at src[i].
func scanNumber(src string, i int) (int, TokenKind) {
	start := i
	if src[i] == '0' && i+1 < len(src) && (src[i+1]|0x20) == 'x' {
		j := i + 2
		for j < len(src) && isHex(src[j]) {
			j++
		}
		return j, TokBlob
	}
	if n := scanUUID(src, i); n > 0 {
		return n, TokUUID
	}
	for i < len(src) && isDigit(src[i]) {
		i++
	}
	if i < len(src) && (isLetter(src[i]) || src[i] >= 0x80) {
		if n := scanUnitDuration(src, start); n > 0 {
			return n, TokDuration
		}
	}
	kind := TokInteger
	if i < len(src) && src[i] == '.' && !(i+1 < len(src) && src[i+1] == '.') {
		kind = TokFloat
		i++
		for i < len(src) && isDigit(src[i]) {
			i++
		}
	}
	if i < len(src) && (src[i]|0x20) == 'e' {
		j := i + 1
		if j < len(src) && (src[j] == '+' || src[j] == '-') {
			j++
		}
		if j < len(src) && isDigit(src[j]) {
			for j < len(src) && isDigit(src[j]) {
				j++
			}
			return j, TokFloat
		}
	}
	return i, kind
}

// scanUnitDuration scans (digits unit)+ with the units of Cassandra's
// DURATION token: y, mo, w, d, h, m, s, ms, us, µs, ns (any case).
func scanUnitDuration(src string, i int) int {
	n := 0
	for i < len(src) && isDigit(src[i]) {
		for i < len(src) && isDigit(src[i]) {
			i++
		}
		u := unitLen(src[i:])
		if u == 0 {
			return 0
		}
		i += u
		n++
	}
	if n == 0 || (i < len(src) && isIdentChar(src[i])) {
		return 0
	}
	return i
}

func unitLen(s string) int {
	lower := func(k int) byte {
		if k < len(s) {
			return s[k] | 0x20
		}
		return 0
	}
	// The micro sign U+00B5 only, as Lexer.g spells it (not the Greek mu).
	if strings.HasPrefix(s, "µ") {
		if len(s) > 2 && (s[2]|0x20) == 's' {
			return 3
		}
		return 0
	}
	switch c0, c1 := lower(0), lower(1); {
	case c0 == 'm' && c1 == 'o':
		return 2
	case c0 == 'm' && c1 == 's':
		return 2
	case c0 == 'u' && c1 == 's':
		return 2
	case c0 == 'n' && c1 == 's':
		return 2
	case c0 == 'y' || c0 == 'w' || c0 == 'd' || c0 == 'h' || c0 == 'm' || c0 == 's':
		return 1
	}
	return 0
}

// scanISODuration scans an ISO 8601 duration in either form starting at the
// P at src[i], where the identifier starting there ends at identEnd; 0 if
// there is none.
func scanISODuration(src string, i, identEnd int) int {
	if isISODuration(src[i:identEnd]) {
		return identEnd
	}
	return scanISOAltDuration(src, i)
}

// isISODuration reports whether s is an ISO 8601 duration as Cassandra
// accepts it: PnW, or P[nY][nM][nD][T[nH][nM][nS]] with at least one part.
func isISODuration(s string) bool {
	if len(s) < 3 || s[0] != 'P' {
		return false
	}
	i := 1
	parts := 0
	num := func() bool {
		j := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		return i > j
	}
	// PnW
	if j := i; num() && i < len(s) && s[i] == 'W' && i+1 == len(s) {
		return true
	} else {
		i = j
	}
	for _, u := range [...]byte{'Y', 'M', 'D'} {
		j := i
		if num() && i < len(s) && s[i] == u {
			i++
			parts++
			continue
		}
		i = j
	}
	if i < len(s) && s[i] == 'T' {
		i++
		tparts := 0
		for _, u := range [...]byte{'H', 'M', 'S'} {
			j := i
			if num() && i < len(s) && s[i] == u {
				i++
				tparts++
				continue
			}
			i = j
		}
		if tparts == 0 {
			return false
		}
		parts += tparts
	}
	return parts > 0 && i == len(s)
}

// scanISOAltDuration scans the alternative ISO 8601 form
// PYYYY-MM-DDThh:mm:ss starting at the P at src[i]; 0 if there is none.
func scanISOAltDuration(src string, i int) int {
	const layout = "P0000-00-00T00:00:00"
	if len(src)-i < len(layout) {
		return 0
	}
	for k := 0; k < len(layout); k++ {
		c, want := src[i+k], layout[k]
		switch want {
		case '0':
			if !isDigit(c) {
				return 0
			}
		default:
			if c != want {
				return 0
			}
		}
	}
	end := i + len(layout)
	if end < len(src) && isIdentChar(src[end]) {
		return 0
	}
	return end
}

// scanOp scans an operator or punctuation symbol; it returns i when src[i]
// starts none.
func scanOp(src string, i int) int {
	c := src[i]
	var next byte
	if i+1 < len(src) {
		next = src[i+1]
	}
	switch c {
	case '!':
		if next == '=' {
			return i + 2
		}
		return i
	case '<', '>':
		if next == '=' {
			return i + 2
		}
	case '+', '-':
		if next == '=' {
			return i + 2
		}
	case '.':
		if next == '.' {
			return i + 2
		}
	case '=', '(', ')', '[', ']', '{', '}', ',', ';', ':', '?', '*', '/', '%':
	default:
		return i
	}
	return i + 1
}
