package doctest

import (
	"bufio"
	"fmt"
	"strings"
)

// block is one fenced code block of a Markdown document.
type block struct {
	doc      string // document path relative to the repository root
	line     int    // line of the opening fence, from 1
	lang     string // first word of the info string
	runnable bool   // info string has "runnable"
	file     string // info string has file=PATH
	body     string
}

// where is the block's position as editors and CI logs link it.
func (b block) where() string { return fmt.Sprintf("%s:%d", b.doc, b.line) }

// parseBlocks returns the fenced code blocks of a CommonMark document:
// fences of three or more backticks or tildes, indented by up to three
// spaces (more inside list items is accepted too; the indentation of the
// fence is removed from the body), closed by a fence of the same character
// at least as long. An unclosed block is an error, because a runner that
// silently skipped it would keep a broken example "tested".
func parseBlocks(doc, text string) ([]block, error) {
	var (
		out     []block
		cur     *block
		fence   string
		indent  int
		body    strings.Builder
		lineNum int
	)
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 0, 64*1024), 4*1024*1024)
	for sc.Scan() {
		lineNum++
		line := sc.Text()
		trimmed := strings.TrimLeft(line, " ")
		if cur == nil {
			f := fenceOf(trimmed)
			if f == "" {
				continue
			}
			info := strings.Fields(strings.TrimSpace(trimmed[len(f):]))
			if f[0] == '`' && strings.Contains(strings.Join(info, " "), "`") {
				continue // inline code such as ```x``` on one line is not a fence
			}
			cur = &block{doc: doc, line: lineNum}
			fence, indent = f, len(line)-len(trimmed)
			body.Reset()
			for i, word := range info {
				switch {
				case i == 0:
					cur.lang = word
				case word == "runnable":
					cur.runnable = true
				case strings.HasPrefix(word, "file="):
					cur.file = strings.TrimPrefix(word, "file=")
				}
			}
			continue
		}
		if f := fenceOf(trimmed); f != "" && f[0] == fence[0] && len(f) >= len(fence) && strings.TrimSpace(trimmed[len(f):]) == "" {
			cur.body = body.String()
			out = append(out, *cur)
			cur = nil
			continue
		}
		// Remove the fence's indentation, no more than the line has.
		n := 0
		for n < indent && n < len(line) && line[n] == ' ' {
			n++
		}
		body.WriteString(line[n:])
		body.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", doc, err)
	}
	if cur != nil {
		return nil, fmt.Errorf("%s: code block is never closed", cur.where())
	}
	return out, nil
}

// fenceOf returns the run of three or more backticks or tildes that line
// starts with, or "".
func fenceOf(line string) string {
	if len(line) < 3 || (line[0] != '`' && line[0] != '~') {
		return ""
	}
	n := 0
	for n < len(line) && line[n] == line[0] {
		n++
	}
	if n < 3 {
		return ""
	}
	return line[:n]
}
