package cql

import "github.com/cqltrack/cqltrack/internal/cqlident"

// IsReserved reports whether the lower-case word is one of the keywords
// Cassandra 5.0 reserves: they cannot be used as identifiers unless
// double-quoted (internal/cqlident has the list and where it comes from).
func IsReserved(word string) bool { return cqlident.IsReserved(word) }
