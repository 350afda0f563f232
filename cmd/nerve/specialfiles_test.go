//go:build linux

package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSpecialFiles runs the real binary on the special files and paths of
// issue 13 that must work: links and devices written through, stale
// temporaries cleaned, columns matched by name, standard input and
// FIFOs read once, Ctrl-C while loading.
func TestSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, contents string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(contents), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("train.csv", trainCSV)
	write("model.nerve", string(trainedModel(t)))
	want, stderr, code := runNerve(t, dir, time.Minute, "predict", "--model", "model.nerve", "--data", "train.csv", "--proba")
	if code != 0 || want == "" {
		t.Fatalf("predict: exit %d, stderr %q", code, stderr)
	}
	same := func(t *testing.T, what, got string) {
		t.Helper()
		if got != want {
			t.Errorf("%s: predictions\n%s\nwant\n%s", what, got, want)
		}
	}

	t.Run("columns in another order", func(t *testing.T) {
		lines := strings.Split(strings.TrimSpace(trainCSV), "\n")
		var b strings.Builder
		for _, l := range lines {
			f := strings.Split(l, ",")
			fmt.Fprintf(&b, "%s,%s,%s\n", f[2], f[0], f[1]) // c,a,b: the model's features, no others
		}
		write("reordered.csv", b.String())
		got, stderr, _ := runNerve(t, dir, time.Minute, "predict", "--model", "model.nerve", "--data", "reordered.csv", "--proba")
		same(t, "reordered columns: "+stderr, got)
	})
	t.Run("--out through a link", func(t *testing.T) {
		write("real.csv", "old")
		if err := os.Symlink("real.csv", filepath.Join(dir, "link.csv")); err != nil {
			t.Skip(err)
		}
		if _, stderr, code := runNerve(t, dir, time.Minute, "predict", "--model", "model.nerve", "--data", "train.csv", "--proba", "--out", "link.csv"); code != 0 {
			t.Fatal(stderr)
		}
		if fi, err := os.Lstat(filepath.Join(dir, "link.csv")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("link.csv is no longer a link")
		}
		b, _ := os.ReadFile(filepath.Join(dir, "real.csv"))
		same(t, "the link's target", string(b))
	})
	t.Run("--out - and a link to /dev/stdout", func(t *testing.T) {
		// A link of our own, never /dev/stdout itself: a binary that
		// replaced it, run as root, would break the machine's.
		if err := os.Symlink("/dev/stdout", filepath.Join(dir, "stdout")); err != nil {
			t.Skip(err)
		}
		for _, out := range []string{"-", "stdout"} {
			got, stderr, code := runNerve(t, dir, time.Minute, "predict", "--model", "model.nerve", "--data", "train.csv", "--proba", "--out", out)
			if code != 0 {
				t.Errorf("--out %s: exit %d: %s", out, code, stderr)
			}
			same(t, "--out "+out, got)
		}
	})
	t.Run("--data - reads standard input", func(t *testing.T) {
		cmd := exec.Command(nerveBinary(t), "predict", "--model", "model.nerve", "--data", "-", "--proba")
		cmd.Dir, cmd.Stdin = dir, strings.NewReader(trainCSV)
		got, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		same(t, "--data -", string(got))
	})
	t.Run("stale temporaries", func(t *testing.T) {
		gone := exec.Command(nerveBinary(t), "help")
		if err := gone.Run(); err != nil {
			t.Fatal(err)
		}
		stale := filepath.Join(dir, ".m.nerve.tmp"+strconv.Itoa(gone.Process.Pid)+"-42")
		write(filepath.Base(stale), "half a model")
		if _, stderr, code := runNerve(t, dir, time.Minute, "train", "--data", "train.csv", "--epochs", "1", "--quiet", "--out", "m.nerve"); code != 0 {
			t.Fatal(stderr)
		}
		if _, err := os.Stat(stale); err == nil {
			t.Errorf("%s is still there after a run that wrote m.nerve", filepath.Base(stale))
		}
	})
	fifo := func(t *testing.T, name string) string {
		p := filepath.Join(dir, name)
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
		return p
	}
	t.Run("inspect a FIFO", func(t *testing.T) {
		p := fifo(t, "model.fifo")
		go func() {
			f, err := os.OpenFile(p, os.O_WRONLY, 0)
			if err == nil {
				f.Write(trainedModel(t))
				f.Close()
			}
		}()
		out, stderr, code := runNerve(t, dir, 30*time.Second, "inspect", "model.fifo")
		if code != 0 || !strings.Contains(out, "nerve-model version 1") {
			t.Errorf("inspect model.fifo: exit %d, stdout %q, stderr %q", code, out, stderr)
		}
	})
	t.Run("Ctrl-C while loading", func(t *testing.T) {
		p := fifo(t, "data.fifo")
		held := make(chan *os.File, 1)
		go func() { // a writer that never finishes
			f, err := os.OpenFile(p, os.O_WRONLY, 0)
			if err == nil {
				f.Write([]byte(trainCSV))
			}
			held <- f
		}()
		cmd := exec.Command(nerveBinary(t), "train", "--data", "data.fifo", "--out", "m2.nerve")
		cmd.Dir = dir
		var errOut bytes.Buffer
		cmd.Stderr = &errOut
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Second)
		cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			t.Fatal("train did not stop within 10 s of Ctrl-C while loading")
		}
		if f := <-held; f != nil {
			f.Close()
		}
		if cmd.ProcessState.ExitCode() != 1 || !strings.Contains(errOut.String(), "interrupted") {
			t.Errorf("exit %d, stderr %q; want 1 and interrupted", cmd.ProcessState.ExitCode(), errOut.String())
		}
	})
}
