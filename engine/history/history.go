// Package history reads and writes cqltrack's tracking tables: the
// per-version record of what was applied (cqltrack_history, compatible
// with cql-track 1.x) and an append-only event log of everything that ever
// happened (cqltrack_events), kept in one partition per keyspace so that
// reading it never scans the cluster.
//
// A record's Status is one of StatusRunning (statements are being applied;
// left behind by a process that was killed), StatusSuccess and
// StatusFailed, or, while the migration's down section runs,
// StatusRollingBack and StatusRollbackFailed. Its Kind tells a migration that ran (KindMigrate) from one
// marked applied by baseline (KindBaseline). Rows written by cql-track 1.x
// read as Kind migrate with no statement counts. A rollback rewrites the
// record to count down statements (StartRollback, Progress,
// FailRollback) and deletes it when the down section has run; the event
// log keeps it.
package history

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"slices"
	"sync"
	"time"

	gocql "github.com/apache/cassandra-gocql-driver/v2"

	"github.com/cqltrack/cqltrack/engine/cluster"
	"github.com/cqltrack/cqltrack/engine/cql"
)

// Status is the state of a history record.
type Status string

// Record statuses. cql-track 1.x wrote only StatusSuccess and StatusFailed.
const (
	StatusRunning Status = "running"
	StatusSuccess Status = "success"
	StatusFailed  Status = "failed"
	// StatusRollingBack: the down section is being run (or an attempt at
	// it stopped without an answer: killed, interrupted, timed out).
	// StatementsTotal, StatementsApplied and StatementChecksums count the
	// down statements then, not the up ones.
	StatusRollingBack Status = "rolling_back"
	// StatusRollbackFailed: a down statement failed with an answer from
	// the cluster; counted as for StatusRollingBack, Error says why.
	StatusRollbackFailed Status = "rollback_failed"
)

// Kind is how a version came to be recorded.
type Kind string

// Record kinds.
const (
	KindMigrate  Kind = "migrate"
	KindBaseline Kind = "baseline"
)

// Record is one row of cqltrack_history: the state of one version.
type Record struct {
	Version     int    `json:"version"`
	Description string `json:"description"`
	// Checksum is the MD5 hex of the migration file.
	Checksum string `json:"checksum"`
	Status   Status `json:"status"`
	Kind     Kind   `json:"kind"`
	// StartedAt is when the last attempt began; AppliedAt when it ended
	// (success or failure).
	StartedAt time.Time `json:"started_at,omitzero"`
	AppliedAt time.Time `json:"applied_at,omitzero"`
	AppliedBy string    `json:"applied_by"`
	// ExecTime is how long the last attempt ran.
	ExecTime time.Duration `json:"exec_time_ms"`
	// StatementsTotal is the number of statements in the up section;
	// StatementsApplied how many succeeded, in order (zero for both in rows
	// of cql-track 1.x).
	StatementsTotal   int `json:"statements_total"`
	StatementsApplied int `json:"statements_applied"`
	// StatementChecksums are the MD5 hex of each statement, so a resumed
	// migration can check the statements already applied are unchanged.
	StatementChecksums []string `json:"statement_checksums,omitempty"`
	// Error is the server's message for a failed statement.
	Error string `json:"error,omitempty"`
}

// Store reads and writes the tracking tables of one keyspace.
type Store struct {
	s           *cluster.Session
	ks          string
	history     string
	events      string
	consistency gocql.Consistency
	now         func() time.Time

	mu     sync.Mutex
	lastID time.Time
}

// Option customises a Store.
type Option func(*Store)

// WithConsistency sets the consistency of every read and write of the
// tracking tables (default: see New).
func WithConsistency(c gocql.Consistency) Option { return func(st *Store) { st.consistency = c } }

// WithClock sets the clock of applied_at, started_at and event times.
func WithClock(now func() time.Time) Option { return func(st *Store) { st.now = now } }

