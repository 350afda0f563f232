package data

import (
	"errors"
	"math"
	"testing"
)

func TestGenerate(t *testing.T) {
	for _, name := range Generators() {
		t.Run(name, func(t *testing.T) {
			o := Synthetic{Samples: 301, Noise: 0, Seed: 7}
			d, err := Generate(name, o)
			if err != nil {
				t.Fatal(err)
			}
			if d.Len() != 301 || d.X.Cols() != 2 {
				t.Fatalf("shape %d×%d; want 301×2", d.Len(), d.X.Cols())
			}
			if IsRegression(name) != (d.Y != nil) || (d.Labels != nil) == (d.Y != nil) {
				t.Fatalf("labels %v, Y %v for %s", d.Labels != nil, d.Y != nil, name)
			}
			for i := range d.Len() {
				x1, x2 := d.X.At(i, 0), d.X.At(i, 1)
				if math.Abs(x1) > 6.5 && name != "gauss" || math.IsNaN(x1+x2) {
					t.Fatalf("point %d (%v, %v) is off the plane", i, x1, x2)
				}
				// Without noise every label follows the rule.
				switch name {
				case "circle":
					if want := sign(math.Hypot(x1, x2) < 2.5); d.Labels[i] != want {
						t.Fatalf("circle point %d at radius %v: label %s; want %s", i, math.Hypot(x1, x2), d.Labels[i], want)
					}
				case "xor":
					if want := sign(x1*x2 >= 0); d.Labels[i] != want || math.Abs(x1) < 0.3 || math.Abs(x2) < 0.3 {
						t.Fatalf("xor point %d (%v, %v): label %s; want %s, 0.3 off the axes", i, x1, x2, d.Labels[i], want)
					}
				case "plane":
					if got, want := d.Y.At(i, 0), (x1+x2)/10; math.Abs(got-want) > 1e-15 {
						t.Fatalf("plane point %d: %v; want %v", i, got, want)
					}
				case "multigauss":
					if got := d.Y.At(i, 0); got < -1 || got > 1 {
						t.Fatalf("multigauss point %d: %v out of [−1, 1]", i, got)
					}
				}
			}
			o.Noise = 0.1 // spiral without noise draws no random numbers
			d, _ = Generate(name, o)
			if e, _ := Generate(name, o); !equalData(e, d) {
				t.Error("same seed, other points")
			}
			o.Seed = 8
			if e, _ := Generate(name, o); equalData(e, d) {
				t.Error("the seed changes nothing")
			}
		})
	}
}

func TestGenerateNoise(t *testing.T) {
	// Half the slider flips a good share of circle's labels but not most.
	d, err := Generate("circle", Synthetic{Samples: 1000, Noise: 0.5, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	wrong := 0
	for i := range d.Len() {
		if d.Labels[i] != sign(math.Hypot(d.X.At(i, 0), d.X.At(i, 1)) < 2.5) {
			wrong++
		}
	}
	if wrong < 100 || wrong > 500 {
		t.Errorf("%d of 1000 labels disagree with the radius at noise 0.5; want some, not most", wrong)
	}
	// Gauss's clouds widen with noise.
	spread := func(noise float64) float64 {
		d, _ := Generate("gauss", Synthetic{Samples: 2000, Noise: noise, Seed: 1})
		s := 0.0
		for i := range 1000 {
			s += (d.X.At(i, 0) - 2) * (d.X.At(i, 0) - 2)
		}
		return s / 1000
	}
	if v0, v5 := spread(0), spread(0.5); math.Abs(v0-0.5) > 0.1 || math.Abs(v5-4) > 0.6 {
		t.Errorf("gauss variance %v at noise 0, %v at 0.5; want about 0.5 and 4", v0, v5)
	}
}

func TestGenerateSpiralArms(t *testing.T) {
	d, err := Generate("spiral", Synthetic{Samples: 300, Classes: 3, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, l := range d.Labels {
		count[l]++
	}
	if len(count) != 3 || count["0"] != 100 || count["2"] != 100 {
		t.Errorf("classes %v; want 100 each of 0, 1, 2", count)
	}
	two, _ := Generate("spiral", Synthetic{Samples: 10})
	// Arm 1 is arm 0 turned by π, labels 1 then −1.
	for i := range 5 {
		if math.Abs(two.X.At(i, 0)+two.X.At(5+i, 0)) > 1e-12 || two.Labels[i] != "1" || two.Labels[5+i] != "-1" {
			t.Fatalf("point %d: arm 1 is not arm 0 turned by π", i)
		}
	}
}

func TestGenerateErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		o    Synthetic
	}{
		{"moons", Synthetic{}},
		{"circle", Synthetic{Samples: -1}},
		{"circle", Synthetic{Noise: 1.5}},
		{"circle", Synthetic{Noise: math.NaN()}},
		{"xor", Synthetic{Classes: 3}},
		{"spiral", Synthetic{Classes: 1}},
	} {
		if _, err := Generate(tt.name, tt.o); !errors.Is(err, ErrData) {
			t.Errorf("Generate(%q, %+v): %v; want ErrData", tt.name, tt.o, err)
		}
	}
}
