package cql

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
