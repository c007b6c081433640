module github.com/cqltrack/cqltrack

go 1.25.0

require (
	github.com/alecthomas/kong v1.17.0
	github.com/apache/cassandra-gocql-driver/v2 v2.1.2
	github.com/goccy/go-yaml v1.19.2
	github.com/rogpeppe/go-internal v1.16.0
	github.com/tetratelabs/wazero v1.12.0
	golang.org/x/sys v0.44.0
	gopkg.in/inf.v0 v0.9.1
)

require golang.org/x/tools v0.26.0 // indirect
