package schema

import (
	"encoding/hex"
	"math"
	"strconv"
	"strings"

	"github.com/cqltrack/cqltrack/engine/cql"
)

// props is a WITH clause checked for duplicates, read the way Cassandra's
// PropertyDefinitions reads it: every simple value is a string first.
type props struct {
	list []cql.Property
	byNm map[string]cql.Property
}

func newProps(list []cql.Property) (*props, error) {
	p := &props{list: list, byNm: map[string]cql.Property{}}
	for _, pr := range list {
		if _, dup := p.byNm[pr.Name]; dup {
			return nil, at(syntaxf("Multiple definitions for property %s", pr.Name), pr.Pos)
		}
		p.byNm[pr.Name] = pr
	}
	return p, nil
}

// check rejects properties outside valid, as "Unknown property".
func (p *props) check(valid func(string) bool) error {
	for _, pr := range p.list {
		if !valid(pr.Name) {
			return at(syntaxf("Unknown property '%s'", pr.Name), pr.Pos)
		}
	}
	return nil
}

func (p *props) has(name string) bool { _, ok := p.byNm[name]; return ok }

// simpleText returns the text of a literal value, or ok=false for a map.
func simpleText(t cql.Term) (string, bool) {
	switch v := t.(type) {
	case *cql.Literal:
		return v.Text, true
	case nil:
		return "", false
	}
	return "", false
}

func (p *props) str(name string) (string, error) {
	pr := p.byNm[name]
	s, ok := simpleText(pr.Value)
	if !ok {
		return "", at(syntaxf("Invalid value for property '%s'. It should be a string", name), pr.Pos)
	}
	return s, nil
}

func (p *props) strMap(name string) (map[string]string, error) {
	pr := p.byNm[name]
	m, err := termMap(pr.Value)
	if err != nil {
		return nil, at(syntaxf("Invalid value for property '%s'. It should be a map.", name), pr.Pos)
	}
	return m, nil
}

// termMap reads a map literal whose keys and values are simple literals,
// keys kept as written: Cassandra's parser (convertPropertyMap) keeps the
// raw text of each key and the option readers look keys up exactly
// ("class" in ReplicationParams and CompactionParams), so datacenter names,
// which are case-sensitive, keep their case, and 'Class' is not "class".
func termMap(t cql.Term) (map[string]string, error) {
	cl, ok := t.(*cql.CollectionLiteral)
	if !ok || (cl.Kind != "map" && !(len(cl.Elements) == 0 && len(cl.Entries) == 0)) {
		return nil, syntaxf("not a map")
	}
	m := map[string]string{}
	for _, e := range cl.Entries {
		k, ok1 := simpleText(e.Key)
		v, ok2 := simpleText(e.Value)
		if !ok1 || !ok2 {
			return nil, syntaxf("not a map of simple values")
		}
		m[k] = v
	}
	return m, nil
}

func (p *props) boolean(name string) (bool, error) {
	s, err := p.str(name)
	if err != nil {
		return false, err
	}
	b, err := parseBool(name, s)
	return b, at(err, p.byNm[name].Pos)
}

func parseBool(name, s string) (bool, error) {
	switch strings.ToLower(s) {
	case "1", "true", "yes":
		return true, nil
	case "0", "false", "no":
		return false, nil
	}
	return false, syntaxf("Invalid boolean value %s for '%s'. Positive values can be '1', 'true' or 'yes' (case insensitive) and negative values can be '0', 'false' or 'no' (case insensitive).", s, name)
}

func (p *props) integer(name string) (int, error) {
	s, err := p.str(name)
	if err != nil {
		return 0, err
	}
	n, perr := strconv.ParseInt(s, 10, 32)
	if perr != nil {
		return 0, at(syntaxf("Invalid integer value %s for '%s'", s, name), p.byNm[name].Pos)
	}
	return int(n), nil
}

func (p *props) double(name string) (float64, error) {
	s, err := p.str(name)
	if err != nil {
		return 0, err
	}
	f, perr := strconv.ParseFloat(s, 64)
	if perr != nil || math.IsNaN(f) {
		return 0, at(syntaxf("Invalid double value %s for '%s'", s, name), p.byNm[name].Pos)
	}
	return f, nil
}

