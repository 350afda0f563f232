package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/nerve-ml/nerve/tutorials"
)

// runCase runs nerve in-process and returns its stdout, its stderr as
// main would print it, and the exit status main would return.
func runCase(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, &out, &errOut)
	code = report(err, &errOut)
	return out.String(), errOut.String(), code
}

func TestRunUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string // substrings of the last stderr line
	}{
		{"no command", nil, []string{"no command given", "demo", "help"}},
		{"unknown command", []string{"frobnicate"}, []string{`unknown command "frobnicate"`, "train, predict", "demo", "help"}},
		{"flag before command", []string{"--seed", "1"}, []string{"unknown flag --seed", "demo"}},
		{"help unknown", []string{"help", "frobnicate"}, []string{`unknown command "frobnicate"`}},
		{"help two args", []string{"help", "demo", "help"}, []string{"at most one command"}},
		{"unknown flag", []string{"demo", "--bogus"}, []string{"demo:", "-bogus"}},
		{"flag needs argument", []string{"demo", "--seed"}, []string{"demo:", "-seed"}},
		{"seed negative", []string{"demo", "--seed", "-1"}, []string{"--seed", "0..4294967295"}},
		{"seed too big", []string{"demo", "--seed=4294967296"}, []string{"--seed", "0..4294967295"}},
		{"seed not a number", []string{"demo", "--seed", "one"}, []string{"--seed", `"one"`, "0..4294967295"}},
		{"iterations negative", []string{"demo", "--iterations", "-5"}, []string{"--iterations", `"-5"`, "≥ 0"}},
		{"iterations not a number", []string{"demo", "--iterations", "many"}, []string{"--iterations", `"many"`}},
		{"layers bad element", []string{"demo", "l-layer", "--layers", "2,8,x,1"}, []string{"--layers", "element 3", `"x"`}},
		{"layers zero", []string{"demo", "l-layer", "--layers", "2,0,1"}, []string{"--layers", "element 2", `"0"`}},
		{"layers empty element", []string{"demo", "l-layer", "--layers", "2,,1"}, []string{"--layers", "element 2"}},
		{"layers one element", []string{"demo", "l-layer", "--layers", "2"}, []string{"--layers", "at least 2"}},
		{"lr zero", []string{"demo", "l-layer", "--lr", "0"}, []string{"--lr", "> 0"}},
		{"lr NaN", []string{"demo", "l-layer", "--lr", "NaN"}, []string{"--lr"}},
		{"lr Inf", []string{"demo", "l-layer", "--lr", "+Inf"}, []string{"--lr"}},
		{"activation unknown", []string{"demo", "l-layer", "--activation", "tanh"}, []string{"--activation", `"tanh"`, "relu or sigmoid"}},
		{"sgd elsewhere", []string{"demo", "xor", "--sgd"}, []string{"--sgd", "hidden-layer", "not xor"}},
		{"sgd default tutorial", []string{"demo", "--sgd"}, []string{"--sgd", "hidden-layer", "not xor"}},
		{"layers elsewhere", []string{"demo", "--layers", "2,3,1", "sse"}, []string{"--layers", "l-layer", "not sse"}},
		{"lr elsewhere", []string{"demo", "hidden-layer", "--lr", "0.1"}, []string{"--lr", "l-layer", "not hidden-layer"}},
		{"activation elsewhere", []string{"demo", "single-layer", "--activation", "relu"}, []string{"--activation", "l-layer", "not single-layer"}},
		{"old --hidden elsewhere", []string{"demo", "single-layer", "--hidden", "relu"}, []string{"--activation", "l-layer", "not single-layer"}},
		{"unknown tutorial", []string{"demo", "nope"}, []string{`unknown tutorial "nope"`, "xor", "l-layer"}},
		{"two names", []string{"demo", "xor", "sse"}, []string{"at most one tutorial name"}},
		{"list with name", []string{"demo", "--list", "xor"}, []string{"--list", "xor"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := runCase(t, tt.args...)
			if code != 2 {
				t.Errorf("nerve %s: exit status %d; want 2", strings.Join(tt.args, " "), code)
			}
			if stdout != "" {
				t.Errorf("nerve %s: stdout %q; want nothing", strings.Join(tt.args, " "), stdout)
			}
			lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
			last := lines[len(lines)-1]
			if !strings.HasPrefix(last, "nerve: ") {
				t.Errorf("nerve %s: last stderr line %q; want it to start with \"nerve: \"", strings.Join(tt.args, " "), last)
			}
			for _, w := range tt.want {
				if !strings.Contains(last, w) {
					t.Errorf("nerve %s: stderr %q; want it to contain %q", strings.Join(tt.args, " "), last, w)
				}
			}
			// Only "nerve" alone prints the usage as well; every other
			// mistake is one line.
			if len(tt.args) > 0 && len(lines) != 1 {
				t.Errorf("nerve %s: stderr has %d lines; want 1:\n%s", strings.Join(tt.args, " "), len(lines), stderr)
			}
		})
	}
}

