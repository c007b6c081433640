package config

import (
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// origin is where a setting's value came from, so that checks made after all
// layers are merged can still point at the right line.
type origin struct {
	source    string
	line, col int
}

func (o origin) errorf(format string, args ...any) *Error {
	return &Error{Source: o.source, Line: o.line, Col: o.col, Msg: fmt.Sprintf(format, args...)}
}

// entry is one key of a YAML mapping, after anchors, aliases and merge keys
// are resolved.
type entry struct {
	key   string
	keyN  ast.Node
	value ast.Node
}

// decoder applies YAML mappings onto a Config, setting only the keys
// present, so the same code reads the file's top level and a profile's
// overrides. It records an error for every problem and keeps going.
type decoder struct {
	source  string
	dir     string // relative paths in the file are resolved against it ("" = as written)
	anchors map[string]ast.Node
	errs    *errorList
	origins map[string]origin
	budget  int // node visits left for alias expansion (guards against alias bombs)
	spent   bool
	nerr    int // errors found by this decoder, duplicates included
}

const (
	aliasBudget = 100000
	maxDepth    = 64
)

func (d *decoder) pos(n ast.Node) (int, int) {
	switch x := n.(type) {
	case nil:
		return 0, 0
	case *ast.MappingNode:
		// A block mapping has no token of its own: point at its first key.
		// A flow mapping points at its "{".
		if len(x.Values) > 0 && !x.IsFlowStyle {
			return d.pos(x.Values[0])
		}
	case *ast.MappingValueNode:
		return d.pos(x.Key)
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return 0, 0
	}
	return tk.Position.Line, tk.Position.Column
}

func (d *decoder) at(n ast.Node) origin {
	l, c := d.pos(n)
	return origin{source: d.source, line: l, col: c}
}

func (d *decoder) errorf(n ast.Node, format string, args ...any) {
	d.nerr++
	d.errs.add(d.at(n).errorf(format, args...))
}

// record notes where the setting at path (without a profile prefix) was set.
func (d *decoder) record(path string, n ast.Node) {
	if d.origins != nil {
		d.origins[path] = d.at(n)
	}
}

// resolve looks through anchors, aliases and collection tags.
func (d *decoder) resolve(n ast.Node) ast.Node {
	for range maxDepth {
		switch x := n.(type) {
		case *ast.AnchorNode:
			n = x.Value
		case *ast.AliasNode:
			name := ""
			if x.Value != nil && x.Value.GetToken() != nil {
				name = x.Value.GetToken().Value
			}
			target, ok := d.anchors[name]
			if !ok {
				d.errorf(x, "unknown yaml alias %q", "*"+name)
				return nil
			}
			n = target
		case *ast.TagNode:
			switch x.Value.(type) {
			case *ast.MappingNode, *ast.SequenceNode, *ast.AnchorNode, *ast.AliasNode, *ast.TagNode, *ast.MappingValueNode:
				n = x.Value
			default:
				return n
			}
		default:
			return n
		}
	}
	d.errorf(n, "yaml aliases nest too deeply")
	return nil
}

func kind(n ast.Node) string {
	switch x := n.(type) {
	case nil, *ast.NullNode:
		return "null"
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.IntegerNode:
		return "an integer (" + x.GetToken().Value + ")"
	case *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return "a number (" + x.GetToken().Value + ")"
	case *ast.BoolNode:
		return "a boolean (" + x.GetToken().Value + ")"
	case *ast.TagNode:
		return kind(x.Value)
	default:
		return "a string"
	}
}

func join(where, key string) string {
	if where == "" {
		return key
	}
	return where + "." + key
}

// entries returns the keys of a mapping node in order, merge keys (<<)
// expanded first so explicit keys override them. A null value is an empty
// mapping (a key written with nothing under it).
func (d *decoder) entries(n ast.Node, where string) ([]entry, bool) {
	return d.entriesDepth(n, where, 0)
}

func (d *decoder) entriesDepth(n ast.Node, where string, depth int) ([]entry, bool) {
	if depth > maxDepth {
		d.errorf(n, "%s: yaml merge keys nest too deeply", where)
		return nil, false
	}
	n = d.resolve(n)
	var values []*ast.MappingValueNode
	switch x := n.(type) {
	case nil, *ast.NullNode:
		return nil, true
	case *ast.MappingNode:
		values = x.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{x}
	default:
		d.errorf(n, "%s: must be a mapping, got %s", whereOrTop(where), kind(n))
		return nil, false
	}
	var merged, explicit []entry
	ok := true
	for _, mv := range values {
		if mv.Key != nil && mv.Key.IsMergeKey() {
			src := d.resolve(mv.Value)
			var parts []ast.Node
			if seq, isSeq := src.(*ast.SequenceNode); isSeq {
				parts = seq.Values
			} else {
				parts = []ast.Node{src}
			}
			for _, p := range parts {
				es, pok := d.entriesDepth(p, where, depth+1)
				ok = ok && pok
				merged = append(merged, es...)
			}
			continue
		}
		key, kok := d.key(mv.Key, where)
		if !kok {
			ok = false
			continue
		}
		explicit = append(explicit, entry{key: key, keyN: mv.Key, value: mv.Value})
	}
	return append(merged, explicit...), ok
}

func whereOrTop(where string) string {
	if where == "" {
		return "the configuration"
	}
	return where
}

func (d *decoder) key(k ast.MapKeyNode, where string) (string, bool) {
	n := d.resolve(k)
	switch x := n.(type) {
	case *ast.StringNode:
		return x.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
		return x.GetToken().Value, true
	}
	d.errorf(k, "%s: keys must be plain strings, got %s", whereOrTop(where), kind(n))
	return "", false
}

// fields dispatches each key of the mapping n to its handler and reports
// unknown keys with the closest known one as a hint.
func (d *decoder) fields(n ast.Node, where string, handlers map[string]func(entry)) {
	es, _ := d.entries(n, where)
	for _, e := range es {
		h, ok := handlers[e.key]
		if !ok {
			if where == "" && strings.HasPrefix(e.key, "x-") {
				continue // extension keys, for YAML anchors shared by profiles
			}
			names := make([]string, 0, len(handlers))
			for k := range handlers {
				names = append(names, k)
			}
			slices.Sort(names)
			in := ""
			if where != "" {
				in = " in " + where
			}
			d.errorf(e.keyN, "unknown key %q%s%s", e.key, in, didYouMean(e.key, names))
			continue
		}
		h(e)
	}
}

// str reads a scalar as text. Numbers and booleans keep the text as written
// (a password of 0123 stays "0123"); null is "".
func (d *decoder) str(n ast.Node, path string) (string, bool) {
	n = d.resolve(n)
	switch x := n.(type) {
	case nil, *ast.NullNode:
		return "", true
	case *ast.StringNode:
		return x.Value, true
	case *ast.LiteralNode:
		if x.Value == nil {
			return "", true
		}
		return x.Value.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return x.GetToken().Value, true
	case *ast.TagNode:
		return d.str(x.Value, path)
	}
	d.errorf(n, "%s: must be a string, got %s", path, kind(n))
	return "", false
}

func (d *decoder) integer(n ast.Node, path string) (int64, bool) {
	n = d.resolve(n)
	if t, ok := n.(*ast.TagNode); ok {
		n = d.resolve(t.Value)
	}
	if x, ok := n.(*ast.IntegerNode); ok {
		switch v := x.Value.(type) {
		case int64:
			return v, true
		case uint64:
			if v <= math.MaxInt64 {
				return int64(v), true
			}
		}
		d.errorf(n, "%s: integer %s is too large", path, x.GetToken().Value)
		return 0, false
	}
	if s, ok := n.(*ast.StringNode); ok {
		d.errorf(n, "%s: must be an integer, got a string %q", path, s.Value)
		return 0, false
	}
	d.errorf(n, "%s: must be an integer, got %s", path, kind(n))
	return 0, false
}

func (d *decoder) intRange(n ast.Node, path string, lo, hi int64, what string) (int, bool) {
	v, ok := d.integer(n, path)
	if !ok {
		return 0, false
	}
	if v < lo || v > hi {
		d.errorf(d.resolve(n), "%s: %s, got %d", path, what, v)
		return 0, false
	}
	return int(v), true
}

func (d *decoder) boolean(n ast.Node, path string) (bool, bool) {
	n = d.resolve(n)
	if t, ok := n.(*ast.TagNode); ok {
		n = d.resolve(t.Value)
	}
	if b, ok := n.(*ast.BoolNode); ok {
		return b.Value, true
	}
	if s, ok := n.(*ast.StringNode); ok {
		d.errorf(n, "%s: must be true or false, got a string %q", path, s.Value)
		return false, false
	}
	d.errorf(n, "%s: must be true or false, got %s", path, kind(n))
	return false, false
}

// duration reads a Go duration string ("60s", "5m", "1h30m"). A bare
// number is refused: "60" would be ambiguous between seconds and
// milliseconds.
func (d *decoder) duration(n ast.Node, path string, allowZero bool) (time.Duration, bool) {
	r := d.resolve(n)
	if t, ok := r.(*ast.TagNode); ok {
		r = d.resolve(t.Value)
	}
	switch x := r.(type) {
	case *ast.IntegerNode, *ast.FloatNode:
		d.errorf(r, "%s: invalid duration %s: add a unit, such as \"%ss\"", path, x.GetToken().Value, x.GetToken().Value)
		return 0, false
	case *ast.StringNode:
		v, err := parseDuration(x.Value, allowZero)
		if err != nil {
			d.errorf(r, "%s: %v", path, err)
			return 0, false
		}
		return v, true
	}
	d.errorf(r, "%s: must be a duration such as \"60s\", got %s", path, kind(r))
	return 0, false
}

func parseDuration(s string, allowZero bool) (time.Duration, error) {
	v, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		if _, numErr := fmt.Sscanf(s, "%d", new(int)); numErr == nil && !strings.ContainsAny(s, "hmsuµn") {
			return 0, fmt.Errorf("invalid duration %q: add a unit, such as \"%ss\"", s, strings.TrimSpace(s))
		}
		return 0, fmt.Errorf("invalid duration %q: use a number and a unit, such as \"60s\" or \"5m\"", s)
	}
	if v < 0 || (v == 0 && !allowZero) {
		return 0, fmt.Errorf("duration must be positive, got %q", s)
	}
	return v, nil
}

