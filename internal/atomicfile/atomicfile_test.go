package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "hello"); return err }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "hello" {
		t.Fatalf("file holds %q", b)
	}
	if fi, _ := os.Stat(path); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o644 {
		t.Errorf("new file has mode %v; want 0644", fi.Mode().Perm())
	}
	// A failing fill leaves the old file and no temporary file.
	boom := errors.New("boom")
	err := Write(path, func(w io.Writer) error {
		io.WriteString(w, "partial")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v; want boom", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "hello" {
		t.Fatalf("after a failed write the file holds %q", b)
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Fatalf("directory holds %v; want only out.txt", names)
	}
	// A replaced file keeps its permissions.
	if runtime.GOOS != "windows" {
		if err := os.Chmod(path, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := Write(path, func(w io.Writer) error { return nil }); err != nil {
			t.Fatal(err)
		}
		if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
			t.Errorf("replaced file has mode %v; want 0600", fi.Mode().Perm())
		}
	}
	// Directories and missing directories are errors, with nothing left.
	if err := Write(dir, func(w io.Writer) error { return nil }); err == nil {
		t.Error("writing over a directory succeeded")
	}
	if err := Write(filepath.Join(dir, "no", "such"), func(w io.Writer) error { return nil }); err == nil {
		t.Error("writing into a missing directory succeeded")
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Fatalf("directory holds %v; want only out.txt", names)
	}
}
