package data

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadSklearn(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want csvWant
	}{
		{
			name: "counts line",
			in:   "3,2,setosa,versicolor,virginica\n5.1,3.5,0\n7,3.2,1\n6.3,3.3,2\n",
			want: csvWant{[]string{"col1", "col2"}, "class", [][]float64{{5.1, 3.5}, {7, 3.2}, {6.3, 3.3}}, []string{"setosa", "versicolor", "virginica"}, nil},
		},
		{
			name: "counts line of as many fields as a row",
			in:   "2,2,a,b\n1,2,1\n3,4,0\n",
			want: csvWant{[]string{"col1", "col2"}, "class", [][]float64{{1, 2}, {3, 4}}, []string{"b", "a"}, nil},
		},
		{
			name: "counts line without class names",
			in:   "2,3\n1,2,3,1\n4,5,6,0\n",
			want: csvWant{[]string{"col1", "col2", "col3"}, "class", [][]float64{{1, 2, 3}, {4, 5, 6}}, []string{"1", "0"}, nil},
		},
		{
			name: "numeric class names, told by the field count",
			in:   "2,1,10,20\n1.5,1\n2.5,0\n",
			want: csvWant{[]string{"col1"}, "class", [][]float64{{1.5}, {2.5}}, []string{"20", "10"}, nil},
		},
		{
			name: "no counts line",
			in:   "0,5,13,0\n1,2,3,7\n",
			want: csvWant{[]string{"col1", "col2", "col3"}, "class", [][]float64{{0, 5, 13}, {1, 2, 3}}, []string{"0", "7"}, nil},
		},
		{
			name: "one row, no counts line",
			in:   "0.5,7\n",
			want: csvWant{[]string{"col1"}, "class", [][]float64{{0.5}}, []string{"7"}, nil},
		},
	}
	for _, tt := range tests {
		for _, gz := range []bool{false, true} {
			in := []byte(tt.in)
			if gz {
				in = gzipBytes(t, in)
			}
			d, err := readSklearn(bytes.NewReader(in), "s.csv")
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			checkDataset(t, d, "s.csv", tt.want)
		}
	}
}

func TestReadSklearnErrors(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty", "", `s.csv: empty file`},
		{"counts only", "0,4,a,b\n", `s.csv:1: no data rows`},
		{"one field", "1\n2\n", `s.csv:1: 1 field: want features, then the class index`},
		{"no features", "2,0,a,b\n", `s.csv:1:2: 0 features declared, want at least 1`},
		{"empty class name", "1,1,a,,c\n1,0\n", `s.csv:1:4: class 1 has an empty name`},
		{"duplicate class name", "1,1,a,b,a\n1,0\n", `s.csv:1:5: classes 0 and 2 are both named "a"`},
		{"too few samples", "3,2,a,b\n1,2,0\n3,4,1\n", `s.csv:1:1: 3 samples declared, but the file has 2`},
		{"too many samples", "1,2,a,b\n1,2,0\n3,4,1\n", `s.csv:1:1: 1 samples declared, but the file has 2`},
		{"ragged row", "2,2,a,b\n1,2,0\n3,1\n", `s.csv:3: 2 fields, but line 1 declares 2 features and a class`},
		{"ragged row, no counts", "1,2,0\n3,4,5\n6,7\n", `s.csv:3: 2 fields, but the first row has 3`},
		{"class out of range", "2,2,a,b\n1,2,0\n3,4,2\n", `s.csv:3:3 (class): class index 2 is out of range: line 1 names 2 classes (0 to 1)`},
		{"class not an integer", "2,2,a,b\n1,2,0\n3,4,1.0\n", `s.csv:3:3 (class): "1.0" is not a class index (an integer from 0)`},
		{"negative class", "1,2,-1\n", `s.csv:1:3 (class): "-1" is not a class index (an integer from 0)`},
		{"bad feature", "2,2,a,b\n1,x,0\n3,4,1\n", `s.csv:2:2 (col2): "x" is not a number: a feature must be a finite number`},
		{"NaN feature", "1,2,0\nNaN,2,0\n", `s.csv:2:1 (col1): "NaN" is NaN: a feature must be a finite number`},
		{"empty feature", "1,,0\n", `s.csv:1:2 (col2): empty cell: a feature must be a finite number`},
		{"space separated", "59 2 32.1 101\n48 1 21.6 87\n", `s.csv:1: 1 field: want features, then the class index`},
		{"quote", "1,2,\"0\n", `s.csv:1: extraneous or missing " in quoted-field (character 8)`},
		{"gzip", "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", `s.csv: truncated gzip data`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readSklearn(strings.NewReader(tt.in), "s.csv")
			var pe *ParseError
			if !errors.As(err, &pe) || !errors.Is(err, ErrData) {
				t.Errorf("%v (%T): want a *ParseError wrapping ErrData", err, err)
			}
			if err == nil || err.Error() != tt.want {
				t.Errorf("error\n  %v\nwant\n  %s", err, tt.want)
			}
		})
	}
}

