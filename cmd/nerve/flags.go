package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// errHelp is returned by (*flagSet).parse when the command line asks for
// help with -h or --help; the command prints its help to stdout and
// succeeds.
var errHelp = errors.New("help requested")

// flagSet is the flag.FlagSet of one subcommand. It parses with
// flag.ContinueOnError and prints nothing itself: every mistake comes
// back from parse as a one-line *usageError that names the command, and
// the value types below name the flag with the two dashes the help text
// shows (--seed, not -seed).
type flagSet struct {
	cmd string
	fs  *flag.FlagSet
	// valueErr is the error one of our flag.Values returned from Set,
	// kept because flag.FlagSet.Parse reports it only as text.
	valueErr error
}

func newFlagSet(cmd string) *flagSet {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	// flag.FlagSet would print the error and the usage on its own; we
	// report the error once, through main, and print help only on request.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &flagSet{cmd: cmd, fs: fs}
}

// checked wraps a flag.Value so that an error from Set is kept, with the
// flag's name, in the flagSet.
type checked struct {
	flag.Value
	name string
	f    *flagSet
}

func (c checked) Set(s string) error {
	if err := c.Value.Set(s); err != nil {
		if c.f.valueErr == nil {
			c.f.valueErr = fmt.Errorf("--%s: %w", c.name, err)
		}
		return err
	}
	return nil
}

func (c checked) String() string {
	if c.Value == nil {
		return ""
	}
	return c.Value.String()
}

func (c checked) IsBoolFlag() bool {
	b, ok := c.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// Var defines a flag whose value v parses; its default is v's value now.
// A back-quoted word in usage names the flag's argument in the help, as
// in package flag.
func (f *flagSet) Var(v flag.Value, name, usage string) {
	f.fs.Var(checked{Value: v, name: name, f: f}, name, usage)
}

// Bool defines a boolean flag that defaults to false.
func (f *flagSet) Bool(p *bool, name, usage string) {
	f.fs.BoolVar(p, name, false, usage)
}

// parse parses args, which may mix flags and positional arguments in any
// order (nerve demo xor --seed 2 and nerve demo --seed 2 xor are the
// same), and returns the positional ones. Everything after "--" is
// positional. It returns errHelp for -h or --help and a *usageError for
// anything else that is wrong.
func (f *flagSet) parse(args []string) ([]string, error) {
	var pos []string
	for {
		if err := f.fs.Parse(args); err != nil {
			return nil, f.usageError(err)
		}
		rest := f.fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func (f *flagSet) usageError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return errHelp
	}
	if f.valueErr != nil {
		err = f.valueErr
	}
	return usagef("%s: %v (see \"nerve help %s\")", f.cmd, err, f.cmd)
}

// set reports whether the flag with the given name was on the command
// line.
func (f *flagSet) set(name string) bool {
	found := false
	f.fs.Visit(func(fl *flag.Flag) {
		if fl.Name == name {
			found = true
		}
	})
	return found
}

// printDefaults writes one entry per flag, in lexical order, with the
// flags spelled --name.
func (f *flagSet) printDefaults(w io.Writer) {
	f.fs.VisitAll(func(fl *flag.Flag) {
		arg, usage := flag.UnquoteUsage(fl)
		line := "  --" + fl.Name
		if arg != "" {
			line += " " + arg
		}
		fmt.Fprintf(w, "%s\n    \t%s", line, strings.ReplaceAll(usage, "\n", "\n    \t"))
		switch fl.DefValue {
		case "", "0", "false":
		default:
			fmt.Fprintf(w, " (default %s)", fl.DefValue)
		}
		fmt.Fprintln(w)
	})
}

// uint32Value is a flag holding an integer in 0..4294967295, the range of
// np.random.seed.
type uint32Value struct{ p *uint32 }

func (v uint32Value) Set(s string) error {
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		return fmt.Errorf("%q is not an integer in 0..%d", s, uint32(math.MaxUint32))
	}
	*v.p = uint32(n)
	return nil
}

func (v uint32Value) String() string {
	if v.p == nil {
		return ""
	}
	return strconv.FormatUint(uint64(*v.p), 10)
}