// at sets the position of a schema error that has none yet.
func at(err error, pos cql.Pos) error {
	if e, ok := err.(*Error); ok && e != nil {
		if !e.Pos.IsValid() {
			e.Pos = pos
		}
		return e
	}
	return err
}

// replicationOptions validates and normalises a replication map the way
// Cassandra's ReplicationParams and strategies do.
func (c *Catalog) replicationOptions(ks string, in map[string]string) (map[string]string, error) {
	class, ok := in["class"]
	if !ok {
		return nil, configf("Missing replication strategy class")
	}
	full := class
	if !strings.Contains(class, ".") {
		full = classPrefixLocator + class
	}
	out := map[string]string{"class": full}
	switch full {
	case classPrefixLocator + "SimpleStrategy":
		rf, ok := in["replication_factor"]
		if !ok {
			return nil, configf("SimpleStrategy requires a replication_factor strategy option.")
		}
		for k := range in {
			if k != "class" && k != "replication_factor" {
				return nil, configf("Unrecognized strategy option {%s} passed to SimpleStrategy for keyspace %s", k, ks)
			}
		}
		if err := validateRF(rf); err != nil {
			return nil, err
		}
		out["replication_factor"] = rf
	case classPrefixLocator + "NetworkTopologyStrategy":
		if len(in) == 1 {
			if c.Version < V4_1 {
				return nil, configf("Configuration for at least one datacenter must be present")
			}
			// 4.1+ replicates to every datacenter with default_keyspace_rf (1).
			in = map[string]string{"class": class, "replication_factor": "1"}
			if len(c.Datacenters) == 0 {
				return out, nil
			}
		}
		known := map[string]bool{"class": true, "replication_factor": true}
		for _, dc := range c.Datacenters {
			known[dc] = true
		}
		for _, k := range sortedKeys(in) {
			if len(c.Datacenters) > 0 && !known[k] {
				return nil, configf("Unrecognized strategy option {%s} passed to NetworkTopologyStrategy for keyspace %s", k, ks)
			}
		}
		for k, v := range in {
			if k == "class" {
				continue
			}
			if err := validateRF(v); err != nil {
				return nil, err
			}
			if k == "replication_factor" && len(c.Datacenters) > 0 {
				// Cassandra 4.0+ expands replication_factor to every known
				// datacenter, keeping explicit per-datacenter factors.
				for _, dc := range c.Datacenters {
					if _, explicit := in[dc]; !explicit {
						out[dc] = v
					}
				}
				continue
			}
			out[k] = v
		}
	case classPrefixLocator + "LocalStrategy":
		return nil, configf("Unable to use given strategy class: LocalStrategy is reserved for internal use.")
	default:
		return nil, configf("Unable to find replication strategy class '%s'", full)
	}
	return out, nil
}

// validateRF checks a replication factor: a non-negative integer, or
// "full/transient" as Cassandra 4.0+ writes transient replication.
func validateRF(rf string) error {
	full, transient, isTransient := strings.Cut(rf, "/")
	n, err := strconv.Atoi(full)
	if err != nil {
		return configf("Replication factor must be numeric; found %s", rf)
	}
	if n < 0 {
		return configf("Replication factor must be non-negative; found %s", rf)
	}
	if isTransient {
		t, err := strconv.Atoi(transient)
		if err != nil || t < 0 || t >= n {
			return configf("Invalid replication factor %s", rf)
		}
	}
	return nil
}

