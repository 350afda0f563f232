package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/tutorials"
)

// defaultDemo is the tutorial "nerve demo" runs when given no name.
const defaultDemo = "xor"

func demoAbout(w io.Writer) {
	fmt.Fprint(w, `Demo runs one of the tutorials nerve reproduces and prints what the
original numpy program printed, to the same digits for the same seed.
NAME defaults to `+defaultDemo+`; the name may come before or after the flags.

Tutorials:

`)
	listTutorials(w)
}

// demoConfig is what the demo command line says.
type demoConfig struct {
	f          *flagSet
	list       bool
	seed       uint32
	iterations int
	sgd        bool
	layers     []int
	lr         float64
	activation activation.Kind
}

// demoOnly names the flags that only one tutorial accepts.
var demoOnly = []scoped{
	{"sgd", []string{"hidden-layer"}},
	{"layers", []string{"l-layer"}},
	{"lr", []string{"l-layer"}},
	{"activation", []string{"l-layer"}},
}

// flags defines the demo's flags on f, writing into c; c's fields at the
// time of the call are the defaults.
func (c *demoConfig) flags(f *flagSet) {
	c.f = f
	f.Bool(&c.list, "list", "list the tutorials and exit")
	f.Var(seedValue(&c.seed), "seed", "seed the random numbers with `N` in 0..4294967295, as np.random.seed(N) does")
	f.Var(atLeast(&c.iterations, 0), "iterations", "train for `N` iterations; 0 means the tutorial's own count (see --list)")
	f.Bool(&c.sgd, "sgd", "hidden-layer: update after every sample instead of once per batch")
	f.Var(layersValue(&c.layers), "layers", "l-layer: the layer sizes `N,N,...` from inputs to outputs (the tutorial's default is 2,8,4,1)")
	f.Var(positive(&c.lr), "lr", "l-layer: learning rate `X` > 0 (the tutorial's default is 0.05)")
	f.Var(activationValue{&c.activation}, "activation", "l-layer: the hidden layers' activation, `relu|sigmoid` (default relu)")
	f.renamedFrom("hidden", "activation")
}

func listTutorials(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	for _, t := range tutorials.All() {
		fmt.Fprintf(tw, "  %s\t%s (%d iterations)\n", t.Name, t.Title, t.Iterations)
	}
	tw.Flush()
}

func (c *demoConfig) run(ctx context.Context, pos []string, stdout, _ io.Writer) error {
	f := c.f
	if c.list {
		if len(pos) > 0 {
			return usagef("demo: --list takes no tutorial name, got %q", pos[0])
		}
		listTutorials(stdout)
		return nil
	}
	name := defaultDemo
	if len(pos) == 1 {
		name = pos[0]
	}
	t, err := tutorials.Lookup(name)
	if err != nil {
		return usagef("demo: %v", err)
	}
	theTutorial := func(names []string) string { return "the " + names[0] + " tutorial" }
	if err := f.checkScope(demoOnly, t.Name, t.Name, theTutorial); err != nil {
		return err
	}
	o := tutorials.Options{
		Seed:         c.seed,
		Iterations:   c.iterations,
		SGD:          c.sgd,
		Layers:       c.layers,
		LearningRate: c.lr,
		Hidden:       c.activation,
	}
	if err := t.Run(ctx, stdout, o); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}

// activationValue is the --activation flag: the hidden layers'
// activation, relu or sigmoid.
type activationValue struct{ p *activation.Kind }

func (v activationValue) Set(s string) error {
	k, err := activation.Parse(s)
	if err != nil || (k != activation.ReLU && k != activation.Sigmoid) {
		return fmt.Errorf("%q is not relu or sigmoid", s)
	}
	*v.p = k
	return nil
}

func (v activationValue) String() string {
	if v.p == nil || *v.p == activation.Identity {
		return "" // the zero value: the tutorial's default, relu
	}
	return v.p.String()
}
