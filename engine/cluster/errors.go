package cluster

import (
	"errors"
	"io"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
)

var (
	// ErrConnect marks a cluster that cannot be reached or that refused the
	// credentials. The engine maps it to exit code 3.
	ErrConnect = errors.New("cannot connect to cassandra")
	// ErrNoAgreement marks a schema change after which the live nodes did not
	// agree on a schema version within schema.agreement_wait. The error that
	// wraps it is an *AgreementError naming the nodes.
	ErrNoAgreement = errors.New("schema agreement not reached")
)

// Code returns the native protocol error code of the server error in err's
// chain (gocql.ErrCodeInvalid, ...), or -1 when err did not come from the
// server.
func Code(err error) int {
	var re gocql.RequestError
	if errors.As(err, &re) {
		return re.Code()
	}
	return -1
}

// IsAlreadyExists reports whether the server answered 0x2400: the keyspace
// or table a CREATE without IF NOT EXISTS names exists already.
func IsAlreadyExists(err error) bool { return Code(err) == gocql.ErrCodeAlreadyExists }

// IsInvalid reports whether the server rejected the statement as invalid
// (0x2200), e.g. an unknown table or a column type change it refuses.
func IsInvalid(err error) bool { return Code(err) == gocql.ErrCodeInvalid }

// IsSyntax reports whether the server could not parse the statement (0x2000).
func IsSyntax(err error) bool { return Code(err) == gocql.ErrCodeSyntax }

// IsConfig reports a configuration error of the server (0x2300), e.g. a
// replication strategy it does not know.
func IsConfig(err error) bool { return Code(err) == gocql.ErrCodeConfig }

// IsUnauthorized reports a statement the user lacks a permission for (0x2100).
func IsUnauthorized(err error) bool { return Code(err) == gocql.ErrCodeUnauthorized }

// IsUnavailable reports that too few replicas were alive to try the request
// (0x1000). Nothing was written.
func IsUnavailable(err error) bool { return Code(err) == gocql.ErrCodeUnavailable }

// IsTimeout reports a server-side read or write timeout (0x1200, 0x1100), a
// CAS outcome the coordinator could not learn (0x1700), or the driver giving
// up waiting for an answer. After a write timeout the write may or may not
// have been applied.
func IsTimeout(err error) bool {
	switch Code(err) {
	case gocql.ErrCodeWriteTimeout, gocql.ErrCodeReadTimeout, gocql.ErrCodeCASWriteUnknown:
		return true
	}
	return errors.Is(err, gocql.ErrTimeoutNoResponse)
}

// IsRefusal reports an answer that refuses the statement for what it is
// (invalid, a syntax error, misconfigured, not permitted, already there): a
// retry as it stands gets the same answer, unlike an overloaded or
// unavailable cluster's.
func IsRefusal(err error) bool {
	return IsInvalid(err) || IsSyntax(err) || IsConfig(err) || IsUnauthorized(err) || IsAlreadyExists(err)
}

// IsUncertain reports whether err leaves the outcome of a write unknown: a
// write timeout, an unknown CAS outcome, or a request sent without an answer.
// An Unavailable answer is not uncertain for plain writes (nothing was tried)
// but is for lightweight transactions, whose Paxos round may have been
// proposed before the coordinator gave up; callers of LWTs treat both alike.
func IsUncertain(err error) bool {
	switch Code(err) {
	case gocql.ErrCodeWriteTimeout, gocql.ErrCodeCASWriteUnknown, gocql.ErrCodeUnavailable:
		return true
	case -1:
		// No answer: a timeout, or the connection closed while the
		// request was out (which can surface as a bare EOF).
		return errors.Is(err, gocql.ErrTimeoutNoResponse) || errors.Is(err, gocql.ErrConnectionClosed) ||
			errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
	}
	return false
}