func TestRunNoArgsPrintsUsage(t *testing.T) {
	stdout, stderr, code := runCase(t)
	if code != 2 {
		t.Errorf("nerve: exit status %d; want 2", code)
	}
	if stdout != "" {
		t.Errorf("nerve: stdout %q; want nothing (usage goes to stderr)", stdout)
	}
	for _, w := range []string{"Usage:", "demo", "help"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("nerve: stderr does not contain %q:\n%s", w, stderr)
		}
	}
}

func TestRunHelp(t *testing.T) {
	tests := []struct {
		args []string
		want []string // substrings of stdout
	}{
		{[]string{"-h"}, []string{"Usage:", "demo", "help"}},
		{[]string{"--help"}, []string{"Usage:", "demo", "help"}},
		{[]string{"help"}, []string{"Usage:", "demo", "help"}},
		{[]string{"help", "demo"}, []string{"nerve demo [NAME]", "--seed N", "--iterations N", "--sgd", "--layers", "--lr", "--activation", "--list", "(default 1)"}},
		{[]string{"help", "help"}, []string{"nerve help [COMMAND]"}},
		{[]string{"help", "--help"}, []string{"nerve help [COMMAND]"}},
		{[]string{"demo", "-h"}, []string{"nerve demo [NAME]", "--seed N"}},
		{[]string{"demo", "xor", "--help"}, []string{"nerve demo [NAME]"}},
		{[]string{"demo", "--list"}, nil},
	}
	for _, tt := range tests {
		stdout, stderr, code := runCase(t, tt.args...)
		if code != 0 {
			t.Errorf("nerve %s: exit status %d; want 0 (stderr %q)", strings.Join(tt.args, " "), code, stderr)
		}
		if stderr != "" {
			t.Errorf("nerve %s: stderr %q; want nothing", strings.Join(tt.args, " "), stderr)
		}
		for _, w := range tt.want {
			if !strings.Contains(stdout, w) {
				t.Errorf("nerve %s: stdout does not contain %q:\n%s", strings.Join(tt.args, " "), w, stdout)
			}
		}
	}
}

// TestHelpListsEveryCommand keeps the command table and the usage text
// in step as commands are added.
func TestHelpListsEveryCommand(t *testing.T) {
	stdout, _, _ := runCase(t, "help")
	for _, c := range commands() {
		if !strings.Contains(stdout, "\t"+c.name+" ") {
			t.Errorf("nerve help does not list %q:\n%s", c.name, stdout)
		}
		if c.short == "" || c.about == nil || c.define == nil {
			t.Errorf("command %q lacks a short help, an about or a define function", c.name)
		}
		var b bytes.Buffer
		c.help(&b)
		if !strings.Contains(b.String(), "nerve "+c.name) {
			t.Errorf("nerve help %s does not show the command's usage line:\n%s", c.name, b.String())
		}
	}
}

func TestDemoList(t *testing.T) {
	stdout, _, code := runCase(t, "demo", "--list")
	if code != 0 {
		t.Fatalf("nerve demo --list: exit status %d; want 0", code)
	}
	for _, tu := range tutorials.All() {
		if !strings.Contains(stdout, tu.Name) || !strings.Contains(stdout, tu.Title) {
			t.Errorf("nerve demo --list does not show %s (%q):\n%s", tu.Name, tu.Title, stdout)
		}
	}
}

// TestDemoRuns runs each tutorial briefly, with the name before, after
// and between the flags. It does not check the numbers the tutorials
// print: package tutorials tests those.
func TestDemoRuns(t *testing.T) {
	tests := [][]string{
		{"demo", "--iterations", "2"},
		{"demo", "single-layer", "--iterations", "2", "--seed", "7"},
		{"demo", "--iterations=2", "xor"},
		{"demo", "--seed", "4294967295", "hidden-layer", "--iterations", "2", "--sgd"},
		{"demo", "--iterations", "2", "sse", "--seed", "0"},
		{"demo", "l-layer", "--iterations", "2", "--layers", "2,5,3,1", "--lr", "0.1", "--activation", "sigmoid"},
		{"demo", "--iterations", "2", "--", "sse"},
	}
	for _, args := range tests {
		_, stderr, code := runCase(t, args...)
		if code != 0 {
			t.Errorf("nerve %s: exit status %d; want 0 (stderr %q)", strings.Join(args, " "), code, stderr)
		}
	}
}

