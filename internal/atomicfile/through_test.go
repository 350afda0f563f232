//go:build linux

package atomicfile

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

func hello(w io.Writer) error { _, err := io.WriteString(w, "hello"); return err }

// TestWriteThroughSymlink checks that a link stays a link and its target
// gets the data, for a link to a file, a chain of links and a dangling
// link.
func TestWriteThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target.csv")
	os.WriteFile(target, []byte("old"), 0o644)
	link, chain, dangling := filepath.Join(dir, "link.csv"), filepath.Join(dir, "chain.csv"), filepath.Join(dir, "dangling.csv")
	os.Symlink("target.csv", link)
	os.Symlink(link, chain)
	os.Symlink("sub/new.csv", dangling)
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	for _, tt := range []struct{ path, target string }{{link, target}, {chain, target}, {dangling, filepath.Join(dir, "sub/new.csv")}} {
		os.WriteFile(tt.target, []byte("old"), 0o644)
		if err := Write(tt.path, hello); err != nil {
			t.Fatalf("Write(%s): %v", tt.path, err)
		}
		if fi, err := os.Lstat(tt.path); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s is no longer a symbolic link", tt.path)
		}
		if b, _ := os.ReadFile(tt.target); string(b) != "hello" {
			t.Errorf("after Write(%s) the target %s holds %q; want hello", tt.path, tt.target, b)
		}
	}
}

// TestWriteDevices checks that devices and pipes are written directly:
// /dev/full reports ENOSPC and stays a device, a FIFO gets the data.
func TestWriteDevices(t *testing.T) {
	if err := Write("/dev/null", hello); err != nil {
		t.Errorf("Write(/dev/null): %v", err)
	}
	if full := fullDevice(t); full != "" {
		err := Write(full, hello)
		if !errors.Is(err, syscall.ENOSPC) {
			t.Errorf("Write(%s): %v; want ENOSPC", full, err)
		}
		if fi, err := os.Stat(full); err != nil || fi.Mode()&os.ModeDevice == 0 {
			t.Fatalf("%s is no longer a device: %v %v", full, fi.Mode(), err)
		}
	}
	// A link of our own to /dev/stdout (never /dev/stdout itself: a
	// broken Write run as root would replace it) is written through.
	link := filepath.Join(t.TempDir(), "stdout")
	os.Symlink("/dev/stdout", link)
	if err := Write(link, func(w io.Writer) error { return nil }); err != nil {
		t.Errorf("Write(link to /dev/stdout): %v", err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link to /dev/stdout became %v", fi.Mode())
	}
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	got := make(chan string)
	go func() {
		b, _ := os.ReadFile(fifo)
		got <- string(b)
	}()
	if err := Write(fifo, hello); err != nil {
		t.Fatalf("Write(fifo): %v", err)
	}
	if s := <-got; s != "hello" {
		t.Errorf("the FIFO's reader got %q; want hello", s)
	}
	if fi, _ := os.Lstat(fifo); fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO became %v", fi.Mode())
	}
}

// TestWriteRemovesStale checks that a write removes the temporaries of
// its own output that a killed writer left, and nothing else.
func TestWriteRemovesStale(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip(err)
	}
	dead := strconv.Itoa(cmd.Process.Pid) // gone once waited for
	live := strconv.Itoa(os.Getpid())
	files := map[string]bool{ // name: whether Write must leave it
		".m.nerve.tmp" + dead + "-123": false,
		".m.nerve.tmp987654":           false, // the old naming, old enough
		".m.nerve.tmp" + live + "-456": true,  // a write in progress
		".other.tmp" + dead + "-789":   true,  // another output's
		"m.nerve.tmp" + dead + "-1":    true,  // not hidden: not ours
	}
	old := time.Now().Add(-2 * staleAge)
	for name := range files {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte("x"), 0o644)
		os.Chtimes(p, old, old)
	}
	if err := Write(filepath.Join(dir, "m.nerve"), hello); err != nil {
		t.Fatal(err)
	}
	for name, keep := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if (err == nil) != keep {
			t.Errorf("%s: exists %v after Write; want %v", name, err == nil, keep)
		}
	}
}

// fullDevice returns a device that behaves as /dev/full: a node of our own
// in a temporary directory when running as root (so that a Write that
// replaced devices would not replace the system's), /dev/full otherwise
// (which only root could replace), or "" when there is none.
func fullDevice(t *testing.T) string {
	fi, err := os.Stat("/dev/full")
	if err != nil {
		return ""
	}
	if os.Geteuid() != 0 {
		return "/dev/full"
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	p := filepath.Join(t.TempDir(), "full")
	if err := syscall.Mknod(p, syscall.S_IFCHR|0o666, int(st.Rdev)); err != nil {
		return ""
	}
	return p
}
