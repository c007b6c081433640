package cql

import (
	"strconv"
	"strings"
)

// FindProperty returns the last property named name (lower case), as
// Cassandra lets a later definition of an option win.
func FindProperty(props []Property, name string) (Property, bool) {
	for i := len(props) - 1; i >= 0; i-- {
		if props[i].Name == name {
			return props[i], true
		}
	}
	return Property{}, false
}

// StringValue returns the property's value as Cassandra reads a simple
// option: the text of a literal (a string unquoted, a number or boolean as
// written). It reports false for maps and valueless options.
func (p Property) StringValue() (string, bool) {
	lit, ok := p.Value.(*Literal)
	if !ok {
		return "", false
	}
	return lit.Text, true
}

// MapValue returns a map option (replication, compaction, compression,
// caching, ...) as strings, keys and values taken as literal texts. It
// reports false when the value is not a map of literals.
func (p Property) MapValue() (map[string]string, bool) {
	c, ok := p.Value.(*CollectionLiteral)
	if !ok || c.Kind != "map" {
		return nil, false
	}
	m := make(map[string]string, len(c.Entries))
	for _, e := range c.Entries {
		k, ok1 := e.Key.(*Literal)
		v, ok2 := e.Value.(*Literal)
		if !ok1 || !ok2 {
			return nil, false
		}
		m[k.Text] = v.Text
	}
	return m, true
}

// NumberValue returns a numeric option (gc_grace_seconds,
// bloom_filter_fp_chance, ...) as a float64; a numeric string such as '0.1'
// counts too, as Cassandra parses option strings.
func (p Property) NumberValue() (float64, bool) {
	s, ok := p.StringValue()
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return f, true
}

// BoolValue returns a boolean option (durable_writes, ...); the strings
// 'true' and 'false' count too.
func (p Property) BoolValue() (bool, bool) {
	s, ok := p.StringValue()
	if !ok {
		return false, false
	}
	switch strings.ToLower(s) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}