func TestDemoOptions(t *testing.T) {
	// The flags parse into what the tutorials receive.
	c := demoConfig{seed: 1}
	f := newFlagSet("demo")
	c.flags(f)
	pos, err := f.parse([]string{"--seed", "42", "l-layer", "--layers", "2, 8,4,1", "--lr=0.5", "--activation", "Sigmoid", "--iterations", "9"})
	if err != nil {
		t.Fatal(err)
	}
	if len(pos) != 1 || pos[0] != "l-layer" {
		t.Errorf("positional arguments %q; want [l-layer]", pos)
	}
	if c.seed != 42 || c.iterations != 9 || c.lr != 0.5 || c.activation.String() != "sigmoid" {
		t.Errorf("got seed %d, iterations %d, lr %g, activation %v; want 42, 9, 0.5, sigmoid", c.seed, c.iterations, c.lr, c.activation)
	}
	if got := (layersValue(&c.layers)).String(); got != "2,8,4,1" {
		t.Errorf("layers %s; want 2,8,4,1", got)
	}
	if !f.set("lr") || f.set("sgd") {
		t.Errorf("set(lr) = %v, set(sgd) = %v; want true, false", f.set("lr"), f.set("sgd"))
	}
}

func TestReport(t *testing.T) {
	tests := []struct {
		err      error
		code     int
		wantLine string
	}{
		{nil, 0, ""},
		{errors.New("boom"), 1, "nerve: boom\n"},
		{usagef("bad flag"), 2, "nerve: bad flag\n"},
		{errors.Join(errors.New("first"), usagef("second")), 2, "nerve: first; second\n"},
		{context.Canceled, 1, "nerve: interrupted\n"},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		if code := report(tt.err, &b); code != tt.code {
			t.Errorf("report(%v): %d; want %d", tt.err, code, tt.code)
		}
		if b.String() != tt.wantLine {
			t.Errorf("report(%v) printed %q; want %q", tt.err, b.String(), tt.wantLine)
		}
	}
}

func TestDemoCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := run(ctx, []string{"demo", "--iterations", "1"}, io.Discard, io.Discard)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("demo with a cancelled context: %v; want context.Canceled", err)
	}
}

// TestBinary builds the real binary and checks what a user sees for a bad
// command line: exit status 2 and one line on stderr, no panic.
func TestBinary(t *testing.T) {
	bin := nerveBinary(t)
	tests := []struct {
		args      []string
		code      int
		wantLines int // lines on stderr; -1: any
	}{
		{[]string{"demo", "--bogus"}, 2, 1},
		{[]string{"demo", "--seed", "-1"}, 2, 1},
		{[]string{"demo", "--iterations", "-1"}, 2, 1},
		{[]string{"demo", "nope"}, 2, 1},
		{[]string{"frobnicate"}, 2, 1},
		{nil, 2, -1},
		{[]string{"demo", "--list"}, 0, 0},
		{[]string{"help", "demo"}, 0, 0},
	}
	for _, tt := range tests {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		cmd := exec.CommandContext(ctx, bin, tt.args...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		cancel()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("nerve %s: %v", strings.Join(tt.args, " "), err)
		}
		name := "nerve " + strings.Join(tt.args, " ")
		if code != tt.code {
			t.Errorf("%s: exit status %d; want %d (stderr %q)", name, code, tt.code, stderr.String())
		}
		se := stderr.String()
		for _, bad := range []string{"goroutine", "panic"} {
			if strings.Contains(se, bad) {
				t.Errorf("%s: stderr mentions %q:\n%s", name, bad, se)
			}
		}
		if tt.code != 0 {
			lines := strings.Split(strings.TrimSuffix(se, "\n"), "\n")
			if !strings.HasPrefix(lines[len(lines)-1], "nerve: ") || !strings.HasSuffix(se, "\n") {
				t.Errorf("%s: stderr %q; want it to end with a line \"nerve: ...\"", name, se)
			}
			if tt.wantLines >= 0 && len(lines) != tt.wantLines {
				t.Errorf("%s: stderr has %d lines; want %d:\n%s", name, len(lines), tt.wantLines, se)
			}
		} else if se != "" {
			t.Errorf("%s: stderr %q; want nothing", name, se)
		}
	}
}

// TestRenamedFlags checks that the old spellings of renamed flags still
// work, each with a note on stderr naming the new one, and that the help
// shows only the new spelling.
func TestRenamedFlags(t *testing.T) {
	tests := []struct {
		args     []string
		old, new string
	}{
		{[]string{"demo", "l-layer", "--iterations", "2", "--hidden", "sigmoid"}, "--hidden", "--activation"},
		{[]string{"trace", "--layers", "2,1", "--input", "1,2", "--target", "1"}, "--target", "--target-rows"},
	}
	for _, tt := range tests {
		_, stderr, code := runCase(t, tt.args...)
		if code != 0 {
			t.Errorf("nerve %s: exit status %d; want 0 (stderr %q)", strings.Join(tt.args, " "), code, stderr)
		}
		if want := tt.old + " is deprecated: write " + tt.new; !strings.Contains(stderr, want) {
			t.Errorf("nerve %s: stderr %q; want a note %q", strings.Join(tt.args, " "), stderr, want)
		}
		help, _, _ := runCase(t, "help", tt.args[0])
		if !strings.Contains(help, "  "+tt.new+" ") || strings.Contains(help, "  "+tt.old+" ") {
			t.Errorf("nerve help %s shows %s or lacks %s:\n%s", tt.args[0], tt.old, tt.new, help)
		}
	}
}
