package history

import (
	"encoding/json"
	"time"
)

// MarshalJSON writes ExecTime as whole milliseconds (exec_time_ms), as the
// table stores it.
func (r Record) MarshalJSON() ([]byte, error) {
	type plain Record
	return json.Marshal(struct {
		plain
		ExecTime int64 `json:"exec_time_ms"`
	}{plain(r), r.ExecTime.Milliseconds()})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (r *Record) UnmarshalJSON(b []byte) error {
	type plain Record
	var v struct {
		*plain
		ExecTime int64 `json:"exec_time_ms"`
	}
	v.plain = (*plain)(r)
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	r.ExecTime = time.Duration(v.ExecTime) * time.Millisecond
	return nil
}

// MarshalJSON writes Duration as whole milliseconds (duration_ms).
func (e Event) MarshalJSON() ([]byte, error) {
	type plain Event
	return json.Marshal(struct {
		plain
		Duration int64 `json:"duration_ms,omitempty"`
	}{plain(e), e.Duration.Milliseconds()})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (e *Event) UnmarshalJSON(b []byte) error {
	type plain Event
	var v struct {
		*plain
		Duration int64 `json:"duration_ms,omitempty"`
	}
	v.plain = (*plain)(e)
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	e.Duration = time.Duration(v.Duration) * time.Millisecond
	return nil
}
