package history

import (
	"context"
	"fmt"
	"os"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
)

// EventKind says what an event records.
type EventKind string

// Event kinds.
const (
	// EventAttempt: a migration started (or resumed) applying statements.
	EventAttempt EventKind = "attempt"
	// EventApplied: a migration applied completely.
	EventApplied EventKind = "applied"
	// EventFailed: a statement of a migration failed.
	EventFailed EventKind = "failed"
	// EventRollback: a migration's down section ran and its record went.
	EventRollback EventKind = "rollback"
	// EventBaseline: versions were marked applied without running them.
	EventBaseline EventKind = "baseline"
	// EventRepair: records were rewritten or removed by repair.
	EventRepair EventKind = "repair"
	// EventForceUnlock: the migration lock was removed by force.
	EventForceUnlock EventKind = "force_unlock"
)

// Event is one entry of the event log.
type Event struct {
	// ID is a time-based UUID ordering the log; LogEvent sets it.
	ID          string    `json:"id"`
	Kind        EventKind `json:"kind"`
	Version     int       `json:"version,omitempty"`
	Description string    `json:"description,omitempty"`
	// Who is "user@host" (Identity) unless set; Host the host name.
	Who  string    `json:"who"`
	Host string    `json:"host"`
	At   time.Time `json:"at"`
	// Duration is how long the operation took; Statements how many
	// statements it ran.
	Duration   time.Duration `json:"duration_ms,omitempty"`
	Statements int           `json:"statements,omitempty"`
	Error      string        `json:"error,omitempty"`
	// Detail is free text: the lock holder removed, the checksums repaired.
	Detail string `json:"detail,omitempty"`
}

// LogEvent appends ev to the event log, filling At (now), Who and Host when
// they are empty, and returns it as written. The write is idempotent (its
// id is chosen here), so a timeout is retried without a duplicate.
func (st *Store) LogEvent(ctx context.Context, ev Event) (Event, error) {
	if ev.At.IsZero() {
		ev.At = st.now()
	}
	idTime := st.nextIDTime(ev.At)
	ev.At = ev.At.UTC().Truncate(time.Millisecond)
	if ev.Who == "" {
		ev.Who = Identity()
	}
	if ev.Host == "" {
		ev.Host, _ = os.Hostname()
	}
	id := gocql.UUIDFromTime(idTime)
	ev.ID = id.String()
	err := st.write(ctx, "INSERT INTO "+st.events+" (log, event_id, kind, version, description, who, host, at, duration_ms, "+
		"statements, error, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		st.ks, id, string(ev.Kind), ev.Version, nullString(ev.Description), ev.Who, ev.Host, ev.At,
		int(ev.Duration/time.Millisecond), ev.Statements, nullString(ev.Error), nullString(ev.Detail))
	if err != nil {
		return ev, fmt.Errorf("log %s event: %w", ev.Kind, err)
	}
	return ev, nil
}

// nextIDTime returns the time of the next event id: at, or just after the
// previous id of this Store, so that events logged in one process keep
// their order however coarse the clock.
func (st *Store) nextIDTime(at time.Time) time.Time {
	st.mu.Lock()
	defer st.mu.Unlock()
	if !at.After(st.lastID) {
		at = st.lastID.Add(100 * time.Nanosecond) // a timeuuid's resolution
	}
	st.lastID = at
	return at
}

// Events returns the newest limit events, newest first (limit <= 0: all).
// It reads the log's single partition only.
func (st *Store) Events(ctx context.Context, limit int) ([]Event, error) {
	stmt := "SELECT event_id, kind, version, description, who, host, at, duration_ms, statements, error, detail FROM " +
		st.events + " WHERE log = ?"
	args := []any{st.ks}
	if limit > 0 {
		stmt += " LIMIT ?"
		args = append(args, limit)
	}
	iter := st.s.Query(ctx, stmt, args...).Consistency(st.consistency).Iter()
	var (
		out  []Event
		ev   Event
		id   gocql.UUID
		kind string
		ms   int
	)
	for iter.Scan(&id, &kind, &ev.Version, &ev.Description, &ev.Who, &ev.Host, &ev.At, &ms, &ev.Statements, &ev.Error, &ev.Detail) {
		ev.ID, ev.Kind, ev.Duration = id.String(), EventKind(kind), time.Duration(ms)*time.Millisecond
		out = append(out, ev)
		ev = Event{}
	}
	if err := iter.Close(); err != nil {
		return nil, fmt.Errorf("read %s: %w", st.events, err)
	}
	return out, nil
}