// countValue is a flag holding an integer ≥ 0.
type countValue struct{ p *int }

func (v countValue) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return fmt.Errorf("%q is not an integer ≥ 0", s)
	}
	*v.p = n
	return nil
}

func (v countValue) String() string {
	if v.p == nil {
		return ""
	}
	return strconv.Itoa(*v.p)
}

// positiveValue is a flag holding a finite float64 > 0.
type positiveValue struct{ p *float64 }

func (v positiveValue) Set(s string) error {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || !(x > 0) || math.IsInf(x, 0) {
		return fmt.Errorf("%q is not a finite number > 0", s)
	}
	*v.p = x
	return nil
}

func (v positiveValue) String() string {
	if v.p == nil || *v.p == 0 {
		return ""
	}
	return strconv.FormatFloat(*v.p, 'g', -1, 64)
}

// sizesValue is a flag holding a comma-separated list of at least two
// positive integers, such as the layer sizes 2,8,4,1.
type sizesValue struct{ p *[]int }

func (v sizesValue) Set(s string) error {
	parts := strings.Split(s, ",")
	if len(parts) < 2 {
		return fmt.Errorf("%q has %d element, want at least 2 (inputs and outputs), e.g. 2,8,4,1", s, len(parts))
	}
	sizes := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n <= 0 {
			return fmt.Errorf("element %d of %q is %q, want a positive integer", i+1, s, p)
		}
		sizes[i] = n
	}
	*v.p = sizes
	return nil
}

func (v sizesValue) String() string {
	if v.p == nil {
		return ""
	}
	s := make([]string, len(*v.p))
	for i, n := range *v.p {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}

// stringValue is a flag holding any string.
type stringValue struct{ p *string }

func (v stringValue) Set(s string) error { *v.p = s; return nil }

func (v stringValue) String() string {
	if v.p == nil {
		return ""
	}
	return *v.p
}

// String defines a string flag; its default is *p now.
func (f *flagSet) String(p *string, name, usage string) {
	f.Var(stringValue{p}, name, usage)
}

// atLeastOneValue is a flag holding an integer ≥ 1.
type atLeastOneValue struct{ p *int }

func (v atLeastOneValue) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return fmt.Errorf("%q is not an integer ≥ 1", s)
	}
	*v.p = n
	return nil
}

func (v atLeastOneValue) String() string {
	if v.p == nil {
		return ""
	}
	return strconv.Itoa(*v.p)
}

// fractionValue is a flag holding a number in [0, 1).
type fractionValue struct{ p *float64 }

func (v fractionValue) Set(s string) error {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || !(x >= 0 && x < 1) {
		return fmt.Errorf("%q is not a fraction in [0, 1), e.g. 0.2", s)
	}
	*v.p = x
	return nil
}

func (v fractionValue) String() string {
	if v.p == nil || *v.p == 0 {
		return ""
	}
	return strconv.FormatFloat(*v.p, 'g', -1, 64)
}

// unitsValue is a flag holding a comma-separated list of hidden layer
// sizes, each > 0; "none" means no hidden layer.
type unitsValue struct{ p *[]int }

func (v unitsValue) Set(s string) error {
	if s == "none" {
		*v.p = []int{}
		return nil
	}
	parts := strings.Split(s, ",")
	sizes := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n <= 0 {
			return fmt.Errorf("element %d of %q is %q, want a positive integer (e.g. 64,32, or none)", i+1, s, p)
		}
		sizes[i] = n
	}
	*v.p = sizes
	return nil
}

func (v unitsValue) String() string {
	if v.p == nil {
		return ""
	}
	if len(*v.p) == 0 {
		return "none"
	}
	s := make([]string, len(*v.p))
	for i, n := range *v.p {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}

// choiceValue is a flag holding one of a fixed set of words.
type choiceValue struct {
	p       *string
	choices []string
}

func (v choiceValue) Set(s string) error {
	for _, c := range v.choices {
		if strings.EqualFold(s, c) {
			*v.p = c
			return nil
		}
	}
	return fmt.Errorf("%q is not one of %s", s, strings.Join(v.choices, ", "))
}

func (v choiceValue) String() string {
	if v.p == nil {
		return ""
	}
	return *v.p
}
