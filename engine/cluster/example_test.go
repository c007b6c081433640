package cluster_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/cqltrack/cqltrack/engine/cluster"
	"github.com/cqltrack/cqltrack/engine/config"
	"github.com/cqltrack/cqltrack/engine/cqltest"
)

// Schema changes wait for every live node to agree; one that never does is
// named.
func ExampleSession_ExecDDL() {
	c, err := cqltest.Start(cqltest.WithNodes(3), cqltest.WithPlacement(3, "dc2", "rack1"))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	cfg := config.Default()
	cfg.Cassandra.ContactPoints, cfg.Cassandra.Port = c.Hosts()[:1], c.Port()
	cfg.Cassandra.LocalDC = "datacenter1"
	cfg.Schema.AgreementWait = 200 * time.Millisecond
	ctx := context.Background()
	s, err := cluster.Connect(ctx, cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	err = s.ExecDDL(ctx, "CREATE KEYSPACE shop WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}")
	fmt.Println(err)

	c.Node(3).SetSchemaAgreement(false)
	err = s.ExecDDL(ctx, "CREATE TABLE shop.orders (id uuid PRIMARY KEY)")
	var ae *cluster.AgreementError
	if errors.As(err, &ae) {
		for _, n := range ae.Disagreeing() {
			fmt.Println("disagrees:", n.Address, n.DataCenter)
		}
	}
	err = s.ExecDDL(ctx, "CREATE TABLE shop.orders (id uuid PRIMARY KEY)")
	fmt.Println(cluster.IsAlreadyExists(err))
	// Output:
	// <nil>
	// disagrees: 127.0.0.3 dc2
	// true
}
