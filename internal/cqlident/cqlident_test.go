package cqlident

import "testing"

// TestQuoteIdent: a name is written bare only when CQL reads it back as
// the same name.
func TestQuoteIdent(t *testing.T) {
	for name, want := range map[string]string{
		"events":    "events",
		"my_ks":     "my_ks",
		"a1":        "a1",
		"Shop":      `"Shop"`,
		"_x":        `"_x"`,
		"1a":        `"1a"`,
		"select":    `"select"`,
		"table":     `"table"`,
		"true":      `"true"`,
		"mbeans":    `"mbeans"`,
		"ttl":       "ttl",
		"key":       "key",
		`say "hi"`:  `"say ""hi"""`,
		"":          `""`,
		"two words": `"two words"`,
		"é":         `"é"`,
	} {
		if got := QuoteIdent(name); got != want {
			t.Errorf("QuoteIdent(%q) = %s, want %s", name, got, want)
		}
	}
}
