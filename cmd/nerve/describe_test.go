package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// TestDescribeGolden compares describe's table for the committed
// passengers table, with and without column flags, and inspect's for
// the same file, with testdata/*.golden (go test -run TestDescribeGolden
// ./cmd/nerve -update rewrites them after a deliberate change).
func TestDescribeGolden(t *testing.T) {
	for _, tt := range []struct {
		golden string
		args   []string
	}{
		{"testdata/describe.golden", []string{"describe", passengers}},
		{"testdata/describe_flags.golden", []string{"describe", passengers, "--target", "survived", "--drop", "id,name", "--categorical", "class", "--na", "-"}},
		{"testdata/describe.golden", []string{"inspect", passengers}},
	} {
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), tt.args, &stdout, &stderr); err != nil {
			t.Fatalf("nerve %s: %v", strings.Join(tt.args, " "), err)
		}
		if *update && tt.args[0] == "describe" {
			if err := os.WriteFile(tt.golden, stdout.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(tt.golden)
		if err != nil {
			t.Fatal(err)
		}
		if got := stdout.String(); got != string(want) {
			t.Errorf("nerve %s:\n%s\nwant (%s):\n%s", strings.Join(tt.args, " "), got, tt.golden, want)
		}
	}
}

// TestDescribeJSON checks describe --json: one object per column with
// its type, counts, summary and action.
func TestDescribeJSON(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"describe", passengers, "--json", "--na", "-"}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 9 {
		t.Fatalf("%d lines; want one per column, 9:\n%s", len(lines), stdout.String())
	}
	var age, deck struct {
		Column, Type, Action string
		Missing, Distinct    int
		Min, Mean, Max       float64
		Top                  []struct {
			Value string
			Count int
		}
	}
	if err := json.Unmarshal([]byte(lines[3]), &age); err != nil {
		t.Fatal(err)
	}
	if age.Column != "age" || age.Type != "numeric" || age.Missing != 3 || age.Min != 2 || age.Max != 58 || age.Action != "fill with the median, standardise" {
		t.Errorf("age: %+v; want numeric, 3 missing, 2 to 58, filled with the median", age)
	}
	if err := json.Unmarshal([]byte(lines[6]), &deck); err != nil {
		t.Fatal(err)
	}
	if deck.Column != "deck" || deck.Type != "categorical" || deck.Missing != 15 || len(deck.Top) != 3 || deck.Top[0].Value != "C" || deck.Top[0].Count != 3 {
		t.Errorf("deck: %+v; want categorical, 15 missing, C (3) most frequent", deck)
	}
}

// TestDescribeErrors checks describe's usage errors: no file, an unknown
// target or column.
func TestDescribeErrors(t *testing.T) {
	for _, args := range [][]string{
		{"describe"},
		{"describe", passengers, "--target", "Survived"},
		{"describe", passengers, "--drop", "cabin"},
	} {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), args, &stdout, &stderr)
		var ue *usageError
		if !errors.As(err, &ue) {
			t.Errorf("nerve %s: %v; want a usage error", strings.Join(args, " "), err)
		}
		if len(args) > 2 && !strings.Contains(err.Error(), "id, class, sex") {
			t.Errorf("nerve %s: %q; want it to list the columns", strings.Join(args, " "), err)
		}
	}
}