// enum reads one of values, case-insensitively, and returns it as listed.
func (d *decoder) enum(n ast.Node, path string, values []string, what string) (string, bool) {
	s, ok := d.str(n, path)
	if !ok {
		return "", false
	}
	if v, ok := lookupEnum(s, values); ok {
		return v, true
	}
	d.errorf(d.resolve(n), "%s: unknown %s %q%s; one of %s", path, what, s, didYouMean(s, values), strings.Join(values, ", "))
	return "", false
}

func lookupEnum(s string, values []string) (string, bool) {
	for _, v := range values {
		if strings.EqualFold(strings.TrimSpace(s), v) {
			return v, true
		}
	}
	return "", false
}

// path reads a file or directory path; a relative one written in the file
// is taken relative to the file's directory.
func (d *decoder) path(n ast.Node, path string) (string, bool) {
	s, ok := d.str(n, path)
	if !ok {
		return "", false
	}
	if s == "" {
		d.errorf(d.resolve(n), "%s: must not be empty", path)
		return "", false
	}
	return d.rel(s), true
}

func (d *decoder) rel(p string) string {
	if d.dir == "" || d.dir == "." || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(d.dir, p)
}

func (d *decoder) strList(n ast.Node, path string) ([]string, bool) {
	r := d.resolve(n)
	switch x := r.(type) {
	case nil, *ast.NullNode:
		return nil, true
	case *ast.SequenceNode:
		out := make([]string, 0, len(x.Values))
		ok := true
		for i, v := range x.Values {
			s, sok := d.str(v, fmt.Sprintf("%s[%d]", path, i))
			if !sok {
				ok = false
				continue
			}
			out = append(out, s)
		}
		return out, ok
	}
	d.errorf(r, "%s: must be a list, such as [a, b], got %s", path, kind(r))
	return nil, false
}

