// Package cqlident knows which CQL identifiers can be written bare: the
// keywords Cassandra reserves, and how to quote a name that needs it. It
// depends on nothing but strings, so that WebAssembly guests (the built-in
// lint rules) share it with the parser instead of keeping a copy.
package cqlident

import "strings"

// IsReserved reports whether the lower-case word is one of the keywords
// Cassandra 5.0 reserves: they cannot be used as
// identifiers unless double-quoted. The list follows Cassandra's grammar
// (src/antlr/Parser.g: every keyword token that is not in
// unreserved_keyword), which is what the server enforces; the appendix of the
// CQL reference still lists REPLACE, DEFAULT, UNSET and MBEAN(S) as reserved,
// but the 4.x and 5.0 grammars accept them as identifiers. TABLE and SCHEMA
// are spellings of the reserved tokens COLUMNFAMILY and KEYSPACE.
//
// A switch on string constants compiles to a length check and a binary
// search, which beats hashing a map key on this hot path of the parser.
func IsReserved(word string) bool {
	switch word {
	case "add", "allow", "alter", "and", "apply", "asc", "authorize", "batch",
		"begin", "by", "columnfamily", "create", "delete", "desc", "describe",
		"drop", "entries", "execute", "from", "full", "grant", "if", "in", "index",
		"infinity", "insert", "into", "is", "keyspace", "limit", "materialized",
		"modify", "nan", "norecursive", "not", "null", "of", "on", "or", "order",
		"primary", "rename", "revoke", "schema", "select", "set", "table", "to",
		"token", "truncate", "unlogged", "update", "use", "using", "view", "where",
		"with":
		return true
	}
	return false
}

// QuoteIdent renders name as a CQL identifier, adding double quotes (and
// doubling inner ones) only when the bare form would be read differently.
func QuoteIdent(name string) string {
	if NeedsQuotes(name) {
		return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
	}
	return name
}

// NeedsQuotes reports whether name would be read differently bare: upper
// case, a leading digit or underscore, punctuation, a reserved keyword, or a
// word rendering quotes anyway.
func NeedsQuotes(name string) bool {
	if name == "" {
		return true
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z':
		case c == '_' || (c >= '0' && c <= '9'):
			// Cassandra's IDENT starts with a letter: a leading digit or
			// underscore needs quotes.
			if i == 0 {
				return true
			}
		default:
			return true
		}
	}
	return IsReserved(name) || quoteAnyway[name]
}

// quoteAnyway are words that are not reserved for the parser but that
// rendering still quotes: true and false lex as booleans, and the others are
// listed as reserved by the CQL reference appendix, so older or stricter
// servers may reject them bare. Quoting them is always accepted.
var quoteAnyway = map[string]bool{
	"true": true, "false": true, "replace": true, "default": true,
	"unset": true, "mbean": true, "mbeans": true,
}
