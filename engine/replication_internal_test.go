package engine

import (
	"testing"

	"github.com/cqltrack/cqltrack/engine/config"
)

// TestReplicationMatches: init's comparison of the configured replication
// with what system_schema.keyspaces holds (the class in full, factors as
// text, a NetworkTopologyStrategy replication_factor expanded by Cassandra
// to every datacenter).
func TestReplicationMatches(t *testing.T) {
	const simple, nts = "org.apache.cassandra.locator.SimpleStrategy", "org.apache.cassandra.locator.NetworkTopologyStrategy"
	tests := []struct {
		name string
		want config.Replication
		live map[string]string
		ok   bool
	}{
		{"simple", config.Replication{Class: config.SimpleStrategy, Factor: 3}, map[string]string{"class": simple, "replication_factor": "3"}, true},
		{"simple factor", config.Replication{Class: config.SimpleStrategy, Factor: 3}, map[string]string{"class": simple, "replication_factor": "1"}, false},
		{"class", config.Replication{Class: config.NetworkTopologyStrategy, DataCenters: map[string]int{"dc1": 1}}, map[string]string{"class": simple, "replication_factor": "1"}, false},
		{"per dc", config.Replication{Class: config.NetworkTopologyStrategy, DataCenters: map[string]int{"dc1": 3, "dc2": 3}}, map[string]string{"class": nts, "dc1": "3", "dc2": "3"}, true},
		{"dc missing live", config.Replication{Class: config.NetworkTopologyStrategy, DataCenters: map[string]int{"dc1": 3, "dc2": 3}}, map[string]string{"class": nts, "dc1": "3"}, false},
		{"extra dc live", config.Replication{Class: config.NetworkTopologyStrategy, DataCenters: map[string]int{"dc1": 3}}, map[string]string{"class": nts, "dc1": "3", "dc2": "3"}, false},
		{"dc factor", config.Replication{Class: config.NetworkTopologyStrategy, DataCenters: map[string]int{"dc1": 3}}, map[string]string{"class": nts, "dc1": "2"}, false},
		{"expanded factor", config.Replication{Class: config.NetworkTopologyStrategy, Factor: 3}, map[string]string{"class": nts, "dc1": "3", "dc2": "3"}, true},
		{"expanded factor differs", config.Replication{Class: config.NetworkTopologyStrategy, Factor: 3}, map[string]string{"class": nts, "dc1": "3", "dc2": "1"}, false},
		{"factor and an explicit dc", config.Replication{Class: config.NetworkTopologyStrategy, Factor: 3, DataCenters: map[string]int{"dc2": 1}}, map[string]string{"class": nts, "dc1": "3", "dc2": "1"}, true},
	}
	for _, tt := range tests {
		if got := replicationMatches(tt.want, tt.live); got != tt.ok {
			t.Errorf("%s: replicationMatches = %v, want %v", tt.name, got, tt.ok)
		}
	}
}
