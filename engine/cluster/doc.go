// Package cluster opens gocql sessions to a Cassandra cluster from a cqltrack
// configuration and runs statements on them the way a migration tool needs:
// schema changes followed by an explicit wait for schema agreement among the
// live nodes (naming the nodes that disagree when the wait times out), reads
// retried with backoff, writes never retried behind the caller's back, and
// server errors kept recognisable by their native protocol code.
//
// Connect speaks TLS with verification on by default (CA, host name,
// validity) and mutual TLS with a client certificate; it reaches Astra DB
// through a secure connect bundle (the bundle's metadata service, then every
// node through Astra's SNI proxy by host id, see ReadBundle), and refuses
// Amazon Keyspaces, whose semantics the lock and the agreement waits cannot
// rely on. Failures say which check failed and what to change.
//
// Everything cqltrack sends to the cluster goes through a *Session: the
// engine runs migration statements with ExecDDL and Exec, and the lock and
// history packages build on Exec, Query and ScanCAS.
package cluster