// value converts a node to plain Go values (map[string]any, []any, string,
// int64, uint64, float64, bool, nil) for plugin configuration and rule
// options, which cqltrack passes on without interpreting.
func (d *decoder) value(n ast.Node, path string, depth int) (any, bool) {
	if depth > maxDepth {
		d.errorf(n, "%s: nested too deeply", path)
		return nil, false
	}
	d.budget--
	if d.budget < 0 {
		if !d.spent {
			d.spent = true
			d.errorf(n, "%s: yaml aliases expand to too many values", path)
		}
		return nil, false
	}
	r := d.resolve(n)
	switch x := r.(type) {
	case nil, *ast.NullNode:
		return nil, true
	case *ast.MappingNode, *ast.MappingValueNode:
		es, ok := d.entriesDepth(r, path, depth)
		m := make(map[string]any, len(es))
		for _, e := range es {
			v, vok := d.value(e.value, join(path, e.key), depth+1)
			ok = ok && vok
			m[e.key] = v
		}
		return m, ok
	case *ast.SequenceNode:
		out := make([]any, 0, len(x.Values))
		ok := true
		for i, v := range x.Values {
			e, vok := d.value(v, fmt.Sprintf("%s[%d]", path, i), depth+1)
			ok = ok && vok
			out = append(out, e)
		}
		return out, ok
	case *ast.IntegerNode:
		// go-yaml gives uint64 for positive numbers; plugins get int64 when
		// it fits, the type JSON numbers decode to most naturally in Go.
		if u, ok := x.Value.(uint64); ok && u <= math.MaxInt64 {
			return int64(u), true
		}
		return x.Value, true
	case *ast.FloatNode:
		return x.Value, true
	case *ast.InfinityNode:
		return x.Value, true
	case *ast.NanNode:
		return math.NaN(), true
	case *ast.BoolNode:
		return x.Value, true
	case *ast.TagNode:
		if x.Start != nil && x.Start.Value == "!!str" {
			if x.Value != nil && x.Value.GetToken() != nil {
				return x.Value.GetToken().Value, true
			}
			return "", true
		}
		return d.value(x.Value, path, depth+1)
	}
	return d.str(r, path)
}

