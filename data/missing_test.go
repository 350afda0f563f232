package data

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// colourTable returns n rows of a colour column and a target: red, blue
// and green in the proportions 5:3:2 (red most frequent), with the first
// missing rows missing (cells "", NA and n/a in turn).
func colourTable(t *testing.T, n, missing int) *Table {
	t.Helper()
	var b strings.Builder
	b.WriteString("colour,y\n")
	tokens := []string{"", "NA", "n/a"}
	for i := range n {
		c := []string{"red", "red", "blue", "red", "green", "blue", "red", "green", "blue", "red"}[i%10]
		if i < missing {
			c = tokens[i%3]
		}
		fmt.Fprintf(&b, "%s,%d\n", c, i%2)
	}
	return mustTable(t, "colours.csv", b.String())
}

// TestMissingCategoryRule checks when a categorical column's missing
// cells get an input of their own: at least MinMissingCategory of them
// or a tenth of the rows; otherwise they take the most frequent
// category, at fit and at predict time alike.
func TestMissingCategoryRule(t *testing.T) {
	for _, tc := range []struct {
		n, missing int
		keep       bool
	}{
		{100, 0, false},
		{100, 1, false},
		{100, MinMissingCategory - 1, false},
		{100, MinMissingCategory, true},
		{1000, 60, true},
		{20, 2, true}, // a tenth of the rows
		{30, 2, false},
	} {
		name := fmt.Sprintf("%d of %d missing", tc.missing, tc.n)
		tb := colourTable(t, tc.n, tc.missing)
		p, err := FitPreprocessing(tb, PrepOptions{Target: "y"})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		c := p.Columns[0]
		wantFill := "red"
		if tc.keep {
			wantFill = ""
		}
		if c.Missing != tc.keep || c.Fill != wantFill || p.Validate() != nil {
			t.Errorf("%s: missing %v fill %q (%v); want %v %q", name, c.Missing, c.Fill, p.Validate(), tc.keep, wantFill)
		}
		// blue green red [(missing)]
		d, rep, err := p.Dataset(tb)
		if err != nil || rep.Total() != 0 {
			t.Fatalf("%s: Dataset %v, report %+v", name, err, rep)
		}
		for i := range tc.n {
			row := d.X.Row(i)
			if i < tc.missing && tc.keep && (row[3] != 1 || row[0]+row[1]+row[2] != 0) {
				t.Errorf("%s: training row %d (missing) %v; want (missing)", name, i+1, row)
			}
			if i < tc.missing && !tc.keep && !reflect.DeepEqual(row, []float64{0, 0, 1}) {
				t.Errorf("%s: training row %d (missing) %v; want red", name, i+1, row)
			}
		}
		// Prediction: missing tokens in any case follow the same rule;
		// an unseen colour still gives zeros and is counted.
		pt, _ := NewTable("new", []string{"colour"}, [][]string{{"NULL"}, {"nA"}, {""}, {"?"}, {"blue"}, {"purple"}})
		X, rep, err := p.Transform(pt)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Unseen["colour"] != 1 || rep.Total() != 1 {
			t.Errorf("%s: predict report %+v; want the purple cell alone", name, rep)
		}
		for i := range 4 {
			want := []float64{0, 0, 1}
			if tc.keep {
				want = []float64{0, 0, 0, 1}
			}
			if got := X.Row(i); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: predict row %d (missing) %v; want %v", name, i+1, got, want)
			}
		}
	}
}

// TestFillTies checks that of equally frequent categories the first in
// byte order fills missing cells.
func TestFillTies(t *testing.T) {
	tb := mustTable(t, "t.csv", "c,y\nb,1\nc,2\nNA,3\nc,4\nb,5\na,6\n"+strings.Repeat("a,7\nb,8\nc,9\n", 4))
	p, err := FitPreprocessing(tb, PrepOptions{Target: "y"})
	if err != nil {
		t.Fatal(err)
	}
	if c := p.Columns[0]; c.Fill != "b" || c.Missing {
		t.Errorf("fill %q missing %v; want b (b and c tie at 6, a has 5)", c.Fill, c.Missing)
	}
}

// TestOldPreprocessingJSON checks that a header written before Fill
// existed reads back unchanged, writes the same bytes, and transforms as
// it did: a missing cell of a column without "missing" gives all zeros
// and is counted; one of a column with it gives (missing).
func TestOldPreprocessingJSON(t *testing.T) {
	const old = `{"target":"y","task":"classification","columns":[{"name":"sex","type":"categorical","categories":["female","male"]},{"name":"deck","type":"categorical","categories":["C","E"],"missing":true},{"name":"age","type":"numeric","median":35,"mean":32.5,"scale":6.18}]}`
	var p Preprocessing
	if err := json.Unmarshal([]byte(old), &p); err != nil {
		t.Fatal(err)
	}
	if err := p.Validate(); err != nil || p.Columns[0].Fill != "" || p.Columns[1].Fill != "" {
		t.Fatalf("old header: %v, fills %q %q", err, p.Columns[0].Fill, p.Columns[1].Fill)
	}
	b, err := json.Marshal(&p)
	if err != nil || string(b) != old {
		t.Errorf("old header writes\n%s (%v); want\n%s", b, err, old)
	}
	tb := mustTable(t, "new.csv", "sex,deck,age\nNA,,40\nmale,E,\n")
	X, rep, err := p.Transform(tb)
	if err != nil {
		t.Fatal(err)
	}
	// sex=female sex=male deck=C deck=E deck=(missing) age
	mean, scale := 32.5, 6.18
	want := [][]float64{{0, 0, 0, 0, 1, (40 - mean) / scale}, {0, 1, 0, 1, 0, (35 - mean) / scale}}
	for i, w := range want {
		if got := X.Row(i); !reflect.DeepEqual(got, w) {
			t.Errorf("row %d %v; want %v", i+1, got, w)
		}
	}
	if !reflect.DeepEqual(rep.Unseen, map[string]int{"sex": 1}) {
		t.Errorf("report %+v; want the missing sex counted", rep)
	}
	// A Fill names one of the categories and writes "fill".
	p.Columns[0].Fill = "male"
	if b, _ := json.Marshal(&p.Columns[0]); p.Validate() != nil || !strings.Contains(string(b), `"fill":"male"`) {
		t.Errorf("fill male: %v, %s", p.Validate(), b)
	}
}
