package cluster

import (
	"context"
	"log/slog"
	"sync"
	"weak"

	"github.com/cqltrack/cqltrack/engine/config"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
)

// driverLogger passes gocql's messages to slog. They describe the driver's
// internals (reconnections, events), so they go out at debug level; the
// driver's errors as warnings.
type driverLogger struct{ l *slog.Logger }

// agreementSkipped is what gocql logs after every schema change because its
// own agreement wait is turned off (ExecDDL does the waiting).
const agreementSkipped = "Error while awaiting for schema agreement after a schema change event."

func (d *driverLogger) log(level slog.Level, msg string, fields []gocql.LogField) {
	if msg == agreementSkipped {
		return
	}
	if !d.l.Enabled(context.Background(), level) {
		return
	}
	attrs := make([]slog.Attr, 0, len(fields)+1)
	attrs = append(attrs, slog.String("component", "gocql"))
	for _, f := range fields {
		attrs = append(attrs, slog.Any(f.Name, f.Value.Any()))
	}
	d.l.LogAttrs(context.Background(), level, msg, attrs...)
}

func (d *driverLogger) Error(msg string, fields ...gocql.LogField) {
	d.log(slog.LevelWarn, msg, fields)
}

func (d *driverLogger) Warning(msg string, fields ...gocql.LogField) {
	d.log(slog.LevelDebug, msg, fields)
}

func (d *driverLogger) Info(msg string, fields ...gocql.LogField) {
	d.log(slog.LevelDebug, msg, fields)
}

func (d *driverLogger) Debug(msg string, fields ...gocql.LogField) {
	d.log(slog.LevelDebug, msg, fields)
}

// warnedInsecure remembers the configurations already warned about, so that
// an engine opening a second session on the same configuration does not
// repeat the warning. Weak keys keep no configuration (and its password)
// alive.
var warnedInsecure sync.Map // weak.Pointer[config.Config] -> struct{}

// warnInsecure says, once per configuration, that TLS runs without
// verification.
func warnInsecure(cfg *config.Config, o options) {
	if _, seen := warnedInsecure.LoadOrStore(weak.Make(cfg), struct{}{}); seen {
		return
	}
	o.warn.Warn("cassandra.ssl.verify is false: the server certificate and host name are not checked; anyone on the network path can read and change what cqltrack sends")
}