func TestLoadSklearnPath(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadSklearn(dir); err == nil || errors.Is(err, ErrData) || !strings.Contains(err.Error(), dir) {
		t.Errorf("LoadSklearn(dir): %v; want an error naming it, without ErrData", err)
	}
	p := filepath.Join(dir, "x.csv")
	if err := os.WriteFile(p, []byte("2,1,a,b\n1,0\n2,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := LoadSklearn(p)
	if err != nil {
		t.Fatal(err)
	}
	checkDataset(t, d, p, csvWant{[]string{"col1"}, "class", [][]float64{{1}, {2}}, []string{"a", "b"}, nil})
}

func TestLoadSklearnShared(t *testing.T) {
	dir := filepath.Join(sharedData(t), "sklearn")
	tests := []struct {
		file     string
		n, f     int
		counts   map[string]int
		min, max int // bounds of the class sizes when counts is nil
	}{
		{"iris.csv", 150, 4, map[string]int{"setosa": 50, "versicolor": 50, "virginica": 50}, 0, 0},
		{"wine_data.csv", 178, 13, map[string]int{"class_0": 59, "class_1": 71, "class_2": 48}, 0, 0},
		{"breast_cancer.csv", 569, 30, map[string]int{"malignant": 212, "benign": 357}, 0, 0},
		{"digits.csv.gz", 1797, 64, nil, 174, 183},
	}
	for _, tt := range tests {
		d, err := LoadSklearn(filepath.Join(dir, tt.file))
		if err != nil {
			t.Fatal(err)
		}
		if r, c := d.X.Dims(); r != tt.n || c != tt.f || len(d.Labels) != tt.n {
			t.Errorf("%s: X is %s with %d labels; want (%d, %d)", tt.file, d.X.Shape(), len(d.Labels), tt.n, tt.f)
		}
		got := map[string]int{}
		for _, l := range d.Labels {
			got[l]++
		}
		if tt.counts != nil {
			if len(got) != len(tt.counts) {
				t.Errorf("%s: classes %v; want %v", tt.file, got, tt.counts)
			}
			for l, n := range tt.counts {
				if got[l] != n {
					t.Errorf("%s: %d samples of %s; want %d", tt.file, got[l], l, n)
				}
			}
			continue
		}
		if len(got) != 10 {
			t.Errorf("%s: %d classes; want 10", tt.file, len(got))
		}
		for l, n := range got {
			if n < tt.min || n > tt.max {
				t.Errorf("%s: %d samples of %s; want %d to %d", tt.file, n, l, tt.min, tt.max)
			}
		}
	}
	// The first iris row, and the embedded copy of the same data.
	d, err := LoadSklearn(filepath.Join(dir, "iris.csv"))
	if err != nil {
		t.Fatal(err)
	}
	iris := Iris()
	for i := range 150 {
		for j := range 4 {
			if d.X.At(i, j) != iris.X.At(i, j) || d.Labels[i] != iris.Labels[i] {
				t.Fatalf("sample %d differs from Iris()", i+1)
			}
		}
	}
	// Digits: pixel values are integers from 0 to 16.
	d, err = LoadSklearn(filepath.Join(dir, "digits.csv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range d.X.Data() {
		if v != float64(int(v)) || v < 0 || v > 16 {
			t.Fatalf("digits pixel %v", v)
		}
	}
}

// FuzzReadSklearn checks that the scikit-learn reader never panics and
// fails only with a *ParseError.
func FuzzReadSklearn(f *testing.F) {
	f.Add([]byte("3,2,a,b,c\n1,2,0\n3,4,1\n5,6,2\n"))
	f.Add([]byte("0,0,5,1\n1,2,3,0\n"))
	f.Add(gzipBytes(f, []byte("2,1\n1,0\n2,1\n")))
	f.Fuzz(func(t *testing.T, in []byte) {
		d, err := readSklearn(bytes.NewReader(in), "f.csv")
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || !errors.Is(err, ErrData) {
				t.Fatalf("%v (%T): not a *ParseError wrapping ErrData", err, err)
			}
			return
		}
		n, c := d.X.Dims()
		if n < 1 || c < 1 || len(d.Labels) != n || len(d.Features) != c || d.Y != nil {
			t.Fatalf("X %s, %d labels, %d features", d.X.Shape(), len(d.Labels), len(d.Features))
		}
	})
}
