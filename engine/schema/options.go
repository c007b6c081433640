package schema

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Options are the table (and materialized view) options, as Cassandra holds
// them after filling in its defaults. Which of them exist depends on the
// catalog's Version (see OptionNames).
type Options struct {
	AdditionalWritePolicy   string            // 4.0+
	AllowAutoSnapshot       bool              // 5.0+
	BloomFilterFPChance     float64           //
	Caching                 map[string]string // keys, rows_per_partition
	CDC                     bool              //
	Comment                 string            //
	Compaction              map[string]string // class (full Java name) and options
	Compression             map[string]string // class (full Java name) and options
	CRCCheckChance          float64           //
	DCLocalReadRepairChance float64           // 3.11 only
	DefaultTimeToLive       int               //
	Extensions              map[string][]byte //
	GCGraceSeconds          int               //
	IncrementalBackups      bool              // 5.0+
	MaxIndexInterval        int               //
	Memtable                string            // 4.1+: a memtable configuration key
	MemtableFlushPeriodInMs int               //
	MinIndexInterval        int               //
	ReadRepair              string            // 4.0+: BLOCKING or NONE
	ReadRepairChance        float64           // 3.11 only
	SpeculativeRetry        string            //
}

// Clone returns a deep copy of o.
func (o Options) Clone() Options {
	o.Caching = cloneMap(o.Caching)
	o.Compaction = cloneMap(o.Compaction)
	o.Compression = cloneMap(o.Compression)
	if o.Extensions != nil {
		ext := make(map[string][]byte, len(o.Extensions))
		for k, v := range o.Extensions {
			ext[k] = append([]byte(nil), v...)
		}
		o.Extensions = ext
	}
	return o
}

// Class names Cassandra writes in full in system_schema.
const (
	classPrefixCompaction  = "org.apache.cassandra.db.compaction."
	classPrefixCompression = "org.apache.cassandra.io.compress."
	classPrefixLocator     = "org.apache.cassandra.locator."
	classSTCS              = classPrefixCompaction + "SizeTieredCompactionStrategy"
	classLZ4               = classPrefixCompression + "LZ4Compressor"
)

// DefaultOptions returns the options Cassandra v gives a table created
// without a WITH clause (TableParams defaults of that release).
func DefaultOptions(v Version) Options {
	o := Options{
		BloomFilterFPChance:     0.01,
		Caching:                 map[string]string{"keys": "ALL", "rows_per_partition": "NONE"},
		Compaction:              map[string]string{"class": classSTCS, "max_threshold": "32", "min_threshold": "4"},
		Compression:             map[string]string{"chunk_length_in_kb": "16", "class": classLZ4},
		CRCCheckChance:          1.0,
		Extensions:              map[string][]byte{},
		GCGraceSeconds:          864000,
		MaxIndexInterval:        2048,
		MinIndexInterval:        128,
		MemtableFlushPeriodInMs: 0,
	}
	if v < V4_0 {
		o.Compression["chunk_length_in_kb"] = "64"
		o.DCLocalReadRepairChance = 0.1
		o.SpeculativeRetry = "99PERCENTILE"
		return o
	}
	o.SpeculativeRetry = "99p"
	o.AdditionalWritePolicy = "99p"
	o.ReadRepair = "BLOCKING"
	if v >= V4_1 {
		o.Memtable = "default"
	}
	if v >= V5_0 {
		o.AllowAutoSnapshot = true
		o.IncrementalBackups = true
	}
	return o
}

type optKind int

const (
	optString optKind = iota
	optBool
	optInt
	optFloat
	optMap
	optBlobMap
)

// optionDef describes one table option: its CQL name, value kind, the
// releases that know it, and how to read and write it in Options.
type optionDef struct {
	name         string
	kind         optKind
	since, until Version // until is exclusive; 0 means still there
	viewToo      bool    // also a materialized view option
	get          func(*Options) any
	set          func(*Options, any)
}

