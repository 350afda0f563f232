package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// passengers is a Titanic-style table: text categories, a numeric
// column with a missing cell, an identifier, a constant column.
const passengers = `id,sex,age,deck,fare,ship,survived
1,male,22,NA,7.25,Titanic,no
2,female,38,C,71.28,Titanic,yes
3,female,,?,7.92,Titanic,yes
4,female,35,C,53.1,Titanic,yes
5,male,35,,8.05,Titanic,no
6,male,N/a,E,8.46,Titanic,no
7,male,54,E,51.86,Titanic,no
8,male,2,null,21.08,Titanic,no
9,female,27,NaN,11.13,Titanic,yes
10,female,14,B,30.07,Titanic,yes
`

func mustTable(t *testing.T, name, csv string) *Table {
	t.Helper()
	tb, err := ReadTable(strings.NewReader(csv), name, TableOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func TestReadTable(t *testing.T) {
	tb := mustTable(t, "p.csv", passengers)
	if got, want := tb.Columns, []string{"id", "sex", "age", "deck", "fare", "ship", "survived"}; !reflect.DeepEqual(got, want) {
		t.Errorf("columns %q; want %q", got, want)
	}
	if tb.Len() != 10 || tb.Lines[0] != 2 || tb.Lines[9] != 11 {
		t.Errorf("%d rows, lines %v; want 10 rows on lines 2 to 11", tb.Len(), tb.Lines)
	}
	if got := tb.Rows[2][2]; got != "" {
		t.Errorf("empty cell read as %q", got)
	}
	q := mustTable(t, "q.csv", "a;\"b; c\"\n\" x \";1\n\n\"y\nz\";2\n")
	if !reflect.DeepEqual(q.Columns, []string{"a", "b; c"}) || !reflect.DeepEqual(q.Rows, [][]string{{"x", "1"}, {"y\nz", "2"}}) || !reflect.DeepEqual(q.Lines, []int{2, 4}) {
		t.Errorf("quoted table read as %q %q lines %v", q.Columns, q.Rows, q.Lines)
	}
}

func TestReadTableErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "t.csv: empty file"},
		{"a,b\n", "t.csv:1: header only: no data rows after it"},
		{"a,b,a\n1,2,3\n", "t.csv:1:3 (a): column name given twice (columns 1 and 3)"},
		{"a,,c\n1,2,3\n", "t.csv:1:2: empty column name: every column needs a name"},
		{"a,b\n1,2\n3\n", "t.csv:3: 1 field, but the header has 2"},
		{"a,b\n1,\"2\n", "t.csv:2: extraneous or missing \" in quoted-field (character 6)"},
	} {
		_, err := ReadTable(strings.NewReader(tc.in), "t.csv", TableOptions{})
		if err == nil || err.Error() != tc.want || !errors.Is(err, ErrData) {
			t.Errorf("ReadTable(%q): %v; want %q wrapping ErrData", tc.in, err, tc.want)
		}
	}
}

func TestNewTable(t *testing.T) {
	tb, err := NewTable("", []string{"x", "c"}, [][]string{{" 1 ", "a"}, {"2", "b"}})
	if err != nil || tb.Name != "table" || tb.Rows[0][0] != "1" {
		t.Fatalf("NewTable: %+v, %v", tb, err)
	}
	_, err = NewTable("mem", []string{"x", "c"}, [][]string{{"1", "a"}, {"2"}})
	if want := "mem:2: 1 cell, but the table has 2 columns"; err == nil || err.Error() != want {
		t.Errorf("ragged row: %v; want %q", err, want)
	}
	_, err = NewTable("mem", nil, nil)
	if err == nil || !errors.Is(err, ErrData) {
		t.Errorf("no columns: %v", err)
	}
}

