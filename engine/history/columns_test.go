package history

import (
	"strings"
	"testing"
)

// TestRecordColumnsMatchScan: the SELECT list and the values scanRecord
// scans into are written separately; a column added to one only would
// shift every value after it.
func TestRecordColumnsMatchScan(t *testing.T) {
	columns := strings.Count(recordColumns, ",") + 1
	var dests int
	scanRecord(func(dest ...any) bool { dests = len(dest); return false })
	if dests != columns {
		t.Errorf("recordColumns names %d columns, scanRecord scans %d values", columns, dests)
	}
}
