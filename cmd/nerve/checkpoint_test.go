package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

// sameFile fails unless the files at a and b have the same bytes.
func sameFile(t *testing.T, a, b string) {
	t.Helper()
	x, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	y, err := os.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(x, y) {
		t.Fatalf("%s and %s differ", a, b)
	}
}

// writeIrisCSV writes the embedded iris data as a CSV file in dir.
func writeIrisCSV(t *testing.T, dir string) string {
	t.Helper()
	var b bytes.Buffer
	if err := data.WriteCSV(&b, data.Iris(), true); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "iris.csv")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestResumeExtends: a run checkpointed after 4 epochs and resumed to 9
// writes the same model file, byte for byte, as a 9-epoch run, on the
// embedded data and on a CSV file with validation and early stopping.
func TestResumeExtends(t *testing.T) {
	dir := t.TempDir()
	csv := writeIrisCSV(t, dir)
	p := func(name string) string { return filepath.Join(dir, name) }
	for i, args := range [][]string{
		{"--seed", "2"},
		{"--data", csv, "--val", "0.2", "--early-stop", "3", "--optimizer", "sgd", "--lr", "0.05", "--batch", "8", "--hidden", "6,5"},
		{"--data", csv, "--optimizer", "adamw", "--hidden", "none", "--test", csv, "--target", "species"},
	} {
		t.Run(fmt.Sprint("run", i+1), func(t *testing.T) {
			train := func(more ...string) {
				t.Helper()
				_, stderr, code := runCase(t, append([]string{"train", "--quiet"}, more...)...)
				if code != 0 {
					t.Fatalf("nerve train %s: exit %d: %s", strings.Join(more, " "), code, stderr)
				}
			}
			train(append(args, "--epochs", "9", "--out", p("full.nerve"))...)
			train(append(args, "--epochs", "4", "--out", p("four.nerve"), "--checkpoint", p("ck.nerve"))...)
			train("--resume", p("ck.nerve"), "--epochs", "9", "--out", p("resumed.nerve"))
			sameFile(t, p("resumed.nerve"), p("full.nerve"))
			// The checkpoint went on to epoch 9; resuming it again runs
			// no epoch and writes the same model once more.
			train("--resume", p("ck.nerve"), "--out", p("again.nerve"))
			sameFile(t, p("again.nerve"), p("full.nerve"))
			// A checkpoint is a model predict can use.
			if _, stderr, code := runCase(t, "inspect", p("ck.nerve")); code != 0 {
				t.Fatalf("inspect: %s", stderr)
			}
		})
	}
}

// TestResumeErrors: what --resume refuses, and how it says so.
func TestResumeErrors(t *testing.T) {
	dir := t.TempDir()
	csv := writeIrisCSV(t, dir)
	p := func(name string) string { return filepath.Join(dir, name) }
	if _, stderr, code := runCase(t, "train", "--quiet", "--epochs", "2", "--out", p("m.nerve"), "--checkpoint", p("ck.nerve")); code != 0 {
		t.Fatal(stderr)
	}
	// The same flowers in another order are other data.
	d := data.Iris()
	perm := rng.New(1).Perm(d.Len())
	shuffled := d.Subset(perm)
	var b bytes.Buffer
	if err := data.WriteCSV(&b, shuffled, true); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p("shuffled.csv"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--resume", p("ck.nerve"), "--hidden", "4"}, 2, "--hidden cannot be used with --resume"},
		{[]string{"--resume", p("ck.nerve"), "--seed", "3"}, 2, "--seed cannot be used with --resume"},
		{[]string{"--resume", p("m.nerve")}, 1, "m.nerve: not a checkpoint"},
		{[]string{"--resume", p("missing.nerve")}, 1, "missing.nerve"},
		{[]string{"--resume", csv}, 1, "iris.csv"},
		{[]string{"--resume", p("ck.nerve"), "--epochs", "1"}, 1, "has already run 2"},
		{[]string{"--resume", p("ck.nerve"), "--data", p("shuffled.csv")}, 1, "training data differ"},
		{[]string{"--checkpoint", p("no/such/dir/ck.nerve")}, 1, "no/such/dir"},
	} {
		before, _ := os.ReadFile(p("ck.nerve"))
		_, stderr, code := runCase(t, append([]string{"train", "--quiet", "--out", p("out.nerve")}, c.args...)...)
		lines := strings.Split(strings.TrimSpace(stderr), "\n")
		if code != c.code || len(lines) != 1 || !strings.HasPrefix(lines[0], "nerve: ") || !strings.Contains(lines[0], c.want) {
			t.Errorf("train %s: exit %d, stderr %q; want exit %d and one line with %q", strings.Join(c.args, " "), code, stderr, c.code, c.want)
		}
		if _, err := os.Stat(p("out.nerve")); err == nil {
			t.Errorf("train %s wrote a model", strings.Join(c.args, " "))
			os.Remove(p("out.nerve"))
		}
		if after, _ := os.ReadFile(p("ck.nerve")); !bytes.Equal(before, after) {
			t.Errorf("train %s changed the checkpoint", strings.Join(c.args, " "))
		}
	}
}

