package schema

import "strings"

// Convert returns a copy of the catalog as Cassandra release v would hold
// it, so that schemas read from clusters of different releases compare only
// on what users changed: an upgrade rewrites legacy spellings (speculative
// retry '99PERCENTILE' becomes '99p', 'NONE' becomes 'NEVER') and gives the
// options the older release lacked their defaults; a downgrade does the
// reverse: it clears the options v does not have and gives those only v has
// v's defaults. Compression is kept as it is: its default chunk length
// really differs (64 KiB before 4.0, 16 since). System keyspaces are
// replaced by those of v.
func (c *Catalog) Convert(v Version) *Catalog {
	n := c.Clone()
	from := n.Version
	n.Version = v
	for name, ks := range n.Keyspaces {
		if ks.System {
			delete(n.Keyspaces, name)
			continue
		}
		for _, t := range ks.Tables {
			t.Options = ConvertOptions(t.Options, from, v)
		}
		for _, mv := range ks.Views {
			mv.Options = ConvertOptions(mv.Options, from, v)
		}
	}
	for _, ks := range SystemKeyspaces(v) {
		if n.Keyspaces[ks.Name] == nil {
			n.Keyspaces[ks.Name] = ks
		}
	}
	return n
}

// ConvertOptions rewrites table options held by release from into what
// release to holds after an upgrade (or downgrade); see Catalog.Convert.
func ConvertOptions(o Options, from, to Version) Options {
	o = o.Clone()
	if from < V4_0 && to >= V4_0 {
		o.SpeculativeRetry = modernRetry(o.SpeculativeRetry)
		o.AdditionalWritePolicy = "99p"
		o.ReadRepair = "BLOCKING"
		o.ReadRepairChance, o.DCLocalReadRepairChance = 0, 0
	}
	if from >= V4_0 && to < V4_0 {
		o.SpeculativeRetry = legacyRetry(o.SpeculativeRetry)
		o.AdditionalWritePolicy, o.ReadRepair = "", ""
		o.ReadRepairChance, o.DCLocalReadRepairChance = 0, 0.1
	}
	if from < V4_1 && to >= V4_1 {
		o.Memtable = "default"
	}
	if to < V4_1 {
		o.Memtable = ""
	}
	if from < V5_0 && to >= V5_0 {
		o.AllowAutoSnapshot, o.IncrementalBackups = true, true
	}
	if to < V5_0 {
		o.AllowAutoSnapshot, o.IncrementalBackups = false, false
	}
	return o
}

func modernRetry(s string) string {
	switch u := strings.ToUpper(s); {
	case u == "NONE":
		return "NEVER"
	case strings.HasSuffix(u, "PERCENTILE"):
		return strings.TrimSuffix(u, "PERCENTILE") + "p"
	}
	return s
}

func legacyRetry(s string) string {
	switch {
	case s == "NEVER":
		return "NONE"
	case strings.HasSuffix(s, "p"):
		return strings.TrimSuffix(s, "p") + "PERCENTILE"
	}
	return s
}