func (d *decoder) mapValue(n ast.Node, path string) (map[string]any, bool) {
	r := d.resolve(n)
	switch r.(type) {
	case nil, *ast.NullNode:
		return nil, true
	case *ast.MappingNode, *ast.MappingValueNode:
	default:
		d.errorf(r, "%s: must be a mapping, got %s", path, kind(r))
		return nil, false
	}
	v, ok := d.value(r, path, 0)
	m, _ := v.(map[string]any)
	return m, ok
}

// apply sets the keys of the top-level mapping n (the file, or a profile's
// overrides when where is "profiles.NAME") onto c.
func (d *decoder) apply(n ast.Node, c *Config, where string) {
	handlers := map[string]func(entry){
		"cassandra":        func(e entry) { d.cassandra(e.value, &c.Cassandra, join(where, e.key)) },
		"keyspace":         func(e entry) { d.keyspace(e.value, &c.Keyspace, join(where, e.key)) },
		"migrations":       func(e entry) { d.migrations(e.value, &c.Migrations, join(where, e.key)) },
		"lock":             func(e entry) { d.lock(e.value, &c.Lock, join(where, e.key)) },
		"schema":           func(e entry) { d.schema(e.value, &c.Schema, join(where, e.key)) },
		"lint":             func(e entry) { d.lint(e.value, &c.Lint, join(where, e.key)) },
		"hooks":            func(e entry) { d.hooks(e.value, &c.Hooks, join(where, e.key)) },
		"output":           func(e entry) { d.output(e.value, &c.Output, join(where, e.key)) },
		"plugin_cache_dir": func(e entry) { d.setPath(e, &c.PluginCacheDir, join(where, e.key), "plugin_cache_dir") },
		"profiles": func(e entry) {
			if where != "" {
				d.errorf(e.keyN, "%s: profiles cannot be nested", where)
			}
			// The top-level profiles are collected by parseDocument.
		},
	}
	d.fields(n, where, handlers)
}

func (d *decoder) setStr(e entry, dst *string, path, canon string) {
	if v, ok := d.str(e.value, path); ok {
		*dst = v
		d.record(canon, e.value)
	}
}

func (d *decoder) setPath(e entry, dst *string, path, canon string) {
	if v, ok := d.path(e.value, path); ok {
		*dst = v
		d.record(canon, e.value)
	}
}

func (d *decoder) setBool(e entry, dst *bool, path, canon string) {
	if v, ok := d.boolean(e.value, path); ok {
		*dst = v
		d.record(canon, e.value)
	}
}

func (d *decoder) setDuration(e entry, dst *time.Duration, path, canon string, allowZero bool) {
	if v, ok := d.duration(e.value, path, allowZero); ok {
		*dst = v
		d.record(canon, e.value)
	}
}

