package history

import (
	"context"
	"fmt"
	"strings"

	"github.com/cqltrack/cqltrack/engine/cluster"
	"github.com/cqltrack/cqltrack/engine/cql"
)

// Table names.
const (
	HistoryTable = "cqltrack_history"
	EventsTable  = "cqltrack_events"
)

// column is a column of a tracking table: its name and CQL type as
// system_schema.columns spells it.
type column struct{ name, typ string }

// historyColumns are cqltrack_history's columns: the first seven are
// cql-track 1.x's, the rest are added to an adopted table.
var historyColumns = []column{
	{"version", "int"},
	{"description", "text"},
	{"checksum", "text"},
	{"status", "text"},
	{"applied_at", "timestamp"},
	{"applied_by", "text"},
	{"exec_time_ms", "int"},
	// Added by cqltrack.
	{"kind", "text"},
	{"started_at", "timestamp"},
	{"statements_total", "int"},
	{"statements_applied", "int"},
	{"statement_checksums", "list<text>"},
	{"error", "text"},
}

// eventColumns are cqltrack_events' columns. The log is one partition
// (log = the keyspace name) clustered newest first.
var eventColumns = []column{
	{"log", "text"},
	{"event_id", "timeuuid"},
	{"kind", "text"},
	{"version", "int"},
	{"description", "text"},
	{"who", "text"},
	{"host", "text"},
	{"at", "timestamp"},
	{"duration_ms", "int"},
	{"statements", "int"},
	{"error", "text"},
	{"detail", "text"},
}

func createHistory(ks string) string {
	return "CREATE TABLE IF NOT EXISTS " + cql.QuoteIdent(ks) + "." + HistoryTable + " (" + columnDefs(historyColumns) +
		", PRIMARY KEY (version))"
}

func createEvents(ks string) string {
	return "CREATE TABLE IF NOT EXISTS " + cql.QuoteIdent(ks) + "." + EventsTable + " (" + columnDefs(eventColumns) +
		", PRIMARY KEY (log, event_id)) WITH CLUSTERING ORDER BY (event_id DESC)"
}

func columnDefs(cols []column) string {
	defs := make([]string, len(cols))
	for i, c := range cols {
		defs[i] = c.name + " " + c.typ
	}
	return strings.Join(defs, ", ")
}

// EnsureSchema creates the history and event tables of keyspace, or adds
// the columns an existing (cql-track 1.x, or older cqltrack) history table
// lacks, each change followed by a schema agreement wait. It reads
// system_schema.columns first, so running it on an up-to-date keyspace makes
// no schema change at all. A column that exists with another type is an
// error: cqltrack would misread it.
func EnsureSchema(ctx context.Context, s *cluster.Session, keyspace string) error {
	tables := []struct {
		name   string
		cols   []column
		create string
	}{
		{HistoryTable, historyColumns, createHistory(keyspace)},
		{EventsTable, eventColumns, createEvents(keyspace)},
	}
	for _, t := range tables {
		if err := ensureTable(ctx, s, keyspace, t.name, t.cols, t.create); err != nil {
			return err
		}
	}
	return nil
}

// ensureTable creates table, or adds the columns of cols it lacks. Replicas
// of a service that start together adopt a cql-track 1.x keyspace together:
// when another one added the columns first, Cassandra refuses our ALTER
// ("already exists"), and the columns are read again rather than the
// refusal reported, until none is missing.
func ensureTable(ctx context.Context, s *cluster.Session, keyspace, table string, cols []column, create string) error {
	for attempt := 0; ; attempt++ {
		have, err := existingColumns(ctx, s, keyspace, table)
		if err != nil {
			return err
		}
		if len(have) == 0 {
			if err := s.ExecDDL(ctx, create); err != nil {
				return fmt.Errorf("create %s.%s: %w", keyspace, table, err)
			}
			return nil
		}
		var missing []string
		for _, c := range cols {
			typ, ok := have[c.name]
			if !ok {
				missing = append(missing, c.name+" "+c.typ)
				continue
			}
			if typ != c.typ {
				return fmt.Errorf("%s.%s column %s is %s, cqltrack needs %s\nhint: this table was not created by cqltrack or cql-track; point keyspace.name at another keyspace",
					keyspace, table, c.name, typ, c.typ)
			}
		}
		if len(missing) == 0 {
			if attempt > 0 {
				// Another process made the change: wait until every node
				// has it, as for our own.
				return s.AwaitSchemaAgreement(ctx)
			}
			return nil
		}
		stmt := "ALTER TABLE " + cql.QuoteIdent(keyspace) + "." + table + " ADD (" + strings.Join(missing, ", ") + ")"
		err = s.ExecDDL(ctx, stmt)
		if err == nil {
			return nil
		}
		if attempt >= 3 || !columnExists(err) {
			return fmt.Errorf("add columns to %s.%s: %w", keyspace, table, err)
		}
	}
}

// columnExists recognises Cassandra's refusal of an ALTER TABLE ADD whose
// column another process added first.
func columnExists(err error) bool {
	if cluster.IsAlreadyExists(err) {
		return true
	}
	// 4.0 and later: "Column with name 'kind' already exists"; 3.11:
	// "Invalid column name kind because it conflicts with an existing column".
	msg := strings.ToLower(err.Error())
	return cluster.IsInvalid(err) && (strings.Contains(msg, "already exist") || strings.Contains(msg, "conflicts with an existing column"))
}

// existingColumns reads a table's columns and types from system_schema;
// an empty map means the table does not exist.
func existingColumns(ctx context.Context, s *cluster.Session, keyspace, table string) (map[string]string, error) {
	iter := s.Query(ctx, "SELECT column_name, type FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?",
		keyspace, table).Iter()
	out := map[string]string{}
	var name, typ string
	for iter.Scan(&name, &typ) {
		out[name] = typ
	}
	if err := iter.Close(); err != nil {
		return nil, fmt.Errorf("read columns of %s.%s: %w", keyspace, table, err)
	}
	return out, nil
}