// TestInterruptResume sends the real binary SIGINT during training: it
// stops with exit status 1, says which epoch the checkpoint holds, writes
// no model, and --resume then writes the model of an uninterrupted run,
// byte for byte.
func TestInterruptResume(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT to send on Windows")
	}
	dir := t.TempDir()
	p := func(name string) string { return filepath.Join(dir, name) }
	// Enough data that an epoch takes a while.
	rows := 6000
	if raceEnabled {
		rows = 1500
	}
	src := rng.New(3)
	X := tensor.Zeros[float64](rows, 16)
	labels := make([]string, rows)
	for i := range rows {
		s := 0.0
		for j := range 16 {
			v := src.Uniform(-1, 1)
			X.Set(i, j, v)
			s += v * float64(j%3-1)
		}
		labels[i] = fmt.Sprint("class", int(s*2+10)%3)
	}
	features := make([]string, 16)
	for j := range features {
		features[j] = fmt.Sprint("f", j)
	}
	var b bytes.Buffer
	if err := data.WriteCSV(&b, &data.Dataset{Features: features, Target: "y", X: X, Labels: labels}, true); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p("big.csv"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"train", "--data", "big.csv", "--hidden", "64,64", "--batch", "16", "--epochs", "12", "--val", "0.1", "--quiet"}

	bin := nerveBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append(args, "--checkpoint", "ck.nerve", "--out", "interrupted.nerve")...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Interrupt as soon as the first checkpoint is there.
	for {
		if _, err := os.Stat(p("ck.nerve")); err == nil {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("interrupted run: %v, stderr %q; want exit status 1 (if it finished, the test data are too small)", err, stderr.String())
	}
	if msg := stderr.String(); !strings.HasPrefix(msg, "nerve: interrupted in epoch ") || !strings.Contains(msg, "nerve train --resume ck.nerve") || strings.Count(msg, "\n") != 1 {
		t.Fatalf("interrupted run said %q", msg)
	}
	t.Logf("%s", strings.TrimSpace(stderr.String()))
	if _, err := os.Stat(p("interrupted.nerve")); err == nil {
		t.Fatal("an interrupted run wrote its model")
	}
	if _, stderr, code := runNerve(t, dir, 5*time.Minute, "train", "--resume", "ck.nerve", "--out", "resumed.nerve", "--quiet"); code != 0 {
		t.Fatalf("resume: exit %d: %s", code, stderr)
	}
	if _, stderr, code := runNerve(t, dir, 5*time.Minute, append(args, "--out", "full.nerve")...); code != 0 {
		t.Fatalf("uninterrupted run: exit %d: %s", code, stderr)
	}
	sameFile(t, p("resumed.nerve"), p("full.nerve"))
}