// New returns a Store for keyspace. Tracking reads and writes run at the
// session's consistency raised to LOCAL_QUORUM when it is weaker (ANY, ONE,
// TWO, LOCAL_ONE): a record written by one migrator must be seen by the
// next one whichever replica answers. QUORUM, EACH_QUORUM, THREE and ALL
// are kept.
func New(s *cluster.Session, keyspace string, opts ...Option) *Store {
	st := &Store{s: s, ks: keyspace, history: cql.QuoteIdent(keyspace) + "." + HistoryTable, events: cql.QuoteIdent(keyspace) + "." + EventsTable,
		consistency: trackingConsistency(s.Consistency()), now: time.Now}
	for _, o := range opts {
		o(st)
	}
	return st
}

func trackingConsistency(c gocql.Consistency) gocql.Consistency {
	switch c {
	case gocql.Any, gocql.One, gocql.Two, gocql.LocalOne:
		return gocql.LocalQuorum
	}
	return c
}

// Consistency returns the level tracking reads and writes use.
func (st *Store) Consistency() gocql.Consistency { return st.consistency }

// Identity returns "user@host" for applied_by and event authors.
func Identity() string {
	name := "unknown"
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown-host"
	}
	return name + "@" + host
}

const recordColumns = "version, description, checksum, status, kind, started_at, applied_at, applied_by, exec_time_ms, " +
	"statements_total, statements_applied, statement_checksums, error"

func scanRecord(scan func(...any) bool) (Record, bool) {
	var (
		r      Record
		status string
		kind   string
		ms     int
	)
	ok := scan(&r.Version, &r.Description, &r.Checksum, &status, &kind, &r.StartedAt, &r.AppliedAt, &r.AppliedBy, &ms,
		&r.StatementsTotal, &r.StatementsApplied, &r.StatementChecksums, &r.Error)
	r.Status, r.Kind, r.ExecTime = Status(status), Kind(kind), time.Duration(ms)*time.Millisecond
	if r.Kind == "" {
		r.Kind = KindMigrate
	}
	return r, ok
}

// Applied returns every record, sorted by version, whatever its status.
func (st *Store) Applied(ctx context.Context) ([]Record, error) {
	iter := st.s.Query(ctx, "SELECT "+recordColumns+" FROM "+st.history).Consistency(st.consistency).Iter()
	var out []Record
	for {
		r, ok := scanRecord(iter.Scan)
		if !ok {
			break
		}
		out = append(out, r)
	}
	if err := iter.Close(); err != nil {
		return nil, fmt.Errorf("read %s: %w", st.history, err)
	}
	slices.SortFunc(out, func(a, b Record) int { return a.Version - b.Version })
	return out, nil
}

// Get returns the record of version, or nil when there is none.
func (st *Store) Get(ctx context.Context, version int) (*Record, error) {
	q := st.s.Query(ctx, "SELECT "+recordColumns+" FROM "+st.history+" WHERE version = ?", version).Consistency(st.consistency)
	var err error
	r, _ := scanRecord(func(dest ...any) bool { err = q.Scan(dest...); return err == nil })
	if errors.Is(err, gocql.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s version %d: %w", st.history, version, err)
	}
	return &r, nil
}

// Put writes rec as it is (an upsert of every column): for baseline, and
// for repair rewriting checksums.
func (st *Store) Put(ctx context.Context, rec Record) error {
	if rec.Kind == "" {
		rec.Kind = KindMigrate
	}
	err := st.write(ctx, "INSERT INTO "+st.history+" ("+recordColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		rec.Version, rec.Description, rec.Checksum, string(rec.Status), string(rec.Kind), nullTime(rec.StartedAt),
		nullTime(rec.AppliedAt), rec.AppliedBy, int(rec.ExecTime/time.Millisecond), rec.StatementsTotal,
		rec.StatementsApplied, rec.StatementChecksums, nullString(rec.Error))
	if err != nil {
		return fmt.Errorf("write %s version %d: %w", st.history, rec.Version, err)
	}
	return nil
}