func (d *decoder) cassandra(n ast.Node, c *Cassandra, where string) {
	p := func(k string) string { return join(where, k) }
	d.fields(n, where, map[string]func(entry){
		"contact_points": func(e entry) {
			hosts, ok := d.strList(e.value, p(e.key))
			if !ok {
				return
			}
			if len(hosts) == 0 {
				d.errorf(d.resolve(e.value), "%s: must list at least one host", p(e.key))
				return
			}
			for i, h := range hosts {
				if strings.TrimSpace(h) == "" {
					d.errorf(d.resolve(e.value), "%s[%d]: empty host", p(e.key), i)
					return
				}
				hosts[i] = strings.TrimSpace(h)
				if err := checkContactPoint(hosts[i]); err != nil {
					d.errorf(d.resolve(e.value), "%s[%d]: %v", p(e.key), i, err)
					return
				}
			}
			c.ContactPoints = hosts
			d.record("cassandra.contact_points", e.value)
		},
		"port": func(e entry) {
			if v, ok := d.intRange(e.value, p(e.key), 1, 65535, "must be a port between 1 and 65535"); ok {
				c.Port = v
			}
		},
		"auth": func(e entry) {
			aw := p(e.key)
			d.fields(e.value, aw, map[string]func(entry){
				"username": func(e entry) { d.setStr(e, &c.Auth.Username, join(aw, e.key), "cassandra.auth.username") },
				"password": func(e entry) {
					// d.str never quotes a scalar's text in its errors, so the
					// password cannot leak through one.
					if v, ok := d.str(e.value, join(aw, e.key)); ok {
						c.Auth.Password = Secret(v)
					}
				},
			})
		},
		"consistency": func(e entry) {
			if s, ok := d.str(e.value, p(e.key)); ok {
				if why := refusedConsistency(s); why != "" {
					d.errorf(d.resolve(e.value), "%s: %s", p(e.key), why)
					return
				}
			}
			if v, ok := d.enum(e.value, p(e.key), Consistencies, "consistency"); ok {
				c.Consistency = v
			}
		},
		"serial_consistency": func(e entry) {
			if v, ok := d.enum(e.value, p(e.key), SerialConsistencies, "serial consistency"); ok {
				c.SerialConsistency = v
			}
		},
		"connect_timeout": func(e entry) { d.setDuration(e, &c.ConnectTimeout, p(e.key), "cassandra.connect_timeout", false) },
		"request_timeout": func(e entry) { d.setDuration(e, &c.RequestTimeout, p(e.key), "cassandra.request_timeout", false) },
		"ssl": func(e entry) {
			sw := p(e.key)
			d.record("cassandra.ssl", e.value)
			d.fields(e.value, sw, map[string]func(entry){
				"enabled":     func(e entry) { d.setBool(e, &c.SSL.Enabled, join(sw, e.key), "cassandra.ssl.enabled") },
				"ca_certs":    func(e entry) { d.setPath(e, &c.SSL.CACerts, join(sw, e.key), "cassandra.ssl.ca_certs") },
				"certfile":    func(e entry) { d.setPath(e, &c.SSL.CertFile, join(sw, e.key), "cassandra.ssl.certfile") },
				"keyfile":     func(e entry) { d.setPath(e, &c.SSL.KeyFile, join(sw, e.key), "cassandra.ssl.keyfile") },
				"verify":      func(e entry) { d.setBool(e, &c.SSL.Verify, join(sw, e.key), "cassandra.ssl.verify") },
				"server_name": func(e entry) { d.setStr(e, &c.SSL.ServerName, join(sw, e.key), "cassandra.ssl.server_name") },
			})
		},
		"secure_connect_bundle": func(e entry) {
			d.setPath(e, &c.SecureConnectBundle, p(e.key), "cassandra.secure_connect_bundle")
		},
		"local_dc": func(e entry) { d.setStr(e, &c.LocalDC, p(e.key), "cassandra.local_dc") },
	})
}

var keyspaceName = regexp.MustCompile(`^[A-Za-z0-9_]{1,48}$`)

func checkKeyspaceName(s string) error {
	if !keyspaceName.MatchString(s) {
		return fmt.Errorf("invalid keyspace name %q: use 1 to %d letters, digits and underscores", s, maxKeyspaceNameLen)
	}
	return nil
}

func (d *decoder) keyspace(n ast.Node, k *Keyspace, where string) {
	d.fields(n, where, map[string]func(entry){
		"name": func(e entry) {
			s, ok := d.str(e.value, join(where, e.key))
			if !ok {
				return
			}
			if err := checkKeyspaceName(s); err != nil {
				d.errorf(d.resolve(e.value), "%s: %v", join(where, e.key), err)
				return
			}
			k.Name = s
		},
		"replication": func(e entry) {
			if r, ok := d.replication(e, join(where, e.key)); ok {
				k.Replication = r
			}
		},
	})
}

