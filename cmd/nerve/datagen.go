package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/nerve-ml/nerve/data"
)

// dataConfig is what the data command line says.
type dataConfig struct {
	samples, classes int
	noise            float64
	seed             uint32
	out              string
}

func defaultDataConfig() dataConfig { return dataConfig{samples: 500, classes: 2, seed: 1} }

func (c *dataConfig) flags(f *flagSet) {
	f.Var(atLeast(&c.samples, 1), "samples", "draw `N` points")
	f.Var(noiseValue{&c.noise}, "noise", "noise `F` in 0..1; TensorFlow Playground's slider 0–50 % is 0..0.5")
	f.Var(seedValue(&c.seed), "seed", "seed the random numbers with `N`; a seed always gives the same points")
	f.Var(atLeast(&c.classes, 2), "classes", "spiral only: `N` arms, one class each (labels 0..N-1 for more than 2)")
	f.String(&c.out, "out", "write the CSV to `FILE` (- or none: standard output)")
}

func dataAbout(w io.Writer) {
	fmt.Fprint(w, `Data draws one of TensorFlow Playground's two-feature datasets and writes
it as CSV with the header x1,x2,label: circle, xor, gauss and spiral are
classification problems (labels 1 and -1), plane and multigauss regression
problems (a number in -1..1). The points lie in the square -6..6 and the
same seed always gives the same points.

For example:

	nerve data spiral --samples 500 --noise 0.1 --seed 3 --out spiral.csv
	nerve train --data spiral.csv --hidden 8,8 --activation tanh --epochs 300
`)
}

func (c *dataConfig) run(_ context.Context, pos []string, stdout, _ io.Writer) error {
	names := data.Generators()
	if len(pos) != 1 || !slices.Contains(names, pos[0]) {
		return usagef("data: want one dataset name, one of %s; got %q", strings.Join(names, ", "), strings.Join(pos, " "))
	}
	if c.classes != 2 && pos[0] != "spiral" {
		return usagef("data: --classes applies only to spiral")
	}
	out := c.out
	if out == "" {
		out = stdinName // "-": standard output
	}
	if err := checkOutPath("out", out); err != nil {
		return err
	}
	d, err := data.Generate(pos[0], data.Synthetic{Samples: c.samples, Noise: c.noise, Seed: c.seed, Classes: c.classes})
	if err != nil {
		return err
	}
	return writeOutput(out, stdout, func(w io.Writer) error { return data.WriteCSV(w, d, true) })
}

// noiseValue is a flag holding a noise level in [0, 1].
type noiseValue struct{ p *float64 }

func (v noiseValue) Set(s string) error {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || !(x >= 0 && x <= 1) {
		return fmt.Errorf("%q is not a noise level in 0..1, e.g. 0.2", s)
	}
	*v.p = x
	return nil
}

func (v noiseValue) String() string {
	if v.p == nil || *v.p == 0 {
		return ""
	}
	return strconv.FormatFloat(*v.p, 'g', -1, 64)
}