// Start records that an attempt at rec.Version begins: status running,
// started_at now, kind migrate unless set, the error of an earlier attempt
// cleared. rec.StatementsApplied is where the attempt starts (non-zero when
// it resumes); applied_at and exec_time_ms keep the last attempt's values.
func (st *Store) Start(ctx context.Context, rec Record) error {
	if rec.Kind == "" {
		rec.Kind = KindMigrate
	}
	if rec.AppliedBy == "" {
		rec.AppliedBy = Identity()
	}
	err := st.write(ctx, "UPDATE "+st.history+" SET description = ?, checksum = ?, status = ?, kind = ?, started_at = ?, "+
		"applied_by = ?, statements_total = ?, statements_applied = ?, statement_checksums = ?, error = null WHERE version = ?",
		rec.Description, rec.Checksum, string(StatusRunning), string(rec.Kind), st.now(), rec.AppliedBy,
		rec.StatementsTotal, rec.StatementsApplied, rec.StatementChecksums, rec.Version)
	if err != nil {
		return fmt.Errorf("record start of version %d: %w", rec.Version, err)
	}
	return nil
}

// Progress records that the first applied statements of version succeeded
// (down statements, while the record is rolling back).
func (st *Store) Progress(ctx context.Context, version, applied int) error {
	if err := st.write(ctx, "UPDATE "+st.history+" SET statements_applied = ? WHERE version = ?", applied, version); err != nil {
		return fmt.Errorf("record progress of version %d: %w", version, err)
	}
	return nil
}

// StartRollback records that an attempt at undoing version begins (or
// resumes): status rolling_back, started_at now, and the down section's
// statement count and checksums, with done of them already run. The
// checksum, applied_at and applied_by of the application are kept; the
// error of an earlier attempt is cleared. Progress then counts down
// statements.
func (st *Store) StartRollback(ctx context.Context, version, total, done int, sums []string) error {
	err := st.write(ctx, "UPDATE "+st.history+" SET status = ?, started_at = ?, statements_total = ?, statements_applied = ?, "+
		"statement_checksums = ?, error = null WHERE version = ?",
		string(StatusRollingBack), st.now(), total, done, sums, version)
	if err != nil {
		return fmt.Errorf("record start of the rollback of version %d: %w", version, err)
	}
	return nil
}

// FailRollback records that down statement done+1 of version failed with
// cause: status rollback_failed, the first done down statements run.
func (st *Store) FailRollback(ctx context.Context, version, done int, cause string) error {
	err := st.write(ctx, "UPDATE "+st.history+" SET status = ?, statements_applied = ?, error = ? WHERE version = ?",
		string(StatusRollbackFailed), done, cause, version)
	if err != nil {
		return fmt.Errorf("record the failed rollback of version %d: %w", version, err)
	}
	return nil
}

// Finish records that version was applied completely: status success,
// applied_at now, how long it took and how many statements ran.
func (st *Store) Finish(ctx context.Context, version, applied int, took time.Duration) error {
	err := st.write(ctx, "UPDATE "+st.history+" SET status = ?, applied_at = ?, exec_time_ms = ?, statements_applied = ?, "+
		"error = null WHERE version = ?", string(StatusSuccess), st.now(), int(took/time.Millisecond), applied, version)
	if err != nil {
		return fmt.Errorf("record success of version %d: %w", version, err)
	}
	return nil
}

// Fail records that statement applied+1 of version failed with cause:
// status failed, the first applied statements done.
func (st *Store) Fail(ctx context.Context, version, applied int, took time.Duration, cause string) error {
	err := st.write(ctx, "UPDATE "+st.history+" SET status = ?, applied_at = ?, exec_time_ms = ?, statements_applied = ?, "+
		"error = ? WHERE version = ?", string(StatusFailed), st.now(), int(took/time.Millisecond), applied, cause, version)
	if err != nil {
		return fmt.Errorf("record failure of version %d: %w", version, err)
	}
	return nil
}

// Delete removes the record of version (after a rollback, or by repair).
func (st *Store) Delete(ctx context.Context, version int) error {
	if err := st.write(ctx, "DELETE FROM "+st.history+" WHERE version = ?", version); err != nil {
		return fmt.Errorf("delete %s version %d: %w", st.history, version, err)
	}
	return nil
}

// write runs an idempotent write (every tracking write sets values, none
// adds to them), so a timeout is retried with the session's backoff.
func (st *Store) write(ctx context.Context, stmt string, args ...any) error {
	return st.s.Query(ctx, stmt, args...).Consistency(st.consistency).Exec()
}

// nullTime writes the zero time as null.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