// replication reads a replication map. It is replaced as a whole, never
// merged key by key: a profile switching to NetworkTopologyStrategy must
// not inherit the base file's replication_factor.
func (d *decoder) replication(e entry, where string) (Replication, bool) {
	es, ok := d.entries(e.value, where)
	if !ok {
		return Replication{}, false
	}
	var r Replication
	var classNode ast.Node
	var factorNode ast.Node
	var dcNodes []entry
	for _, kv := range es {
		path := join(where, kv.key)
		switch kv.key {
		case replicationClassKey:
			s, sok := d.str(kv.value, path)
			if !sok {
				ok = false
				continue
			}
			cls, cok := lookupEnum(strings.TrimPrefix(s, cassandraLocatorPackage), []string{SimpleStrategy, NetworkTopologyStrategy})
			if !cok {
				d.errorf(d.resolve(kv.value), "%s: must be SimpleStrategy or NetworkTopologyStrategy, got %q%s", path, s,
					didYouMean(s, []string{SimpleStrategy, NetworkTopologyStrategy}))
				ok = false
				continue
			}
			r.Class, classNode = cls, kv.keyN
		case replicationFactorKey:
			v, vok := d.replicationFactor(kv.value, path)
			if !vok {
				ok = false
				continue
			}
			r.Factor, factorNode = v, kv.keyN
		default:
			v, vok := d.replicationFactor(kv.value, path)
			if !vok {
				ok = false
				continue
			}
			if r.DataCenters == nil {
				r.DataCenters = map[string]int{}
			}
			r.DataCenters[kv.key] = v
			dcNodes = append(dcNodes, kv)
		}
	}
	if !ok {
		return Replication{}, false
	}
	switch r.Class {
	case "":
		d.errorf(e.value, "%s: class is required (SimpleStrategy or NetworkTopologyStrategy)", where)
		return Replication{}, false
	case SimpleStrategy:
		if len(dcNodes) > 0 {
			d.errorf(dcNodes[0].keyN, "%s: SimpleStrategy takes only replication_factor, not data center %q (use NetworkTopologyStrategy for per-data-center factors)", where, dcNodes[0].key)
			return Replication{}, false
		}
		if factorNode == nil {
			d.errorf(classNode, "%s: SimpleStrategy needs replication_factor", where)
			return Replication{}, false
		}
	case NetworkTopologyStrategy:
		if factorNode != nil {
			d.errorf(factorNode, "%s: NetworkTopologyStrategy takes a factor per data center, such as \"dc1: 3\", not replication_factor", where)
			return Replication{}, false
		}
		if len(dcNodes) == 0 {
			d.errorf(classNode, "%s: NetworkTopologyStrategy needs at least one data center, such as \"dc1: 3\"", where)
			return Replication{}, false
		}
	}
	d.record("keyspace.replication", e.value)
	return r, true
}

func (d *decoder) replicationFactor(n ast.Node, path string) (int, bool) {
	r := d.resolve(n)
	if x, ok := r.(*ast.IntegerNode); ok {
		switch v := x.Value.(type) {
		case int64:
			if v > 0 && v <= math.MaxInt32 {
				return int(v), true
			}
		case uint64:
			if v > 0 && v <= math.MaxInt32 {
				return int(v), true
			}
		}
	}
	d.errorf(r, "%s: replication factor must be a positive integer, got %s", path, describe(r))
	return 0, false
}

// describe shows a scalar as written, for messages about bad values.
func describe(n ast.Node) string {
	switch x := n.(type) {
	case *ast.StringNode:
		return fmt.Sprintf("%q", x.Value)
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
		return x.GetToken().Value
	}
	return kind(n)
}

func (d *decoder) migrations(n ast.Node, m *Migrations, where string) {
	d.fields(n, where, map[string]func(entry){
		"directory": func(e entry) { d.setPath(e, &m.Directory, join(where, e.key), "migrations.directory") },
	})
}

func (d *decoder) lock(n ast.Node, l *Lock, where string) {
	d.fields(n, where, map[string]func(entry){
		"ttl": func(e entry) {
			v, ok := d.duration(e.value, join(where, e.key), false)
			if !ok {
				return
			}
			// The lease is an INSERT ... USING TTL, counted in whole seconds.
			if v < MinLockTTL || v%time.Second != 0 {
				d.errorf(d.resolve(e.value), "%s: must be a whole number of seconds, 2s or more, got %s", join(where, e.key), v)
				return
			}
			l.TTL = v
		},
		"wait": func(e entry) { d.setDuration(e, &l.Wait, join(where, e.key), "lock.wait", true) },
	})
}