// tableOptions applies a WITH clause to base (the defaults for a new table,
// the current options for ALTER) and validates the result as TableParams
// does. forView rejects default_time_to_live; isCreate allows the id option.
func (c *Catalog) tableOptions(base Options, p *props, forView, isCreate bool) (Options, *UUID, error) {
	o := base.Clone()
	var id *UUID
	err := p.check(func(name string) bool {
		if name == "id" {
			return true
		}
		d := lookupOption(name)
		return d != nil && d.validIn(c.Version)
	})
	if err != nil {
		return o, nil, err
	}
	bfSet := false
	for _, pr := range p.list {
		name := pr.Name
		if name == "id" {
			if !isCreate {
				return o, nil, at(configf("Cannot alter table id."), pr.Pos)
			}
			s, err := p.str(name)
			if err != nil {
				return o, nil, err
			}
			u, perr := ParseUUID(s)
			if perr != nil {
				return o, nil, at(configf("Invalid table id"), pr.Pos)
			}
			id = &u
			continue
		}
		if forView && name == "default_time_to_live" {
			return o, nil, at(invalidf("Cannot set default_time_to_live for a materialized view. Data in a materialized view always expire at the same time than the corresponding data in the parent table."), pr.Pos)
		}
		d := lookupOption(name)
		var v any
		switch d.kind {
		case optString:
			v, err = p.str(name)
		case optBool:
			v, err = p.boolean(name)
		case optInt:
			v, err = p.integer(name)
		case optFloat:
			v, err = p.double(name)
		case optMap:
			v, err = p.strMap(name)
		case optBlobMap:
			v, err = blobMap(pr)
		}
		if err != nil {
			return o, nil, err
		}
		if name == "bloom_filter_fp_chance" {
			bfSet = true
		}
		v, err = c.normaliseOption(name, v)
		if err != nil {
			return o, nil, at(err, pr.Pos)
		}
		d.set(&o, v)
	}
	if isCreate && !bfSet && strings.HasSuffix(o.Compaction["class"], ".LeveledCompactionStrategy") {
		o.BloomFilterFPChance = 0.1
	}
	return o, id, at(validateOptions(&o), posOf(p))
}

func posOf(p *props) cql.Pos {
	if len(p.list) > 0 {
		return p.list[0].Pos
	}
	return cql.Pos{}
}

func blobMap(pr cql.Property) (map[string][]byte, error) {
	cl, ok := pr.Value.(*cql.CollectionLiteral)
	if !ok {
		return nil, at(syntaxf("Invalid value for property '%s'. It should be a map.", pr.Name), pr.Pos)
	}
	m := map[string][]byte{}
	for _, e := range cl.Entries {
		k, ok1 := simpleText(e.Key)
		v, ok2 := simpleText(e.Value)
		if !ok1 || !ok2 {
			return nil, at(syntaxf("Invalid value for property '%s'. It should be a map.", pr.Name), pr.Pos)
		}
		b, err := hex.DecodeString(strings.TrimPrefix(strings.TrimPrefix(v, "0x"), "0X"))
		if err != nil {
			return nil, at(syntaxf("Invalid value for property '%s'. It should be a map.", pr.Name), pr.Pos)
		}
		m[k] = b
	}
	return m, nil
}

// compactionOptions lists the sub-options each built-in strategy
// understands, besides the ones every strategy takes.
var compactionOptions = map[string][]string{
	"SizeTieredCompactionStrategy": {"min_sstable_size", "bucket_low", "bucket_high"},
	"LeveledCompactionStrategy":    {"sstable_size_in_mb", "fanout_size", "single_sstable_uplevel"},
	"TimeWindowCompactionStrategy": {"compaction_window_unit", "compaction_window_size", "timestamp_resolution",
		"expired_sstable_check_frequency_seconds", "unsafe_aggressive_sstable_expiration"},
}

var commonCompactionOptions = []string{"class", "enabled", "min_threshold", "max_threshold", "tombstone_threshold",
	"tombstone_compaction_interval", "unchecked_tombstone_compaction", "log_all", "only_purge_repaired_tombstones",
	"provide_overlapping_tombstones"}

var compressors = map[string]bool{"LZ4Compressor": true, "SnappyCompressor": true, "DeflateCompressor": true,
	"ZstdCompressor": true, "NoopCompressor": true}

