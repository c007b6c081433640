package cqltest

import (
	"os"
	execpkg "os/exec"
	"strconv"
	"strings"
	"testing"
)

// TestSuiteRunsAgainstExternalHosts runs part of this package's tests in a
// child process pointed at a stand-in through CQLTRACK_TEST_HOSTS, as they
// would run against a real cluster: the portable ones pass, the ones that
// need the stand-in's controls skip.
func TestSuiteRunsAgainstExternalHosts(t *testing.T) {
	if realHosts() != nil {
		t.Skip("already running against CQLTRACK_TEST_HOSTS")
	}
	if testing.Short() {
		t.Skip("runs a child test process")
	}
	c := NewCluster(t)
	cmd := execpkg.Command(os.Args[0], "-test.v", "-test.count=1",
		"-test.run", "^(TestDDLShowsInSystemSchema|TestPagingThroughManyRows|TestGocqlDiscoversEveryNode)$")
	cmd.Env = append(os.Environ(), "CQLTRACK_TEST_HOSTS=127.0.0.1:"+strconv.Itoa(c.Port()))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child tests failed: %v\n%s", err, out)
	}
	for _, want := range []string{
		"--- PASS: TestDDLShowsInSystemSchema",
		"--- PASS: TestPagingThroughManyRows",
		"--- SKIP: TestGocqlDiscoversEveryNode",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("child output lacks %q:\n%s", want, out)
		}
	}
	if st := c.Stats(); st.Statements["CREATE TABLE"] == 0 {
		t.Errorf("the child did not run against the stand-in: %v", st.Statements)
	}
}
