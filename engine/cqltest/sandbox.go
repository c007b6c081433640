package cqltest

import "fmt"

// SandboxPort is the port `cqltrack sandbox` listens on by default,
// Cassandra's native transport port.
const SandboxPort = 9042

// SandboxOptions configure StartSandbox. The zero value is one node on
// 127.0.0.1:9042 without authentication.
type SandboxOptions struct {
	// Port to listen on; 0 means SandboxPort.
	Port int
	// Nodes is the number of nodes (127.0.0.1 ... 127.0.0.N); 0 means 1.
	Nodes int
	// Username and Password turn on PasswordAuthenticator when Username is
	// not empty.
	Username string
	Password string
	// ReleaseVersion is the Cassandra release to behave as; empty means
	// DefaultReleaseVersion.
	ReleaseVersion string
}

// StartSandbox starts an in-memory cluster for people to try cqltrack
// against, as `cqltrack sandbox` does. It prints nothing: the caller tells
// the user how to connect (Hosts, Port) and calls Close when done.
func StartSandbox(o SandboxOptions) (*Cluster, error) {
	if o.Port == 0 {
		o.Port = SandboxPort
	}
	if o.Nodes == 0 {
		o.Nodes = 1
	}
	opts := []Option{WithPort(o.Port), WithNodes(o.Nodes)}
	if o.Username != "" {
		opts = append(opts, WithCredentials(o.Username, o.Password))
	}
	if o.ReleaseVersion != "" {
		opts = append(opts, WithReleaseVersion(o.ReleaseVersion))
	}
	c, err := Start(opts...)
	if err != nil {
		return nil, fmt.Errorf("start sandbox on port %d: %w", o.Port, err)
	}
	return c, nil
}