// normaliseOption turns a user-written option value into what Cassandra
// stores: full class names, default sub-options, canonical spellings.
func (c *Catalog) normaliseOption(name string, v any) (any, error) {
	switch name {
	case "caching":
		m := v.(map[string]string)
		out := map[string]string{"keys": "ALL", "rows_per_partition": "NONE"}
		for k, val := range m {
			switch k {
			case "keys":
				u := strings.ToUpper(val)
				if u != "ALL" && u != "NONE" {
					return nil, configf("Invalid value '%s' for caching sub-option 'keys': only 'ALL' and 'NONE' are allowed", val)
				}
				out[k] = u
			case "rows_per_partition":
				u := strings.ToUpper(val)
				if _, err := strconv.Atoi(val); err != nil && u != "ALL" && u != "NONE" {
					return nil, configf("Invalid value '%s' for caching sub-option 'rows_per_partition': only 'ALL', 'NONE', and integer values are allowed", val)
				}
				out[k] = u
			default:
				return nil, configf("Invalid caching sub-options %s: only 'keys' and 'rows_per_partition' are allowed", mapLiteral(m))
			}
		}
		return out, nil
	case "compaction":
		m := cloneMap(v.(map[string]string))
		class, ok := m["class"]
		if !ok {
			return nil, configf("Missing sub-option 'class' for the 'compaction' option.")
		}
		short := strings.TrimPrefix(class, classPrefixCompaction)
		known := map[string]bool{"SizeTieredCompactionStrategy": true, "LeveledCompactionStrategy": true,
			"TimeWindowCompactionStrategy": true}
		if c.Version < V4_0 {
			known["DateTieredCompactionStrategy"] = true
		}
		if c.Version >= V5_0 {
			known["UnifiedCompactionStrategy"] = true
		}
		if !strings.Contains(short, ".") && !known[short] {
			return nil, configf("Unable to find compaction strategy class '%s'", class)
		}
		if !strings.Contains(short, ".") {
			m["class"] = classPrefixCompaction + short
			if subs, ok := compactionOptions[short]; ok {
				allowed := map[string]bool{}
				for _, o := range append(subs, commonCompactionOptions...) {
					allowed[o] = true
				}
				var bad []string
				for k := range m {
					if !allowed[k] {
						bad = append(bad, k)
					}
				}
				if len(bad) > 0 {
					sortStrings(bad)
					return nil, configf("Properties specified [%s] are not understood by %s", strings.Join(bad, ", "), short)
				}
			}
			for _, k := range []string{"min_threshold", "max_threshold"} {
				if val, ok := m[k]; ok {
					if _, err := strconv.Atoi(val); err != nil {
						return nil, configf("%s is not a parsable int (base10) for %s", val, k)
					}
				}
			}
			if _, ok := m["min_threshold"]; !ok {
				m["min_threshold"] = "4"
			}
			if _, ok := m["max_threshold"]; !ok {
				m["max_threshold"] = "32"
			}
		}
		return m, nil
	case "compression":
		m := cloneMap(v.(map[string]string))
		if old, ok := m["sstable_compression"]; ok {
			delete(m, "sstable_compression")
			m["class"] = old
		}
		if old, ok := m["chunk_length_kb"]; ok {
			delete(m, "chunk_length_kb")
			m["chunk_length_in_kb"] = old
		}
		if en, ok := m["enabled"]; ok {
			b, err := parseBool("enabled", en)
			if err != nil {
				return nil, configf("Invalid value '%s' for compression sub-option 'enabled'", en)
			}
			if !b {
				return map[string]string{"enabled": "false"}, nil
			}
			delete(m, "enabled")
		}
		class, ok := m["class"]
		if !ok {
			return nil, configf("Missing sub-option 'class' for the 'compression' option.")
		}
		if class == "" {
			return map[string]string{"enabled": "false"}, nil
		}
		short := strings.TrimPrefix(class, classPrefixCompression)
		if !strings.Contains(short, ".") {
			if !compressors[short] {
				return nil, configf("Could not create Compression for type %s", classPrefixCompression+short)
			}
			m["class"] = classPrefixCompression + short
		}
		chunk, ok := m["chunk_length_in_kb"]
		if !ok {
			chunk = DefaultOptions(c.Version).Compression["chunk_length_in_kb"]
		}
		n, err := strconv.Atoi(chunk)
		if err != nil {
			return nil, configf("Invalid value for chunk_length_in_kb: %s", chunk)
		}
		if n <= 0 || n&(n-1) != 0 {
			return nil, configf("chunk_length_in_kb must be a power of 2")
		}
		m["chunk_length_in_kb"] = strconv.Itoa(n)
		return m, nil
	case "speculative_retry", "additional_write_policy":
		return c.speculativeRetry(name, v.(string))
	case "read_repair":
		u := strings.ToUpper(v.(string))
		if u != "BLOCKING" && u != "NONE" {
			return nil, configf("Invalid read_repair value '%s': only 'BLOCKING' and 'NONE' are allowed", v)
		}
		return u, nil
	}
	return v, nil
}

