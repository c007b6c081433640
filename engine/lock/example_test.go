package lock_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/cqltrack/cqltrack/engine/cluster"
	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/engine/cqltest"
	"github.com/cqltrack/cqltrack/engine/lock"
)

// A migrator takes the lock, checks its lease before each statement, and
// releases it; a second migrator meanwhile is told who holds it.
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
	if err := lock.EnsureSchema(ctx, s, "shop"); err != nil {
		log.Fatal(err)
	}

	lease, err := lock.New(s, "shop", lock.WithOwner("deploy-1/4242/ab12")).Acquire(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, stmt := range []string{"CREATE TABLE shop.orders (id uuid PRIMARY KEY)", "ALTER TABLE shop.orders ADD total decimal"} {
		if err := lease.Fence(ctx); err != nil {
			log.Fatal(err) // another migrator may have taken over: stop
		}
		if err := s.ExecDDL(ctx, stmt); err != nil {
			log.Fatal(err)
		}
	}

	_, err = lock.New(s, "shop", lock.WithWait(0)).Acquire(ctx)
	first, _, _ := strings.Cut(err.Error(), " since ")
	fmt.Println(errors.Is(err, lock.ErrNotAcquired), first)

	if err := lease.Release(ctx); err != nil {
		log.Fatal(err)
	}
	h, err := lock.New(s, "shop").Holder(ctx)
	fmt.Println(h, err)
	// Output:
	// true lock held by deploy-1/4242/ab12
	// <nil> <nil>
}
