package cql

// reserved are the keywords Cassandra 5.0 reserves: they cannot be used as
// identifiers unless double-quoted. The list follows Cassandra's grammar
// (src/antlr/Parser.g: every keyword token that is not in
// unreserved_keyword), which is what the server enforces; the appendix of the
// CQL reference still lists REPLACE, DEFAULT, UNSET and MBEAN(S) as reserved,
// but the 4.x and 5.0 grammars accept them as identifiers. TABLE and SCHEMA
// are spellings of the reserved tokens COLUMNFAMILY and KEYSPACE.
var reserved = map[string]bool{
	"add": true, "allow": true, "alter": true, "and": true, "apply": true,
	"asc": true, "authorize": true, "batch": true, "begin": true, "by": true,
	"columnfamily": true, "create": true, "delete": true, "desc": true,
	"describe": true, "drop": true, "entries": true, "execute": true,
	"from": true, "full": true, "grant": true, "if": true, "in": true,
	"index": true, "infinity": true, "insert": true, "into": true, "is": true,
	"keyspace": true, "limit": true, "materialized": true, "modify": true, "nan": true,
	"norecursive": true, "not": true, "null": true, "of": true, "on": true,
	"or": true, "order": true, "primary": true, "rename": true,
	"revoke": true, "schema": true, "select": true,
	"set": true, "table": true, "to": true, "token": true, "truncate": true,
	"unlogged": true, "update": true, "use": true, "using": true,
	"view": true, "where": true, "with": true,
}

// IsReserved reports whether the lower-case word is a reserved CQL keyword.
func IsReserved(word string) bool { return reserved[word] }
