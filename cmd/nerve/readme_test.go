package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// readmeCommands returns the nerve command lines of the code block under
// the README's "## The command line" heading, without "go run ./cmd/nerve"
// and trailing comments.
func readmeCommands(t *testing.T) [][]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(b), "\n## The command line\n")
	if !ok {
		t.Fatal(`README.md has no "## The command line" section`)
	}
	_, block, ok := strings.Cut(after, "```\n")
	block, _, ok2 := strings.Cut(block, "```")
	if !ok || !ok2 {
		t.Fatal("the command-line section has no code block")
	}
	var cmds [][]string
	for line := range strings.SplitSeq(block, "\n") {
		line, _, _ = strings.Cut(line, "#")
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), "go run ./cmd/nerve ")
		if !ok {
			if strings.TrimSpace(line) != "" {
				t.Fatalf("README command %q does not start with go run ./cmd/nerve", line)
			}
			continue
		}
		cmds = append(cmds, strings.Fields(rest))
	}
	if len(cmds) < 5 {
		t.Fatalf("only %d commands in the README's command-line block", len(cmds))
	}
	return cmds
}

// TestReadmeCommands runs the README's command-line block, in order, as a
// new user would from the root of a fresh clone: each must exit 0.
func TestReadmeCommands(t *testing.T) {
	dir := t.TempDir()
	// The repository's files the commands read, at their paths from
	// the root.
	for _, f := range []string{"data/embedded/iris.csv", "cmd/nerve/testdata/passengers.csv"} {
		b, err := os.ReadFile(filepath.Join("..", "..", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range readmeCommands(t) {
		if args[0] == "bench" && raceEnabled {
			continue // minutes under the race detector; TestBench* cover it
		}
		_, stderr, code := runNerve(t, dir, 5*time.Minute, args...)
		if code != 0 {
			t.Fatalf("nerve %s: exit %d: %s", strings.Join(args, " "), code, stderr)
		}
	}
	for _, f := range []string{"model.nerve", "predictions.csv", "iris.nerve", "iris.ckpt", "passengers.nerve", "trace.html"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("the README's commands wrote no %s: %v", f, err)
		}
	}
}
