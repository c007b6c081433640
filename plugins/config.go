package plugins

import (
	"encoding/json"
	"fmt"

	"github.com/cqltrack/cqltrack/engine/config"
)

// ConfiguredSpec is the spec of a plugin as cqltrack.yml names it (under
// lint.plugins, hooks or output.formatters), expecting manifest kind
// kind, with the plugin's config encoded as JSON into Spec.Config (nil
// when it has none).
func ConfiguredSpec(c config.Plugin, kind string) (Spec, error) {
	spec := Spec{
		Path: c.Path, SHA256: c.SHA256, Kind: kind,
		MemoryPages: uint32(c.MemoryPages), Timeout: c.Timeout,
	}
	if c.Config != nil {
		b, err := json.Marshal(c.Config)
		if err != nil {
			return spec, fmt.Errorf("config: %w", err)
		}
		spec.Config = b
	}
	return spec, nil
}
