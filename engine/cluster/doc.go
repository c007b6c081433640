// Package cluster opens gocql sessions to a Cassandra cluster from a cqltrack
// configuration and runs statements on them the way a migration tool needs:
// schema changes followed by an explicit wait for schema agreement among the
// live nodes (naming the nodes that disagree when the wait times out), reads
// retried with backoff, writes never retried behind the caller's back, and
// server errors kept recognisable by their native protocol code.
//
// Everything cqltrack sends to the cluster goes through a *Session: the
// engine runs migration statements with ExecDDL and Exec, and the lock and
// history packages build on Exec, Query and ScanCAS.
package cluster
