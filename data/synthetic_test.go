package data

import (
	"math"
	"testing"
)

func TestSpiral(t *testing.T) {
	d := Spiral(50, 3, 0.2, 1)
	if d.Len() != 150 || d.X.Cols() != 2 || len(d.Labels) != 150 {
		t.Fatalf("shape: %d samples, %d features, %d labels", d.Len(), d.X.Cols(), len(d.Labels))
	}
	count := map[string]int{}
	for i, l := range d.Labels {
		count[l]++
		r := math.Hypot(d.X.At(i, 0), d.X.At(i, 1))
		want := float64(i%50+1) / 50
		if math.Abs(r-want) > 1e-12 {
			t.Fatalf("point %d: radius %v; want %v", i, r, want)
		}
	}
	if count["0"] != 50 || count["1"] != 50 || count["2"] != 50 {
		t.Errorf("classes %v", count)
	}
	// Without noise the arms are rotations of each other.
	c := Spiral(10, 2, 0, 1)
	for i := range 10 {
		if math.Abs(c.X.At(i, 0)+c.X.At(10+i, 0)) > 1e-12 || math.Abs(c.X.At(i, 1)+c.X.At(10+i, 1)) > 1e-12 {
			t.Fatalf("point %d of arm 1 is not arm 0's rotated by π", i)
		}
	}
	// Same seed, same points; another seed, others.
	if e := Spiral(50, 3, 0.2, 1); !equalData(e, d) {
		t.Error("Spiral is not reproducible")
	}
	if e := Spiral(50, 3, 0.2, 2); equalData(e, d) {
		t.Error("the seed changes nothing")
	}
}

func equalData(a, b *Dataset) bool {
	for i, v := range a.X.Data() {
		if v != b.X.Data()[i] {
			return false
		}
	}
	return true
}

func TestXOR(t *testing.T) {
	d := XOR(8, 0, 1)
	want := [][3]float64{{0, 0, 0}, {0, 1, 1}, {1, 0, 1}, {1, 1, 0}}
	for i := range 8 {
		w := want[i%4]
		if d.X.At(i, 0) != w[0] || d.X.At(i, 1) != w[1] || d.Labels[i] != map[float64]string{0: "0", 1: "1"}[w[2]] {
			t.Errorf("sample %d: %v %v %s; want %v", i, d.X.At(i, 0), d.X.At(i, 1), d.Labels[i], w)
		}
	}
	n := XOR(400, 0.1, 3)
	var dev float64
	for i := range 400 {
		dev += math.Abs(n.X.At(i, 0) - float64(i/2%2))
	}
	if m := dev / 400; m < 0.05 || m > 0.12 {
		t.Errorf("mean |noise| %.3f; want ≈ 0.08 for σ = 0.1", m)
	}
}

func TestSyntheticPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"Spiral(0, 3)": func() { Spiral(0, 3, 0, 1) },
		"Spiral(5, 1)": func() { Spiral(5, 1, 0, 1) },
		"XOR(0)":       func() { XOR(0, 0, 1) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s did not panic", name)
				}
			}()
			f()
		}()
	}
}
