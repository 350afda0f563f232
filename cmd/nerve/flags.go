package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"slices"
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
	// renamed maps an old spelling of a flag, still accepted but not
	// shown in the help, to its new name.
	renamed map[string]string
}

func newFlagSet(cmd string) *flagSet {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	// flag.FlagSet would print the error and the usage on its own; we
	// report the error once, through main, and print help only on request.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &flagSet{cmd: cmd, fs: fs, renamed: map[string]string{}}
}

// renamedFrom accepts old as a deprecated spelling of the flag name,
// which must be defined already.
func (f *flagSet) renamedFrom(old, name string) {
	f.fs.Var(f.fs.Lookup(name).Value, old, "")
	f.renamed[old] = name
}

// notes returns one line for each deprecated spelling the command line
// used, saying what to write instead.
func (f *flagSet) notes() []string {
	var notes []string
	f.fs.Visit(func(fl *flag.Flag) {
		if name, ok := f.renamed[fl.Name]; ok {
			notes = append(notes, fmt.Sprintf("%s --%s is deprecated: write --%s", f.cmd, fl.Name, name))
		}
	})
	return notes
}

// hasFlags reports whether the command has any flag to show.
func (f *flagSet) hasFlags() bool {
	n := 0
	f.fs.VisitAll(func(*flag.Flag) { n++ })
	return n > len(f.renamed)
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

// set reports whether the flag with the given name, in its own spelling
// or an old one, was on the command line.
func (f *flagSet) set(name string) bool {
	found := false
	f.fs.Visit(func(fl *flag.Flag) {
		if fl.Name == name || f.renamed[fl.Name] == name {
			found = true
		}
	})
	return found
}

// scoped names a flag that only some modes of a command take: some
// tutorials, kinds of plot or ways to choose a network.
type scoped struct {
	flag  string
	modes []string
}

// checkScope returns a *usageError if the command line has a flag of
// scopes that mode does not take. The message says which modes take it,
// as describe words them, and that this is not, as desc words mode.
func (f *flagSet) checkScope(scopes []scoped, mode, desc string, describe func(modes []string) string) error {
	for _, s := range scopes {
		if f.set(s.flag) && !slices.Contains(s.modes, mode) {
			return usagef("%s: --%s applies only to %s, not %s", f.cmd, s.flag, describe(s.modes), desc)
		}
	}
	return nil
}

// printDefaults writes one entry per flag, in lexical order, with the
// flags spelled --name.
func (f *flagSet) printDefaults(w io.Writer) {
	f.fs.VisitAll(func(fl *flag.Flag) {
		if _, ok := f.renamed[fl.Name]; ok {
			return
		}
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

// intValue is a flag holding an integer in [min, max]: a count, a size or
// a seed.
type intValue[T int | uint32] struct {
	p        *T
	min, max int64
}

// atLeast is an int flag holding an integer ≥ min.
func atLeast(p *int, min int) intValue[int] {
	return intValue[int]{p: p, min: int64(min), max: math.MaxInt}
}

// seedValue is a flag holding an integer in 0..4294967295, the range of
// np.random.seed.
func seedValue(p *uint32) intValue[uint32] {
	return intValue[uint32]{p: p, min: 0, max: math.MaxUint32}
}

func (v intValue[T]) Set(s string) error {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < v.min || n > v.max {
		if v.max == math.MaxInt {
			return fmt.Errorf("%q is not an integer ≥ %d", s, v.min)
		}
		return fmt.Errorf("%q is not an integer in %d..%d", s, v.min, v.max)
	}
	*v.p = T(n)
	return nil
}

func (v intValue[T]) String() string {
	if v.p == nil {
		return ""
	}
	return strconv.FormatInt(int64(*v.p), 10)
}

// floatValue is a flag holding a finite number x with min < x < max, or
// min ≤ x when withMin. Its zero value shows as no default in the help.
type floatValue struct {
	p        *float64
	min, max float64
	withMin  bool
}

// positive is a float flag holding a finite number > 0.
func positive(p *float64) floatValue { return floatValue{p: p, min: 0, max: math.Inf(1)} }

// nonNegative is a float flag holding a finite number ≥ 0.
func nonNegative(p *float64) floatValue {
	return floatValue{p: p, min: 0, max: math.Inf(1), withMin: true}
}

// fraction is a float flag holding a number in [0, 1).
func fraction(p *float64) floatValue { return floatValue{p: p, min: 0, max: 1, withMin: true} }

func (v floatValue) Set(s string) error {
	x, err := strconv.ParseFloat(s, 64)
	above := x > v.min || (v.withMin && x == v.min)
	if err != nil || !above || !(x < v.max) || math.IsInf(x, 0) {
		switch {
		case !math.IsInf(v.max, 1):
			return fmt.Errorf("%q is not a fraction in [%g, %g), e.g. 0.2", s, v.min, v.max)
		case v.withMin:
			return fmt.Errorf("%q is not a finite number ≥ %g", s, v.min)
		}
		return fmt.Errorf("%q is not a finite number > %g", s, v.min)
	}
	*v.p = x
	return nil
}

func (v floatValue) String() string {
	if v.p == nil || *v.p == 0 {
		return ""
	}
	return strconv.FormatFloat(*v.p, 'g', -1, 64)
}

// sizesValue is a flag holding a comma-separated list of positive
// integers: layer sizes such as 2,8,4,1 (at least min of them), or with
// none the hidden layers, where the word "none" is the empty list.
type sizesValue struct {
	p    *[]int
	min  int
	none bool
}

// layersValue holds the sizes of every layer, inputs and outputs
// included: at least two.
func layersValue(p *[]int) sizesValue { return sizesValue{p: p, min: 2} }

// unitsValue holds the sizes of the hidden layers, or none.
func unitsValue(p *[]int) sizesValue { return sizesValue{p: p, min: 1, none: true} }

func (v sizesValue) Set(s string) error {
	if v.none && s == "none" {
		*v.p = []int{}
		return nil
	}
	parts := strings.Split(s, ",")
	if len(parts) < v.min {
		return fmt.Errorf("%q has %d element, want at least %d (inputs and outputs), e.g. 2,8,4,1", s, len(parts), v.min)
	}
	eg := ""
	if v.none {
		eg = " (e.g. 64,32, or none)"
	}
	sizes := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n <= 0 {
			return fmt.Errorf("element %d of %q is %q, want a positive integer%s", i+1, s, p, eg)
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
	if v.none && *v.p != nil && len(*v.p) == 0 {
		return "none"
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

// dataFlags are the flags that name a data file, shared by every command
// that reads one: --data, and for labelled data --labels and --target.
type dataFlags struct {
	data, labels, target string
}

// define defines --data with the given usage and, if labelled, --labels
// and --target; targetDefault says which column --target defaults to.
// prefix (such as "with --model: ") starts each usage.
func (d *dataFlags) define(f *flagSet, prefix, dataUsage string, labelled bool, targetDefault string) {
	f.String(&d.data, "data", prefix+dataUsage+"; - reads standard input")
	if !labelled {
		return
	}
	f.String(&d.labels, "labels", prefix+"IDX labels `FILE` for IDX images in --data (MNIST, Fashion-MNIST)")
	f.String(&d.target, "target", prefix+"the target `COLUMN` of a CSV file: a header name or a 0-based index, negative from the end (default: "+targetDefault+")")
}

// listValue is a flag holding a comma-separated list of names, such as
// columns; repeating the flag adds to the list.
type listValue struct{ p *[]string }

func (v listValue) Set(s string) error {
	for _, n := range strings.Split(s, ",") {
		if n = strings.TrimSpace(n); n == "" {
			return fmt.Errorf("%q has an empty name, want NAME,NAME", s)
		}
		*v.p = append(*v.p, n)
	}
	return nil
}

func (v listValue) String() string {
	if v.p == nil {
		return ""
	}
	return strings.Join(*v.p, ",")
}
