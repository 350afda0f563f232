package data

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestColumnsReadFeatures(t *testing.T) {
	cols := Columns{Features: []string{"a", "b", "c"}, Target: "y", Task: TaskClassification}
	for _, tt := range []struct {
		name, csv string
		features  []string
		want      []float64 // X, row-major
		err       string
	}{
		{"the model's columns", "a,b,c\n1,2,3\n4,5,6\n", []string{"a", "b", "c"}, []float64{1, 2, 3, 4, 5, 6}, ""},
		{"with the target", "a,b,c,y\n1,2,3,p\n4,5,6,q\n", []string{"a", "b", "c"}, []float64{1, 2, 3, 4, 5, 6}, ""},
		{"another order", "c,a,b\n3,1,2\n6,4,5\n", []string{"a", "b", "c"}, []float64{1, 2, 3, 4, 5, 6}, ""},
		{"more columns", "z,c,y,b,a\n9,3,p,2,1\n9,6,q,5,4\n", []string{"a", "b", "c"}, []float64{1, 2, 3, 4, 5, 6}, ""},
		{"a feature missing", "p,b,c\n1,2,3\n", nil, nil, `t.csv: no column named "a", a feature the model was trained on (a, b, c)`},
		{"a name twice", "a,b,c,b\n1,2,3,4\n", nil, nil, `t.csv: columns 2 and 4 are both named "b"`},
		{"no header", "1,2,3\n4,5,6\n", nil, []float64{1, 2, 3, 4, 5, 6}, ""},
		{"bad feature cell", "a,b,c,y\n1,x,3,p\n4,5,6,q\n", nil, nil, `(b): "x" is not a number`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d, err := cols.ReadFeatures("t.csv", func(opt CSVOptions) (*Dataset, error) {
				return ReadCSV(strings.NewReader(tt.csv), "t.csv", opt)
			})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("ReadFeatures: %v; want an error with %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(d.X.Data(), tt.want) || (tt.features != nil && !slices.Equal(d.Features, tt.features)) || d.Labels != nil || d.Y != nil {
				t.Errorf("X %v, features %q, labels %q; want X %v, features %q, no labels", d.X.Data(), d.Features, d.Labels, tt.want, tt.features)
			}
		})
	}
}

func TestCellError(t *testing.T) {
	_, err := ReadCSV(strings.NewReader("a,b\n1,x\n"), "t.csv", CSVOptions{NoTarget: true})
	if col, ok := CellError(err); !ok || col != "b" {
		t.Errorf("CellError(%v) = %q, %v; want \"b\", true", err, col, ok)
	}
	if _, ok := CellError(errors.New("other")); ok {
		t.Error("CellError of another error reported a cell")
	}
}