func TestFitPreprocessing(t *testing.T) {
	tb := mustTable(t, "p.csv", passengers)
	p, err := FitPreprocessing(tb, PrepOptions{Target: "survived"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Target != "survived" || p.Task != TaskClassification {
		t.Errorf("target %q task %v; want survived, classification", p.Target, p.Task)
	}
	var names []string
	for _, c := range p.Columns {
		names = append(names, c.Name+":"+c.Type.String())
	}
	if want := []string{"id:numeric", "sex:categorical", "age:numeric", "deck:categorical", "fare:numeric"}; !reflect.DeepEqual(names, want) {
		t.Errorf("columns %q; want %q (ship is constant)", names, want)
	}
	wantNotes := []string{
		`column "id" looks like an identifier (every value distinct): drop it if it is one`,
		`column "ship" is constant ("Titanic"): dropped`,
	}
	if !reflect.DeepEqual(p.Notes, wantNotes) {
		t.Errorf("notes %q; want %q", p.Notes, wantNotes)
	}
	// age: 22 38 35 35 54 2 27 14 known, two missing; median 31.
	age := p.Columns[2]
	known := []float64{22, 38, 35, 35, 54, 2, 27, 14}
	filled := append(append([]float64{}, known...), 31, 31)
	mean, ss := 0.0, 0.0
	for _, v := range filled {
		mean += v / 10
	}
	for _, v := range filled {
		ss += (v - mean) * (v - mean)
	}
	if age.Median != 31 || math.Abs(age.Mean-mean) > 1e-12 || math.Abs(age.Scale-math.Sqrt(ss/10)) > 1e-12 {
		t.Errorf("age median %v mean %v scale %v; want 31, %v, %v", age.Median, age.Mean, age.Scale, mean, math.Sqrt(ss/10))
	}
	deck := p.Columns[3]
	if !reflect.DeepEqual(deck.Categories, []string{"B", "C", "E"}) || !deck.Missing {
		t.Errorf("deck categories %q missing %v; want [B C E] true", deck.Categories, deck.Missing)
	}
	wantFeatures := []string{"id", "sex=female", "sex=male", "age", "deck=B", "deck=C", "deck=E", "deck=(missing)", "fare"}
	if got := p.Features(); !reflect.DeepEqual(got, wantFeatures) || p.Width() != len(wantFeatures) {
		t.Errorf("features %q width %d; want %q", got, p.Width(), wantFeatures)
	}

	d, rep, err := p.Dataset(tb)
	if err != nil || rep.Total() != 0 {
		t.Fatalf("Dataset: %v, report %+v", err, rep)
	}
	if d.Labels[0] != "no" || d.Labels[1] != "yes" || !reflect.DeepEqual(d.Features, wantFeatures) {
		t.Errorf("labels %q features %q", d.Labels, d.Features)
	}
	// Row 3: female, age missing (31), deck "?" (missing), fare 7.92.
	row := d.X.Row(2)
	want := []float64{(3 - 5.5) / math.Sqrt(8.25), 1, 0, (31 - mean) / age.Scale, 0, 0, 0, 1}
	for i, w := range want {
		if math.Abs(row[i]-w) > 1e-12 {
			t.Errorf("row 3 input %d (%s) = %v; want %v", i, wantFeatures[i], row[i], w)
		}
	}
	// Standardised numeric inputs have mean 0 and variance 1.
	for _, k := range []int{0, 3, 8} {
		m, v := 0.0, 0.0
		for i := range d.Len() {
			m += d.X.At(i, k) / 10
		}
		for i := range d.Len() {
			v += (d.X.At(i, k) - m) * (d.X.At(i, k) - m) / 10
		}
		if math.Abs(m) > 1e-12 || math.Abs(v-1) > 1e-12 {
			t.Errorf("input %s: mean %v variance %v; want 0 and 1", wantFeatures[k], m, v)
		}
	}
}

func TestDetectTypes(t *testing.T) {
	tb, _ := NewTable("cars", []string{"cyl", "hp", "code", "y"}, [][]string{
		{"4", "100", "007", "a"}, {"6", "", "7", "b"}, {"rotary", "1e2", "8", "a"},
	})
	p, err := FitPreprocessing(tb, PrepOptions{Target: "y"})
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(p.Columns[0].Type, p.Columns[0].Categories, p.Columns[1].Type, p.Columns[2].Type)
	if want := "categorical [4 6 rotary] numeric numeric"; got != want {
		t.Errorf("types %s; want %s", got, want)
	}
	// Overrides: code as categorical keeps "007" and "7" apart.
	p, err = FitPreprocessing(tb, PrepOptions{Target: "y", Categorical: []string{"code"}, Drop: []string{"hp"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.Features(), []string{"cyl=4", "cyl=6", "cyl=rotary", "code=007", "code=7", "code=8"}; !reflect.DeepEqual(got, want) {
		t.Errorf("features %q; want %q", got, want)
	}
	p, err = FitPreprocessing(tb, PrepOptions{Target: "y", Features: []string{"hp"}})
	if err != nil || !reflect.DeepEqual(p.Features(), []string{"hp"}) {
		t.Errorf("Features: hp: %v, %v", p, err)
	}
}

func TestMissingTokens(t *testing.T) {
	for _, s := range []string{"", "NA", "na", "n/a", "N/A", "nan", "NaN", "NULL", "null", "?", "-999"} {
		if !isMissing(s, []string{" -999 "}) {
			t.Errorf("%q is not missing", s)
		}
	}
	for _, s := range []string{"0", "none", "-", "NAN2", "inf"} {
		if isMissing(s, []string{"-999"}) {
			t.Errorf("%q is missing", s)
		}
	}
	tb, _ := NewTable("t", []string{"x", "y"}, [][]string{{"-999", "1"}, {"4", "2"}, {"2", "3"}, {"3", "4"}})
	p, err := FitPreprocessing(tb, PrepOptions{Target: "y", NA: []string{"-999"}})
	if err != nil || p.Columns[0].Median != 3 {
		t.Fatalf("user token: %v, %v", p, err)
	}
}

func TestTransformUnseen(t *testing.T) {
	p, err := FitPreprocessing(mustTable(t, "p.csv", passengers), PrepOptions{Target: "survived", Drop: []string{"id"}})
	if err != nil {
		t.Fatal(err)
	}
	// Columns in another order, an extra column, no target, a sex the
	// training data lacked and a missing sex (sex had none missing, so
	// it takes the most frequent, female, first of the tied two).
	tb := mustTable(t, "new.csv", "fare,extra,deck,age,sex\n10,x,Z,40,other\n,x,B,,\n7.25,y,C,,male\n")
	X, rep, err := p.Transform(tb)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{"sex": 1, "deck": 1}; !reflect.DeepEqual(rep.Unseen, want) || rep.Total() != 2 {
		t.Errorf("unseen %v; want %v", rep.Unseen, want)
	}
	// sex=female sex=male age deck=B deck=C deck=E deck=(missing) fare
	if r := X.Row(0); r[0] != 0 || r[1] != 0 || r[3]+r[4]+r[5]+r[6] != 0 {
		t.Errorf("unseen categories give %v; want zeros", r)
	}
	if r := X.Row(1); r[0] != 1 || r[1] != 0 || r[3] != 1 || r[7] != (p.Columns[3].Median-p.Columns[3].Mean)/p.Columns[3].Scale {
		t.Errorf("row 2 %v; want sex=female, deck=B and the median fare", r)
	}
	if _, _, err := p.Dataset(tb); err == nil || err.Error() != "new.csv (survived): the target column is missing" {
		t.Errorf("Dataset without target: %v", err)
	}
}

func TestPreprocessingErrors(t *testing.T) {
	many := &strings.Builder{}
	many.WriteString("name,y\n")
	for i := range MaxCategories + 1 {
		fmt.Fprintf(many, "n%d,%d\n", i, i%2)
	}
	for _, tc := range []struct {
		name, csv string
		opt       PrepOptions
		want      string
	}{
		{"target missing", "x,y\n1,a\n2,NA\n3,b\n", PrepOptions{Target: "y"}, `t.csv:3:2 (y): missing target ("NA"): drop the rows without a target`},
		{"target all missing", "x,y\n1,\n2,?\n", PrepOptions{Target: "y"}, "t.csv: column 2 (y): every target cell is missing"},
		{"one class", "x,y\n1,a\n2,a\n", PrepOptions{Target: "y"}, `t.csv: column 2 (y): every target is "a": classification needs at least two classes`},
		{"regression target text", "x,y\n1,2.5\n2,z\n", PrepOptions{Target: "y", Task: TaskRegression}, `t.csv:3:2 (y): "z" is not a number: a regression target must be a finite number`},
		{"column all missing", "x,e,y\n1,,a\n2,NA,b\n", PrepOptions{Target: "y"}, "t.csv: column 2 (e): every cell is missing: drop the column"},
		{"inf", "x,y\n1,a\n-Inf,b\n", PrepOptions{Target: "y"}, `t.csv:3:1 (x): "-Inf" is infinite: a numeric cell must be a finite number or missing`},
		{"overflow", "x,y\n1,a\n1e999,b\n", PrepOptions{Target: "y"}, `t.csv:3:1 (x): "1e999" is too large for a float64: a numeric cell must be a finite number or missing`},
		{"forced numeric", "x,y\n1,a\nabc,b\n", PrepOptions{Target: "y", Numeric: []string{"x"}}, `t.csv:3:1 (x): "abc" is not a number: the column is numeric (treat it as categorical or add the value to the missing-value tokens)`},
		{"too many categories", many.String(), PrepOptions{Target: "y"}, "t.csv: column 1 (name): 10001 distinct categories, more than 10000: drop the column (it looks like free text or an identifier)"},
		{"unknown target", "x,y\n1,a\n", PrepOptions{Target: "z"}, "t.csv: no target column named \"z\": the columns are x, y"},
		{"unknown drop", "x,y\n1,a\n", PrepOptions{Drop: []string{"q"}}, "t.csv: drop names column \"q\", which the table lacks: the columns are x, y"},
		{"both types", "x,y\n1,a\n", PrepOptions{Numeric: []string{"x"}, Categorical: []string{"x"}}, "t.csv: column 1 (x): named both categorical and numeric"},
		{"nothing left", "x,c,y\n1,k,a\n2,k,b\n", PrepOptions{Target: "y", Drop: []string{"x"}}, "t.csv: no feature columns left to train on"},
	} {
		tb := mustTable(t, "t.csv", tc.csv)
		_, err := FitPreprocessing(tb, tc.opt)
		if err == nil || err.Error() != tc.want || !errors.Is(err, ErrData) {
			t.Errorf("%s: %v; want %q wrapping ErrData", tc.name, err, tc.want)
		}
	}
}

func TestTransformErrors(t *testing.T) {
	p, err := FitPreprocessing(mustTable(t, "p.csv", passengers), PrepOptions{Target: "survived"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ csv, want string }{
		{"id,sex,age,deck\n1,male,3,B\n", "new.csv (fare): the column is missing, and the model needs it: the columns are id, sex, age, deck"},
		{"id,sex,age,deck,fare\n1,male,3,B,inf\n", `new.csv:2:5 (fare): "inf" is infinite: the column is numeric, so a cell must be a finite number or missing`},
		{"id,sex,age,deck,fare\n1,male,old,B,1\n", `new.csv:2:3 (age): "old" is not a number: the column is numeric, so a cell must be a finite number or missing`},
	} {
		_, _, err := p.Transform(mustTable(t, "new.csv", tc.csv))
		if err == nil || err.Error() != tc.want || !errors.Is(err, ErrData) {
			t.Errorf("Transform(%q): %v; want %q", tc.csv, err, tc.want)
		}
	}
}

func TestRegressionTarget(t *testing.T) {
	tb, _ := NewTable("r", []string{"x", "c", "y"}, [][]string{{"1", "a", "1.5"}, {"2", "b", "2.5"}, {"3", "a", "-1"}})
	p, err := FitPreprocessing(tb, PrepOptions{Target: "y"})
	if err != nil || p.Task != TaskRegression {
		t.Fatalf("task %v, %v; want regression", p.Task, err)
	}
	d, _, err := p.Dataset(tb)
	if err != nil || d.Labels != nil || !reflect.DeepEqual(d.Y.Data(), []float64{1.5, 2.5, -1}) {
		t.Errorf("Dataset: %+v, %v", d, err)
	}
}

func TestPreprocessingJSON(t *testing.T) {
	tb := mustTable(t, "p.csv", passengers)
	p, err := FitPreprocessing(tb, PrepOptions{Target: "survived", NA: []string{"unknown"}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`"type":"categorical"`)) || !bytes.Contains(b, []byte(`"task":"classification"`)) {
		t.Errorf("JSON %s lacks type or task names", b)
	}
	var q Preprocessing
	if err := json.Unmarshal(b, &q); err != nil {
		t.Fatal(err)
	}
	if err := q.Validate(); err != nil {
		t.Fatal(err)
	}
	p.Notes = nil
	if !reflect.DeepEqual(&q, p) {
		t.Errorf("round trip:\n%+v\nwant\n%+v", q, *p)
	}
	X1, _, _ := p.Transform(tb)
	X2, _, _ := q.Transform(tb)
	if !reflect.DeepEqual(X1.Data(), X2.Data()) {
		t.Error("the preprocessing read back transforms differently")
	}
	for _, bad := range []string{`{"columns":[{"name":"x","type":"text"}]}`, `{"task":"sorting","columns":[]}`} {
		if err := json.Unmarshal([]byte(bad), &q); err == nil || !errors.Is(err, ErrData) {
			t.Errorf("Unmarshal(%s): %v; want ErrData", bad, err)
		}
	}
}

func TestPreprocessingValidate(t *testing.T) {
	ok := func() *Preprocessing {
		return &Preprocessing{Target: "y", Task: TaskClassification, Columns: []PrepColumn{
			{Name: "x", Type: Numeric, Scale: 1},
			{Name: "c", Type: Categorical, Categories: []string{"a", "b"}},
		}}
	}
	if err := ok().Validate(); err != nil {
		t.Fatal(err)
	}
	for name, spoil := range map[string]func(*Preprocessing){
		"no columns":   func(p *Preprocessing) { p.Columns = nil },
		"no task":      func(p *Preprocessing) { p.Task = TaskAuto },
		"repeated":     func(p *Preprocessing) { p.Columns[1].Name = "x" },
		"target":       func(p *Preprocessing) { p.Columns[1].Name = "y" },
		"zero scale":   func(p *Preprocessing) { p.Columns[0].Scale = 0 },
		"NaN mean":     func(p *Preprocessing) { p.Columns[0].Mean = math.NaN() },
		"unsorted":     func(p *Preprocessing) { p.Columns[1].Categories = []string{"b", "a"} },
		"duplicate":    func(p *Preprocessing) { p.Columns[1].Categories = []string{"a", "a"} },
		"empty cat":    func(p *Preprocessing) { p.Columns[1].Categories = nil },
		"numeric cats": func(p *Preprocessing) { p.Columns[0].Missing = true },
		"numeric fill": func(p *Preprocessing) { p.Columns[0].Fill = "a" },
		"unknown fill": func(p *Preprocessing) { p.Columns[1].Fill, p.Columns[1].Missing = "c", false },
		"fill+missing": func(p *Preprocessing) { p.Columns[1].Fill, p.Columns[1].Missing = "a", true },
		"bad type":     func(p *Preprocessing) { p.Columns[0].Type = 7 },
	} {
		p := ok()
		spoil(p)
		if err := p.Validate(); err == nil || !errors.Is(err, ErrData) {
			t.Errorf("%s: Validate %v; want ErrData", name, err)
		}
	}
}

func TestDescribe(t *testing.T) {
	s, err := Describe(mustTable(t, "p.csv", passengers), PrepOptions{Target: "survived", Drop: []string{"fare"}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range s {
		got = append(got, fmt.Sprintf("%s %v missing=%d distinct=%d %v/%.4g/%v top=%v id=%v: %s", c.Name, c.Type, c.Missing, c.Distinct, c.Min, c.Mean, c.Max, c.Top, c.Identifier, c.Action))
	}
	want := []string{
		"id numeric missing=0 distinct=10 1/5.5/10 top=[] id=true: standardise; looks like an identifier: drop it?",
		"sex categorical missing=0 distinct=2 0/0/0 top=[{female 5} {male 5}] id=false: one-hot (2 inputs)",
		"age numeric missing=2 distinct=7 2/28.38/54 top=[] id=false: fill with the median, standardise",
		"deck categorical missing=5 distinct=3 0/0/0 top=[{C 2} {E 2} {B 1}] id=false: one-hot (4 inputs), missing → (missing)",
		"fare numeric missing=0 distinct=10 7.25/27.02/71.28 top=[] id=false: drop: dropped as asked",
		"ship categorical missing=0 distinct=1 0/0/0 top=[{Titanic 10}] id=false: drop: constant",
		"survived categorical missing=0 distinct=2 0/0/0 top=[{no 5} {yes 5}] id=false: target: classification",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Describe:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	s, _ = Describe(mustTable(t, "t.csv", "x,e,y\n1,,a\ninf,,a\n"), PrepOptions{Target: "y"})
	for k, w := range []string{`error: "inf" is infinite`, "error: every cell is missing", "error: every target is"} {
		if !strings.HasPrefix(s[k].Action, w) {
			t.Errorf("column %s: action %q; want it to start %q", s[k].Name, s[k].Action, w)
		}
	}
}

// FuzzReadTable checks that ReadTable, FitPreprocessing and Transform
// never panic, fail only with a *ParseError wrapping ErrData, and give
// finite inputs of the announced width.
func FuzzReadTable(f *testing.F) {
	f.Add([]byte(passengers), "survived", "")
	f.Add([]byte("a;b\nx;1\n;NA\n"), "", "x")
	f.Add([]byte("a,b\n1,inf\n2,\"3\n"), "b", "")
	f.Add(gzipBytes(f, []byte("a\tb\n1\t2\n3\t4\n")), "a", "3")
	f.Fuzz(func(t *testing.T, in []byte, target, na string) {
		tb, err := ReadTable(bytes.NewReader(in), "f.csv", TableOptions{})
		if err != nil {
			checkFuzzError(t, err)
			return
		}
		for _, row := range tb.Rows {
			if len(row) != len(tb.Columns) {
				t.Fatalf("row of %d cells under %d columns", len(row), len(tb.Columns))
			}
		}
		p, err := FitPreprocessing(tb, PrepOptions{Target: target, NA: []string{na}})
		if err != nil {
			checkFuzzError(t, err)
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("fitted preprocessing invalid: %v", err)
		}
		X, rep, err := p.Transform(tb)
		if err != nil || rep.Total() != 0 {
			t.Fatalf("Transform of the training table: %v, %+v", err, rep)
		}
		if n, w := X.Dims(); n != tb.Len() || w != p.Width() || w != len(p.Features()) {
			t.Fatalf("X %s, width %d, %d features", X.Shape(), p.Width(), len(p.Features()))
		}
		for _, v := range X.Data() {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("X holds %v", v)
			}
		}
	})
}

func checkFuzzError(t *testing.T, err error) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) || !errors.Is(err, ErrData) || pe.Path != "f.csv" {
		t.Fatalf("%v (%T): not a *ParseError about f.csv wrapping ErrData", err, err)
	}
}

// TestPreprocessingMissingTokens: a cell is missing exactly when it
// equals one of MissingTokens without regard to case, as Transform
// decides.
func TestPreprocessingMissingTokens(t *testing.T) {
	p := &Preprocessing{NA: []string{" -- ", "NA", "Unknown"}}
	tokens := p.MissingTokens()
	for _, s := range []string{"", "na", "nA", "N/a", "NAN", "Null", "?", "--", "unknown", "UNKNOWN", "n a", " ", "red", "NA ", "nul", "0"} {
		got := slices.ContainsFunc(tokens, func(m string) bool { return strings.EqualFold(s, m) })
		if want := isMissing(s, p.NA); got != want {
			t.Errorf("%q: in MissingTokens %v, isMissing %v", s, got, want)
		}
	}
	if n := len(tokens); n != 8 {
		t.Errorf("%q: %d tokens, want 8 (NA given twice counts once)", tokens, n)
	}
}

// TestMissingTokensAgree checks that the numeric loader and a table agree
// on what a missing cell is: a table counts NaN, NA, null and ? as
// missing and fills them with the median, and ReadCSV refuses each as a
// missing value (ErrEmptyCell), never reading NaN as a number.
func TestMissingTokensAgree(t *testing.T) {
	for _, tok := range []string{"NaN", "nan", "NA", "null", "?", "N/A"} {
		csv := "a,b,y\n1,2,x\n3," + tok + ",y\n5,6,x\n"
		if _, err := ReadCSV(strings.NewReader(csv), "t.csv", CSVOptions{}); !errors.Is(err, ErrEmptyCell) || !strings.HasPrefix(err.Error(), "t.csv:3:2 (b): ") {
			t.Errorf("%s: ReadCSV error %v; want ErrEmptyCell at t.csv:3:2", tok, err)
		}
		tb := mustTable(t, "t.csv", csv)
		s, err := Describe(tb, PrepOptions{Target: "y"})
		if err != nil || s[1].Type != Numeric || s[1].Missing != 1 {
			t.Errorf("%s: Describe column b: %+v, %v; want numeric with 1 missing", tok, s[1], err)
		}
		p, err := FitPreprocessing(tb, PrepOptions{Target: "y"})
		if err != nil {
			t.Fatalf("%s: %v", tok, err)
		}
		if c := p.Columns[1]; c.Type != Numeric || c.Median != 4 {
			t.Errorf("%s: column b %+v; want numeric, median 4 filling the missing cell", tok, c)
		}
	}
}

func TestTableSampleWeights(t *testing.T) {
	tb, err := ReadTable(strings.NewReader("x,w\n1, 2 \n2,0\n3,1e-3\n"), "ok.csv", TableOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := tb.SampleWeights("w")
	if err != nil || fmt.Sprint(w) != "[2 0 0.001]" {
		t.Fatalf("SampleWeights: %v, %v", w, err)
	}
	for _, c := range []struct{ csv, col, want string }{
		{"x,w\n1,1\n2,\n", "w", "bad.csv:3:2 (w)"},
		{"x,w\n1,NA\n", "w", "bad.csv:2:2 (w)"},
		{"x,w\n1,heavy\n", "w", "not a number"},
		{"x,w\n1,-0.5\n", "w", "not -0.5"},
		{"x,w\n1,NaN\n", "w", "bad.csv:2:2"},
		{"x,w\n1,1e999\n", "w", "too large"},
		{"x,w\n1,1\n", "weight", "no such column"},
	} {
		tb, err := ReadTable(strings.NewReader(c.csv), "bad.csv", TableOptions{})
		if err != nil {
			t.Fatal(err)
		}
		_, err = tb.SampleWeights(c.col)
		var pe *ParseError
		if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, ErrData) || !errors.As(err, &pe) {
			t.Errorf("%q column %s: %v; want a *ParseError wrapping ErrData with %q", c.csv, c.col, err, c.want)
		}
	}
}