func (d *decoder) schema(n ast.Node, s *Schema, where string) {
	d.fields(n, where, map[string]func(entry){
		"agreement_wait": func(e entry) {
			d.setDuration(e, &s.AgreementWait, join(where, e.key), "schema.agreement_wait", false)
		},
		"release": func(e entry) {
			// A bare 3.11 or 4.0 is a YAML float: str keeps it as written.
			v, ok := d.str(e.value, join(where, e.key))
			if !ok {
				return
			}
			r, err := parseRelease(v)
			if err != nil {
				d.errorf(d.resolve(e.value), "%s: %v", join(where, e.key), err)
				return
			}
			s.Release = r
			d.record("schema.release", e.value)
		},
	})
}

func (d *decoder) lint(n ast.Node, l *Lint, where string) {
	d.fields(n, where, map[string]func(entry){
		"rules": func(e entry) {
			// Rules merge by id: a profile can change one rule and keep the rest.
			rw := join(where, e.key)
			es, _ := d.entries(e.value, rw)
			for _, re := range es {
				if rule, ok := d.rule(re, join(rw, re.key)); ok {
					if l.Rules == nil {
						l.Rules = map[string]Rule{}
					}
					l.Rules[re.key] = rule
				}
			}
		},
		"plugins": func(e entry) {
			pw := join(where, e.key)
			items, ok := d.items(e.value, pw)
			if !ok {
				return
			}
			var out []Plugin
			for i, it := range items {
				if p, pok := d.plugin(it, fmt.Sprintf("%s[%d]", pw, i), nil); pok {
					out = append(out, p)
				} else {
					ok = false
				}
			}
			if ok {
				l.Plugins = out
			}
		},
		"max_warnings": func(e entry) {
			if v, ok := d.intRange(e.value, join(where, e.key), 0, math.MaxInt32, "must be 0 or more (leave it out for no limit)"); ok {
				l.MaxWarnings = v
			}
		},
	})
}

func (d *decoder) rule(e entry, path string) (Rule, bool) {
	r := d.resolve(e.value)
	switch r.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
	default:
		s, ok := d.enum(r, path, Severities, "severity")
		return Rule{Severity: s}, ok
	}
	// The long form: {severity: ..., <option>: ...}; every key but severity
	// is an option of the rule, checked by the rule itself.
	es, ok := d.entries(r, path)
	var rule Rule
	for _, oe := range es {
		if oe.key == "severity" {
			s, sok := d.enum(oe.value, join(path, oe.key), Severities, "severity")
			ok = ok && sok
			rule.Severity = s
			continue
		}
		v, vok := d.value(oe.value, join(path, oe.key), 1)
		ok = ok && vok
		if rule.Options == nil {
			rule.Options = map[string]any{}
		}
		rule.Options[oe.key] = v
	}
	return rule, ok
}

func (d *decoder) items(n ast.Node, path string) ([]ast.Node, bool) {
	r := d.resolve(n)
	switch x := r.(type) {
	case nil, *ast.NullNode:
		return nil, true
	case *ast.SequenceNode:
		return x.Values, true
	}
	d.errorf(r, "%s: must be a list, got %s", path, kind(r))
	return nil, false
}

var (
	sha256Hex  = regexp.MustCompile(`^[0-9a-fA-F]{64}$`)
	envName    = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	formatName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
)

