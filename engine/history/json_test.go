package history_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cqltrack/cqltrack/engine/history"
)

func TestJSONDurationsInMilliseconds(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	rec := history.Record{Version: 4, Description: "d", Checksum: "c", Status: history.StatusSuccess, Kind: history.KindMigrate,
		AppliedAt: at, ExecTime: 1500 * time.Millisecond, StatementsTotal: 2, StatementsApplied: 2}
	ev := history.Event{ID: "x", Kind: history.EventApplied, Version: 4, Who: "a@b", Host: "b", At: at, Duration: 2 * time.Second}
	tests := []struct {
		v    any
		want string
		back any
	}{
		{rec, `"exec_time_ms":1500`, &history.Record{}},
		{ev, `"duration_ms":2000`, &history.Event{}},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.v)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), tt.want) || strings.Count(string(b), strings.Split(tt.want, ":")[0]) != 1 {
			t.Errorf("%s: want %s once", b, tt.want)
		}
		if err := json.Unmarshal(b, tt.back); err != nil {
			t.Fatal(err)
		}
		if got := reflect.ValueOf(tt.back).Elem().Interface(); !reflect.DeepEqual(got, tt.v) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, tt.v)
		}
	}
}
