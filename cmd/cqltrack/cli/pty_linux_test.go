//go:build linux

package cli

import (
	"os"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"
)

// openPTY returns the terminal end of a new pseudo-terminal.
func openPTY(t *testing.T) *os.File {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	fd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlock pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Skipf("pseudo-terminal number: %v", err)
	}
	tty, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { tty.Close() })
	return tty
}

// TestUseColorOnTerminal: a terminal gets colour, unless NO_COLOR is set
// (to anything) or TERM is dumb.
func TestUseColorOnTerminal(t *testing.T) {
	tty := openPTY(t)
	env := func(kv map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := kv[k]; return v, ok }
	}
	if !useColor(tty, env(nil)) {
		t.Error("no colour on a terminal")
	}
	if useColor(tty, env(map[string]string{"NO_COLOR": "1"})) {
		t.Error("colour on a terminal with NO_COLOR set")
	}
	if useColor(tty, env(map[string]string{"TERM": "dumb"})) {
		t.Error("colour on a dumb terminal")
	}
}