// plugin reads the fields every plugin entry has, plus the extra ones of a
// hook or a formatter.
func (d *decoder) plugin(n ast.Node, path string, extra map[string]func(entry)) (Plugin, bool) {
	p := Plugin{MemoryPages: DefaultPluginMemoryPages, Timeout: DefaultPluginTimeout}
	before := d.nerr
	r := d.resolve(n)
	switch r.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
	default:
		d.errorf(r, "%s: must be a mapping with at least a path, got %s", path, kind(r))
		return Plugin{}, false
	}
	handlers := map[string]func(entry){
		"path": func(e entry) {
			if v, ok := d.path(e.value, join(path, e.key)); ok {
				p.Path = v
			}
		},
		"sha256": func(e entry) {
			s, ok := d.str(e.value, join(path, e.key))
			if !ok {
				return
			}
			pin := NormalizeSHA256(s)
			if !sha256Hex.MatchString(pin) {
				d.errorf(d.resolve(e.value), "%s: must be 64 hexadecimal digits (the output of sha256sum), optionally after sha256:, got %q", join(path, e.key), s)
				return
			}
			p.SHA256 = pin
		},
		"config": func(e entry) {
			if m, ok := d.mapValue(e.value, join(path, e.key)); ok {
				p.Config = m
			}
		},
		"memory_pages": func(e entry) {
			if v, ok := d.intRange(e.value, join(path, e.key), MinPluginMemoryPages, MaxPluginMemoryPages,
				fmt.Sprintf("must be between %d (8 MiB, what a Go guest needs) and %d (4 GiB) pages", MinPluginMemoryPages, MaxPluginMemoryPages)); ok {
				p.MemoryPages = v
			}
		},
		"timeout": func(e entry) { d.setDuration(e, &p.Timeout, join(path, e.key), path+".timeout", false) },
	}
	for k, h := range extra {
		handlers[k] = h
	}
	d.fields(r, path, handlers)
	if p.Path == "" && d.nerr == before {
		d.errorf(r, "%s: path is required", path)
	}
	return p, d.nerr == before
}

func (d *decoder) hook(n ast.Node, path string) (Hook, bool) {
	h := Hook{OnError: DefaultHookOnError}
	p, ok := d.plugin(n, path, map[string]func(entry){
		"on_error": func(e entry) {
			if v, ok := d.enum(e.value, join(path, e.key), []string{OnErrorFail, OnErrorWarn}, "on_error value"); ok {
				h.OnError = v
			}
		},
		"env": func(e entry) {
			names, ok := d.strList(e.value, join(path, e.key))
			if !ok {
				return
			}
			for i, name := range names {
				if !envName.MatchString(name) {
					d.errorf(d.resolve(e.value), "%s[%d]: %q is not an environment variable name", join(path, e.key), i, name)
					return
				}
			}
			h.Env = names
		},
	})
	h.Plugin = p
	return h, ok
}

func (d *decoder) hooks(n ast.Node, h *Hooks, where string) {
	list := func(e entry, dst *[]Hook) {
		lw := join(where, e.key)
		items, ok := d.items(e.value, lw)
		if !ok {
			return
		}
		var out []Hook
		for i, it := range items {
			if hk, hok := d.hook(it, fmt.Sprintf("%s[%d]", lw, i)); hok {
				out = append(out, hk)
			} else {
				ok = false
			}
		}
		if ok {
			*dst = out
		}
	}
	d.fields(n, where, map[string]func(entry){
		"pre_migrate":  func(e entry) { list(e, &h.PreMigrate) },
		"post_migrate": func(e entry) { list(e, &h.PostMigrate) },
	})
}

func (d *decoder) output(n ast.Node, o *Output, where string) {
	d.fields(n, where, map[string]func(entry){
		"formatters": func(e entry) {
			fw := join(where, e.key)
			items, ok := d.items(e.value, fw)
			if !ok {
				return
			}
			var out []Formatter
			seen := map[string]bool{}
			for i, it := range items {
				ip := fmt.Sprintf("%s[%d]", fw, i)
				var f Formatter
				var nameNode ast.Node
				p, pok := d.plugin(it, ip, map[string]func(entry){
					"name": func(e entry) {
						s, sok := d.str(e.value, join(ip, e.key))
						if !sok {
							return
						}
						if !formatName.MatchString(s) {
							d.errorf(d.resolve(e.value), "%s: formatter name %q must be lower-case letters, digits, '-' and '_'", join(ip, e.key), s)
							return
						}
						f.Name, nameNode = s, e.value
					},
				})
				if !pok {
					ok = false
					continue
				}
				switch {
				case f.Name == "":
					d.errorf(d.resolve(it), "%s: name is required (it selects the formatter: --format NAME)", ip)
					ok = false
					continue
				case seen[f.Name]:
					d.errorf(d.resolve(nameNode), "%s: formatter %q is defined twice", ip, f.Name)
					ok = false
					continue
				}
				seen[f.Name] = true
				f.Plugin = p
				out = append(out, f)
			}
			if ok {
				o.Formatters = out
			}
		},
	})
}

// tokenPos is used by parse errors from go-yaml, which carry a token.
func tokenPos(tk *token.Token) (int, int) {
	if tk == nil || tk.Position == nil {
		return 0, 0
	}
	return tk.Position.Line, tk.Position.Column
}