// optionDefs are in DESCRIBE order.
var optionDefs = []optionDef{
	{"additional_write_policy", optString, V4_0, 0, true,
		func(o *Options) any { return o.AdditionalWritePolicy }, func(o *Options, v any) { o.AdditionalWritePolicy = v.(string) }},
	{"allow_auto_snapshot", optBool, V5_0, 0, true,
		func(o *Options) any { return o.AllowAutoSnapshot }, func(o *Options, v any) { o.AllowAutoSnapshot = v.(bool) }},
	{"bloom_filter_fp_chance", optFloat, V3_11, 0, true,
		func(o *Options) any { return o.BloomFilterFPChance }, func(o *Options, v any) { o.BloomFilterFPChance = v.(float64) }},
	{"caching", optMap, V3_11, 0, true,
		func(o *Options) any { return o.Caching }, func(o *Options, v any) { o.Caching = v.(map[string]string) }},
	{"cdc", optBool, V3_11, 0, true,
		func(o *Options) any { return o.CDC }, func(o *Options, v any) { o.CDC = v.(bool) }},
	{"comment", optString, V3_11, 0, true,
		func(o *Options) any { return o.Comment }, func(o *Options, v any) { o.Comment = v.(string) }},
	{"compaction", optMap, V3_11, 0, true,
		func(o *Options) any { return o.Compaction }, func(o *Options, v any) { o.Compaction = v.(map[string]string) }},
	{"compression", optMap, V3_11, 0, true,
		func(o *Options) any { return o.Compression }, func(o *Options, v any) { o.Compression = v.(map[string]string) }},
	{"memtable", optString, V4_1, 0, true,
		func(o *Options) any { return o.Memtable }, func(o *Options, v any) { o.Memtable = v.(string) }},
	{"crc_check_chance", optFloat, V3_11, 0, true,
		func(o *Options) any { return o.CRCCheckChance }, func(o *Options, v any) { o.CRCCheckChance = v.(float64) }},
	{"dclocal_read_repair_chance", optFloat, V3_11, V4_0, true,
		func(o *Options) any { return o.DCLocalReadRepairChance }, func(o *Options, v any) { o.DCLocalReadRepairChance = v.(float64) }},
	{"default_time_to_live", optInt, V3_11, 0, false,
		func(o *Options) any { return o.DefaultTimeToLive }, func(o *Options, v any) { o.DefaultTimeToLive = v.(int) }},
	{"extensions", optBlobMap, V3_11, 0, true,
		func(o *Options) any { return o.Extensions }, func(o *Options, v any) { o.Extensions = v.(map[string][]byte) }},
	{"gc_grace_seconds", optInt, V3_11, 0, true,
		func(o *Options) any { return o.GCGraceSeconds }, func(o *Options, v any) { o.GCGraceSeconds = v.(int) }},
	{"incremental_backups", optBool, V5_0, 0, true,
		func(o *Options) any { return o.IncrementalBackups }, func(o *Options, v any) { o.IncrementalBackups = v.(bool) }},
	{"max_index_interval", optInt, V3_11, 0, true,
		func(o *Options) any { return o.MaxIndexInterval }, func(o *Options, v any) { o.MaxIndexInterval = v.(int) }},
	{"memtable_flush_period_in_ms", optInt, V3_11, 0, true,
		func(o *Options) any { return o.MemtableFlushPeriodInMs }, func(o *Options, v any) { o.MemtableFlushPeriodInMs = v.(int) }},
	{"min_index_interval", optInt, V3_11, 0, true,
		func(o *Options) any { return o.MinIndexInterval }, func(o *Options, v any) { o.MinIndexInterval = v.(int) }},
	{"read_repair", optString, V4_0, 0, true,
		func(o *Options) any { return o.ReadRepair }, func(o *Options, v any) { o.ReadRepair = v.(string) }},
	{"read_repair_chance", optFloat, V3_11, V4_0, true,
		func(o *Options) any { return o.ReadRepairChance }, func(o *Options, v any) { o.ReadRepairChance = v.(float64) }},
	{"speculative_retry", optString, V3_11, 0, true,
		func(o *Options) any { return o.SpeculativeRetry }, func(o *Options, v any) { o.SpeculativeRetry = v.(string) }},
}

func (d *optionDef) validIn(v Version) bool {
	return v >= d.since && (d.until == 0 || v < d.until)
}

func lookupOption(name string) *optionDef {
	for i := range optionDefs {
		if optionDefs[i].name == name {
			return &optionDefs[i]
		}
	}
	return nil
}

// OptionNames returns the table option names Cassandra v accepts in the
// order DESCRIBE prints them: alphabetical, but for memtable, which 5.0
// prints after compression. forView leaves out the ones a materialized view
// does not have.
func OptionNames(v Version, forView bool) []string {
	var names []string
	for _, d := range optionDefs {
		if d.validIn(v) && (!forView || d.viewToo) {
			names = append(names, d.name)
		}
	}
	return names
}

// Get returns the value of the named option: a string, bool, int, float64,
// map[string]string or map[string][]byte. ok is false for an unknown name.
func (o *Options) Get(name string) (value any, ok bool) {
	d := lookupOption(name)
	if d == nil {
		return nil, false
	}
	return d.get(o), true
}

// optionEqual compares two option values of the same kind.
func optionEqual(a, b any) bool {
	switch x := a.(type) {
	case map[string]string:
		y := b.(map[string]string)
		if len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if w, ok := y[k]; !ok || w != v {
				return false
			}
		}
		return true
	case map[string][]byte:
		y := b.(map[string][]byte)
		if len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if w, ok := y[k]; !ok || string(w) != string(v) {
				return false
			}
		}
		return true
	}
	return a == b
}

// optionLiteral renders an option value as CQL.
func optionLiteral(v any) string {
	switch x := v.(type) {
	case string:
		return quoteString(x)
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case float64:
		return formatDouble(x)
	case map[string]string:
		return mapLiteral(x)
	case map[string][]byte:
		keys := sortedKeys(x)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = quoteString(k) + ": 0x" + fmt.Sprintf("%x", x[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	panic(fmt.Sprintf("schema: option value of type %T", v))
}

// formatDouble renders a double as Java's Double.toString does for the
// values table options take (0.01, 1.0, 0.1).
func formatDouble(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e7 {
		return strconv.FormatFloat(f, 'f', 1, 64)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

func mapLiteral(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = quoteString(k) + ": " + quoteString(m[k])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func quoteString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
