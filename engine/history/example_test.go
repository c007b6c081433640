package history_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/cqltrack/cqltrack/engine/cluster"
	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/engine/cqltest"
	"github.com/cqltrack/cqltrack/engine/history"
)

// The bookkeeping of one migration whose second statement fails, then
// succeeds when resumed.
func Example() {
	c, err := cqltest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	cfg := config.Default()
	cfg.Cassandra.ContactPoints, cfg.Cassandra.Port = c.Hosts(), c.Port()
	ctx := context.Background()
	s, err := cluster.Connect(ctx, cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	if err := s.ExecDDL(ctx, "CREATE KEYSPACE shop WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"); err != nil {
		log.Fatal(err)
	}
	if err := history.EnsureSchema(ctx, s, "shop"); err != nil {
		log.Fatal(err)
	}
	st := history.New(s, "shop")

	rec := history.Record{Version: 3, Description: "orders", Checksum: "9e107d9d372bb6826bd81d3542a419d6",
		StatementsTotal: 2, StatementChecksums: []string{"a1", "b2"}}
	must(st.Start(ctx, rec))
	must(st.Progress(ctx, 3, 1))
	must(st.Fail(ctx, 3, 1, 40*time.Millisecond, "Undefined column name totl"))
	r, _ := st.Get(ctx, 3)
	fmt.Println(r.Status, r.StatementsApplied, r.Error)

	rec.StatementsApplied = 1 // resume at statement 2
	must(st.Start(ctx, rec))
	must(st.Finish(ctx, 3, 2, 25*time.Millisecond))
	r, _ = st.Get(ctx, 3)
	fmt.Println(r.Status, r.StatementsApplied, r.Error == "")

	for _, k := range []history.EventKind{history.EventAttempt, history.EventFailed, history.EventAttempt, history.EventApplied} {
		if _, err := st.LogEvent(ctx, history.Event{Kind: k, Version: 3}); err != nil {
			log.Fatal(err)
		}
	}
	events, _ := st.Events(ctx, 2)
	for _, ev := range events {
		fmt.Println(ev.Kind, ev.Version)
	}
	// Output:
	// failed 1 Undefined column name totl
	// success 2 true
	// applied 3
	// attempt 3
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
