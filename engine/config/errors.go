package config

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

var (
	// ErrInvalid matches (errors.Is) every problem found in the file, the
	// environment or the flags; each is an *Error with its position.
	ErrInvalid = errors.New("invalid configuration")
	// ErrNotFound is returned when a configuration file named explicitly
	// (flag or CQLTRACK_CONFIG) does not exist.
	ErrNotFound = errors.New("configuration file not found")
	// ErrUnknownProfile is returned when the selected profile is not defined.
	ErrUnknownProfile = errors.New("unknown profile")
)

// Error is one configuration problem. Source is the file name, the
// environment variable or the flag the value came from; Line and Col are
// 1-based and zero when the source has no positions.
type Error struct {
	Source string
	Line   int
	Col    int
	Msg    string
}

// Error renders "source:line:col: message" (or "source: message").
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Source)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line) + ":" + strconv.Itoa(e.Col))
	}
	if e.Source != "" || e.Line > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Is makes errors.Is(err, ErrInvalid) true for every *Error.
func (e *Error) Is(target error) bool { return target == ErrInvalid }

// errorList collects problems, drops exact duplicates (a base-file problem
// is found again while each profile is checked) and joins them in source
// order.
type errorList struct {
	errs []*Error
	seen map[Error]bool
}

func (l *errorList) add(e *Error) {
	if l.seen == nil {
		l.seen = map[Error]bool{}
	}
	if l.seen[*e] {
		return
	}
	l.seen[*e] = true
	l.errs = append(l.errs, e)
}

func (l *errorList) err() error {
	if len(l.errs) == 0 {
		return nil
	}
	// Sources keep the order they were first seen in (file, then
	// environment, then flags); within one, problems are in line order.
	rank := map[string]int{}
	for _, e := range l.errs {
		if _, ok := rank[e.Source]; !ok {
			rank[e.Source] = len(rank)
		}
	}
	sorted := slices.Clone(l.errs)
	slices.SortStableFunc(sorted, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(rank[a.Source], rank[b.Source]), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
	if len(sorted) == 1 {
		return sorted[0]
	}
	errs := make([]error, len(sorted))
	for i, e := range sorted {
		errs[i] = e
	}
	return errors.Join(errs...)
}

// suggest returns the candidate closest to word when it is close enough to
// be a likely typo, else "". Close enough: one edit (insertion, deletion,
// substitution or swap of neighbours) for short words, two for words of
// five letters or more, or one word a prefix of the other ("warn",
// "warning").
func suggest(word string, candidates []string) string {
	lw := strings.ToLower(word)
	limit := 1
	if len(lw) >= 5 {
		limit = 2
	}
	best, bestDist := "", limit+1
	for _, c := range candidates {
		if d := editDistance(lw, strings.ToLower(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	if best != "" {
		return best
	}
	for _, c := range candidates {
		lc := strings.ToLower(c)
		if len(lw) >= 3 && (strings.HasPrefix(lc, lw) || strings.HasPrefix(lw, lc)) {
			return c
		}
	}
	return ""
}

// didYouMean formats a suggestion as a parenthesised hint, or "".
func didYouMean(word string, candidates []string) string {
	if s := suggest(word, candidates); s != "" {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
}

// editDistance is the optimal-string-alignment distance between a and b, in
// bytes (keys and enum values are ASCII): Levenshtein plus the swap of two
// neighbouring letters, the commonest typo ("prot" for "port").
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