// TestResumeConverged: a run without --epochs checkpoints as it
// converges; resuming its checkpoint runs no further epoch and writes the
// same model, and --epochs cannot change its stopping rule on resume.
func TestResumeConverged(t *testing.T) {
	dir := t.TempDir()
	p := func(name string) string { return filepath.Join(dir, name) }
	for _, args := range [][]string{
		{"train", "--quiet", "--seed", "2", "--checkpoint", p("ck.nerve"), "--out", p("full.nerve")},
		{"train", "--quiet", "--resume", p("ck.nerve"), "--out", p("again.nerve")},
	} {
		if _, stderr, code := runCase(t, args...); code != 0 {
			t.Fatalf("nerve %s: exit %d: %s", strings.Join(args, " "), code, stderr)
		}
	}
	sameFile(t, p("again.nerve"), p("full.nerve"))
	_, stderr, code := runCase(t, "train", "--resume", p("ck.nerve"), "--epochs", "600", "--out", p("more.nerve"))
	if code != 2 || !strings.Contains(stderr, "--epochs cannot be used with --resume") {
		t.Errorf("--resume of a converged run with --epochs: exit %d, %q; want a usage error", code, stderr)
	}
}

// TestResumeTable: runs on raw tables — text and missing cells with
// column flags, and a numeric table with --sample-weight — resume from a
// checkpoint to the model file of an uninterrupted run, byte for byte,
// with the checkpoint's column flags; the flags cannot change on resume,
// and other weights are other data.
func TestResumeTable(t *testing.T) {
	dir := t.TempDir()
	p := func(name string) string { return filepath.Join(dir, name) }
	weighted := p("weighted.csv")
	weightedCSV(t, weighted, func(i int) string { return fmt.Sprint(1 + i%3) })
	for i, args := range [][]string{
		{"--data", filepath.Join("testdata", "passengers.csv"), "--target", "survived", "--drop", "id,name", "--val", "0.2"},
		{"--data", weighted, "--target", "label", "--sample-weight", "w", "--hidden", "6"},
	} {
		t.Run(fmt.Sprint("run", i+1), func(t *testing.T) {
			train := func(more ...string) {
				t.Helper()
				if _, stderr, code := runCase(t, append([]string{"train", "--quiet"}, more...)...); code != 0 {
					t.Fatalf("nerve train %s: exit %d: %s", strings.Join(more, " "), code, stderr)
				}
			}
			train(append(args, "--epochs", "7", "--out", p("full.nerve"))...)
			train(append(args, "--epochs", "3", "--out", p("three.nerve"), "--checkpoint", p("ck.nerve"))...)
			train("--resume", p("ck.nerve"), "--epochs", "7", "--out", p("resumed.nerve"))
			sameFile(t, p("resumed.nerve"), p("full.nerve"))
		})
	}
	// The checkpoint of the weighted run: its flags are fixed, and the
	// same rows with other weights are other data.
	if _, stderr, code := runCase(t, "train", "--resume", p("ck.nerve"), "--drop", "x1"); code != 2 || !strings.Contains(stderr, "--drop cannot be used with --resume") {
		t.Errorf("--drop on resume: exit %d, %s", code, stderr)
	}
	if _, stderr, code := runCase(t, "train", "--resume", p("ck.nerve"), "--sample-weight", "x1"); code != 2 || !strings.Contains(stderr, "--sample-weight cannot be used with --resume") {
		t.Errorf("--sample-weight on resume: exit %d, %s", code, stderr)
	}
	reweighted := p("reweighted.csv")
	weightedCSV(t, reweighted, func(i int) string { return fmt.Sprint(1 + i%2) })
	if _, stderr, code := runCase(t, "train", "--resume", p("ck.nerve"), "--data", reweighted, "--epochs", "7", "--out", p("never.nerve")); code != 1 || !strings.Contains(stderr, "training data differ") {
		t.Errorf("resume with other weights: exit %d, %s", code, stderr)
	}
}