// speculativeRetry normalises a speculative retry policy as Cassandra
// prints it: 99p / 50ms / ALWAYS / NEVER (4.0+), 99PERCENTILE / 50ms /
// ALWAYS / NONE (3.11).
func (c *Catalog) speculativeRetry(name, s string) (string, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	bad := configf("Invalid value %s for option '%s'", s, name)
	num := func(t string) (string, bool) {
		f, err := strconv.ParseFloat(t, 64)
		if err != nil || f < 0 {
			return "", false
		}
		return strconv.FormatFloat(f, 'f', -1, 64), true
	}
	switch {
	case u == "ALWAYS":
		return "ALWAYS", nil
	case u == "NEVER" || u == "NONE":
		if c.Version < V4_0 {
			return "NONE", nil
		}
		return "NEVER", nil
	case strings.HasSuffix(u, "PERCENTILE"), strings.HasSuffix(u, "P"):
		t := strings.TrimSuffix(strings.TrimSuffix(u, "PERCENTILE"), "P")
		n, ok := num(t)
		if !ok {
			return "", bad
		}
		if f, _ := strconv.ParseFloat(n, 64); f > 100 || f <= 0 {
			return "", bad
		}
		if c.Version < V4_0 {
			return n + "PERCENTILE", nil
		}
		return n + "p", nil
	case strings.HasSuffix(u, "MS"):
		n, ok := num(strings.TrimSuffix(u, "MS"))
		if !ok {
			return "", bad
		}
		return n + "ms", nil
	case c.Version >= V4_0 && (strings.HasPrefix(u, "MIN(") || strings.HasPrefix(u, "MAX(")) && strings.HasSuffix(u, ")"):
		inner := u[4 : len(u)-1]
		a, b, ok := strings.Cut(inner, ",")
		if !ok {
			return "", bad
		}
		x, err1 := c.speculativeRetry(name, strings.TrimSpace(a))
		y, err2 := c.speculativeRetry(name, strings.TrimSpace(b))
		if err1 != nil || err2 != nil {
			return "", bad
		}
		return strings.ToUpper(u[:3]) + "(" + x + "," + y + ")", nil
	}
	return "", bad
}

// validateOptions applies TableParams.validate's range checks.
func validateOptions(o *Options) error {
	if o.BloomFilterFPChance <= 0 || o.BloomFilterFPChance > 1 {
		return configf("bloom_filter_fp_chance must be larger than 0 and less than or equal to 1.0 (got %s)", formatDouble(o.BloomFilterFPChance))
	}
	if o.CRCCheckChance < 0 || o.CRCCheckChance > 1 {
		return configf("crc_check_chance must be larger than or equal to 0 and smaller than or equal to 1.0 (got %s)", formatDouble(o.CRCCheckChance))
	}
	if o.DefaultTimeToLive < 0 {
		return configf("default_time_to_live must be greater than or equal to 0 (got %d)", o.DefaultTimeToLive)
	}
	if o.DefaultTimeToLive > 630720000 {
		return configf("default_time_to_live must be less than or equal to 630720000 (got %d)", o.DefaultTimeToLive)
	}
	if o.GCGraceSeconds < 0 {
		return configf("gc_grace_seconds must be greater than or equal to 0 (got %d)", o.GCGraceSeconds)
	}
	if o.MinIndexInterval < 1 {
		return configf("min_index_interval must be greater than or equal to 1 (got %d)", o.MinIndexInterval)
	}
	if o.MaxIndexInterval < o.MinIndexInterval {
		return configf("max_index_interval must be greater than or equal to min_index_interval (%d) (got %d)", o.MinIndexInterval, o.MaxIndexInterval)
	}
	if o.MemtableFlushPeriodInMs < 0 {
		return configf("memtable_flush_period_in_ms must be greater than or equal to 0 (got %d)", o.MemtableFlushPeriodInMs)
	}
	if o.ReadRepairChance < 0 || o.ReadRepairChance > 1 {
		return configf("read_repair_chance must be larger than or equal to 0 and smaller than or equal to 1.0 (got %s)", formatDouble(o.ReadRepairChance))
	}
	if o.DCLocalReadRepairChance < 0 || o.DCLocalReadRepairChance > 1 {
		return configf("dclocal_read_repair_chance must be larger than or equal to 0 and smaller than or equal to 1.0 (got %s)", formatDouble(o.DCLocalReadRepairChance))
	}
	return nil
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
