package store

import (
	"github.com/cqltrack/cqltrack/engine/cql"
	"github.com/cqltrack/cqltrack/engine/cqltest/wire"
	"github.com/cqltrack/cqltrack/engine/schema"
)

func isSerial(c wire.Consistency) bool { return c == wire.Serial || c == wire.LocalSerial }

// checkReadConsistency is ConsistencyLevel.validateForRead, which every
// SELECT passes before anything is read.
func (o ExecOptions) checkReadConsistency() error {
	if o.HasConsistency && o.Consistency == wire.Any {
		return invalidf("ANY ConsistencyLevel is only supported for writes")
	}
	return nil
}

// checkWriteConsistency is what ModificationStatement checks before a
// write without conditions: validateCounterForWrite for a counter table,
// validateForWrite for any other.
func (o ExecOptions) checkWriteConsistency(t *schema.Table) error {
	if !o.HasConsistency {
		return nil
	}
	if t.IsCounter() {
		if o.Consistency == wire.Any {
			return invalidf("Consistency level ANY is not yet supported for counter table %s", t.Name)
		}
		if isSerial(o.Consistency) {
			return invalidf("Counter operations are inherently non-serializable")
		}
		return nil
	}
	if isSerial(o.Consistency) {
		return invalidf("You must use conditional updates for serializable writes")
	}
	return nil
}

// checkCASConsistency is what StorageProxy.cas checks of a conditional
// update or batch: the serial consistency of the Paxos rounds
// (validateForCas) first, then the consistency of the commit
// (validateForCasCommit).
func (o ExecOptions) checkCASConsistency() error {
	if !o.HasConsistency {
		return nil
	}
	if !isSerial(o.SerialConsistency) {
		return invalidf("Invalid consistency for conditional update. Must be one of SERIAL or LOCAL_SERIAL")
	}
	if isSerial(o.Consistency) {
		return invalidf(`%s is not supported as conditional update commit consistency. Use ANY if you mean "make sure it is accepted but I don't care how many replicas commit it for non-SERIAL reads"`,
			o.Consistency)
	}
	return nil
}

// HasConditions reports whether a write is conditional, a lightweight
// transaction, by its text (IF NOT EXISTS, IF EXISTS, IF col = ...), as
// ModificationStatement decides which path it takes before anything is
// bound.
func HasConditions(stmt cql.Stmt) bool {
	switch s := stmt.(type) {
	case *cql.Insert:
		return s.IfNotExists
	case *cql.Update:
		return s.IfExists || len(s.Conditions) > 0
	case *cql.Delete:
		return s.IfExists || len(s.Conditions) > 0
	}
	return false
}

// checkSerialRead refuses a read at SERIAL or LOCAL_SERIAL that names
// several partitions (an IN on the partition key), as
// StorageProxy.readWithPaxos does: Paxos reads one partition at a time. A
// read without a partition key restriction is a range read, which
// Cassandra runs without Paxos and does not refuse.
func (q *query) checkSerialRead(o ExecOptions) error {
	if !o.HasConsistency || !isSerial(o.Consistency) || q.keys == nil {
		return nil
	}
	seen := map[string]bool{}
	for _, k := range q.keys {
		if key, err := q.v.partitionKey(k); err == nil {
			seen[string(key)] = true
		}
	}
	if len(seen) > 1 {
		return invalidf("SERIAL/LOCAL_SERIAL consistency may only be requested for one partition at a time")
	}
	return nil
}
