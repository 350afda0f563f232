package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/tutorials"
)

// defaultDemo is the tutorial "nerve demo" runs when given no name.
const defaultDemo = "xor"

func demoCommand() *command {
	return &command{
		name:  "demo",
		args:  "[NAME] [flags]",
		short: "run one of the classic \"neural network from scratch\" tutorials",
		help:  demoHelp,
		run:   runDemo,
	}
}

// demoConfig is what the demo command line says.
type demoConfig struct {
	list       bool
	seed       uint32
	iterations int
	sgd        bool
	layers     []int
	lr         float64
	hidden     activation.Kind
}

// demoOnly names the flags that only one tutorial accepts.
var demoOnly = []struct{ flag, tutorial string }{
	{"sgd", "hidden-layer"},
	{"layers", "l-layer"},
	{"lr", "l-layer"},
	{"hidden", "l-layer"},
}

// flags returns the demo's flag set, writing into c; c's fields at the
// time of the call are the defaults.
func (c *demoConfig) flags() *flagSet {
	f := newFlagSet("demo")
	f.Bool(&c.list, "list", "list the tutorials and exit")
	f.Var(uint32Value{&c.seed}, "seed", "seed the random numbers with `N` in 0..4294967295, as np.random.seed(N) does")
	f.Var(countValue{&c.iterations}, "iterations", "train for `N` iterations; 0 means the tutorial's own count (see --list)")
	f.Bool(&c.sgd, "sgd", "hidden-layer: update after every sample instead of once per batch")
	f.Var(sizesValue{&c.layers}, "layers", "l-layer: the layer sizes `N,N,...` from inputs to outputs (the tutorial's default is 2,8,4,1)")
	f.Var(positiveValue{&c.lr}, "lr", "l-layer: learning rate `X` > 0 (the tutorial's default is 0.05)")
	f.Var(hiddenValue{&c.hidden}, "hidden", "l-layer: the hidden layers' activation, `relu|sigmoid` (default relu)")
	return f
}

func demoHelp(w io.Writer) {
	fmt.Fprint(w, `Usage: nerve demo [NAME] [flags]

Demo runs one of the tutorials nerve reproduces and prints what the
original numpy program printed, to the same digits for the same seed.
NAME defaults to `+defaultDemo+`; the name may come before or after the flags.

Tutorials:

`)
	listTutorials(w)
	fmt.Fprint(w, "\nFlags:\n\n")
	c := demoConfig{seed: 1}
	c.flags().printDefaults(w)
}

func listTutorials(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	for _, t := range tutorials.All() {
		fmt.Fprintf(tw, "  %s\t%s (%d iterations)\n", t.Name, t.Title, t.Iterations)
	}
	tw.Flush()
}

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c := demoConfig{seed: 1}
	f := c.flags()
	pos, err := f.parse(args)
	if errors.Is(err, errHelp) {
		demoHelp(stdout)
		return nil
	}
	if err != nil {
		return err
	}
	if c.list {
		if len(pos) > 0 {
			return usagef("demo: --list takes no tutorial name, got %q", pos[0])
		}
		listTutorials(stdout)
		return nil
	}
	name := defaultDemo
	switch len(pos) {
	case 0:
	case 1:
		name = pos[0]
	default:
		return usagef("demo: want at most one tutorial name, got %d: %s", len(pos), strings.Join(pos, " "))
	}
	t, err := tutorials.Lookup(name)
	if err != nil {
		return usagef("demo: %v", err)
	}
	for _, d := range demoOnly {
		if f.set(d.flag) && t.Name != d.tutorial {
			return usagef("demo: --%s applies only to the %s tutorial, not %s", d.flag, d.tutorial, t.Name)
		}
	}
	o := tutorials.Options{
		Seed:         c.seed,
		Iterations:   c.iterations,
		SGD:          c.sgd,
		Layers:       c.layers,
		LearningRate: c.lr,
		Hidden:       c.hidden,
	}
	if err := t.Run(ctx, stdout, o); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}

// hiddenValue is the --hidden flag: the hidden layers' activation, relu
// or sigmoid.
type hiddenValue struct{ p *activation.Kind }

func (v hiddenValue) Set(s string) error {
	k, err := activation.Parse(s)
	if err != nil || (k != activation.ReLU && k != activation.Sigmoid) {
		return fmt.Errorf("%q is not relu or sigmoid", s)
	}
	*v.p = k
	return nil
}

func (v hiddenValue) String() string {
	if v.p == nil || *v.p == activation.Identity {
		return "" // the zero value: the tutorial's default, relu
	}
	return v.p.String()
}
