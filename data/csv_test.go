package data

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"github.com/nerve-ml/nerve/tensor"
)

// csvWant is what a CSV test expects to read.
type csvWant struct {
	features []string
	target   string
	x        [][]float64
	labels   []string  // classification
	y        []float64 // regression
}

func TestReadCSV(t *testing.T) {
	tests := []struct {
		name string
		in   string
		opt  CSVOptions
		want csvWant
	}{
		{
			name: "comma header string target",
			in:   "a,b,kind\n1,2,cat\n3,4,dog\n",
			want: csvWant{[]string{"a", "b"}, "kind", [][]float64{{1, 2}, {3, 4}}, []string{"cat", "dog"}, nil},
		},
		{
			name: "semicolon",
			in:   "a;b;kind\n1.5;-2;cat\n3e2;4;dog\n",
			want: csvWant{[]string{"a", "b"}, "kind", [][]float64{{1.5, -2}, {300, 4}}, []string{"cat", "dog"}, nil},
		},
		{
			name: "tab",
			in:   "a\tb\tkind\n1\t2\tcat\n3\t4\tdog\n",
			want: csvWant{[]string{"a", "b"}, "kind", [][]float64{{1, 2}, {3, 4}}, []string{"cat", "dog"}, nil},
		},
		{
			name: "pipe",
			in:   "a|b|kind\n1|2|cat\n3|4|dog\n",
			want: csvWant{[]string{"a", "b"}, "kind", [][]float64{{1, 2}, {3, 4}}, []string{"cat", "dog"}, nil},
		},
		{
			name: "quoted fields with delimiters and newlines",
			in:   "\"a,1\",b,kind\n1,\"2\",\"x, y\"\n3,4,\"two\nlines\"\n5,6,\"say \"\"hi\"\"\"\n",
			want: csvWant{[]string{"a,1", "b"}, "kind", [][]float64{{1, 2}, {3, 4}, {5, 6}}, []string{"x, y", "two\nlines", `say "hi"`}, nil},
		},
		{
			name: "spaces around fields",
			in:   " a , b ,kind\n 1 , \"2\",  cat \n3,4 ,dog\n",
			want: csvWant{[]string{"a", "b"}, "kind", [][]float64{{1, 2}, {3, 4}}, []string{"cat", "dog"}, nil},
		},
		{
			name: "tab keeps empty-looking alignment",
			in:   "a\tb\tkind\n 1\t 2\tcat\n3 \t4\t dog\n",
			want: csvWant{[]string{"a", "b"}, "kind", [][]float64{{1, 2}, {3, 4}}, []string{"cat", "dog"}, nil},
		},
		{
			name: "BOM CRLF and blank lines",
			in:   "\xEF\xBB\xBFa,b,kind\r\n\r\n1,2,cat\r\n   \r\n3,4,dog\r\n\r\n",
			want: csvWant{[]string{"a", "b"}, "kind", [][]float64{{1, 2}, {3, 4}}, []string{"cat", "dog"}, nil},
		},
		{
			name: "no header: numbered names, integer target is classification",
			in:   "1,2,0\n3,4,1\n5,6,1\n",
			want: csvWant{[]string{"col1", "col2"}, "col3", [][]float64{{1, 2}, {3, 4}, {5, 6}}, []string{"0", "1", "1"}, nil},
		},
		{
			name: "header absent, target first",
			in:   "0,1,2\n1,3,4\n",
			opt:  CSVOptions{Header: HeaderAbsent, Target: "0"},
			want: csvWant{[]string{"col2", "col3"}, "col1", [][]float64{{1, 2}, {3, 4}}, []string{"0", "1"}, nil},
		},
		{
			name: "header present although numeric",
			in:   "1,2,3\n4,5,6\n7,8,9\n",
			opt:  CSVOptions{Header: HeaderPresent},
			want: csvWant{[]string{"1", "2"}, "3", [][]float64{{4, 5}, {7, 8}}, []string{"6", "9"}, nil},
		},
		{
			name: "target by name in the middle",
			in:   "a,kind,b\n1,cat,2\n3,dog,4\n",
			opt:  CSVOptions{Target: "kind"},
			want: csvWant{[]string{"a", "b"}, "kind", [][]float64{{1, 2}, {3, 4}}, []string{"cat", "dog"}, nil},
		},
		{
			name: "target by index",
			in:   "kind,a,b\ncat,1,2\ndog,3,4\n",
			opt:  CSVOptions{Target: "0"},
			want: csvWant{[]string{"a", "b"}, "kind", [][]float64{{1, 2}, {3, 4}}, []string{"cat", "dog"}, nil},
		},
		{
			name: "target by negative index",
			in:   "a,kind,b\n1,cat,2\n3,dog,4\n",
			opt:  CSVOptions{Target: "-2"},
			want: csvWant{[]string{"a", "b"}, "kind", [][]float64{{1, 2}, {3, 4}}, []string{"cat", "dog"}, nil},
		},
		{
			name: "name wins over index",
			in:   "a,0,b\n1,cat,2\n3,dog,4\n",
			opt:  CSVOptions{Target: "0"},
			want: csvWant{[]string{"a", "b"}, "0", [][]float64{{1, 2}, {3, 4}}, []string{"cat", "dog"}, nil},
		},
		{
			name: "float target is regression",
			in:   "a,y\n1,0.5\n2,1.5\n3,2\n",
			want: csvWant{[]string{"a"}, "y", [][]float64{{1}, {2}, {3}}, nil, []float64{0.5, 1.5, 2}},
		},
		{
			name: "non-numeric target beats a float",
			in:   "a,y\n1,0.5\n2,b\n",
			want: csvWant{[]string{"a"}, "y", [][]float64{{1}, {2}}, []string{"0.5", "b"}, nil},
		},
		{
			name: "integer target forced to regression",
			in:   "a,y\n1,1\n2,2\n",
			opt:  CSVOptions{Task: TaskRegression},
			want: csvWant{[]string{"a"}, "y", [][]float64{{1}, {2}}, nil, []float64{1, 2}},
		},
		{
			name: "float target forced to classification",
			in:   "a,y\n1,0.5\n2,1.0\n",
			opt:  CSVOptions{Task: TaskClassification},
			want: csvWant{[]string{"a"}, "y", [][]float64{{1}, {2}}, []string{"0.5", "1.0"}, nil},
		},
		{
			name: "no target",
			in:   "a,b\n1,2\n3,4\n",
			opt:  CSVOptions{NoTarget: true, Target: "nonsense"},
			want: csvWant{[]string{"a", "b"}, "", [][]float64{{1, 2}, {3, 4}}, nil, nil},
		},
		{
			name: "no target single column",
			in:   "a\n1\n3\n",
			opt:  CSVOptions{NoTarget: true},
			want: csvWant{[]string{"a"}, "", [][]float64{{1}, {3}}, nil, nil},
		},
		{
			name: "pandas index column with empty header",
			in:   ",a,kind\n0,1.5,x\n1,2.5,y\n",
			want: csvWant{[]string{"col1", "a"}, "kind", [][]float64{{0, 1.5}, {1, 2.5}}, []string{"x", "y"}, nil},
		},
		{
			name: "hex, signs and underflow are numbers",
			in:   "a,b,y\n+1,0x1p-2,u\n-0,1e-400,v\n",
			want: csvWant{[]string{"a", "b"}, "y", [][]float64{{1, 0.25}, {0, 0}}, []string{"u", "v"}, nil},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ReadCSV(strings.NewReader(tt.in), "t.csv", tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			checkDataset(t, d, "t.csv", tt.want)
		})
	}
}

func checkDataset(t *testing.T, d *Dataset, name string, want csvWant) {
	t.Helper()
	if d.Name != name {
		t.Errorf("Name = %q; want %q", d.Name, name)
	}
	if !slices.Equal(d.Features, want.features) {
		t.Errorf("Features = %q; want %q", d.Features, want.features)
	}
	if d.Target != want.target {
		t.Errorf("Target = %q; want %q", d.Target, want.target)
	}
	if wantX := tensor.FromRows(want.x); !tensor.Equal(d.X, wantX) {
		t.Errorf("X = %v; want %v", d.X, wantX)
	}
	if !slices.Equal(d.Labels, want.labels) || (d.Labels == nil) != (want.labels == nil) {
		t.Errorf("Labels = %q; want %q", d.Labels, want.labels)
	}
	switch {
	case want.y == nil && d.Y != nil:
		t.Errorf("Y = %v; want nil", d.Y)
	case want.y != nil && d.Y == nil:
		t.Errorf("Y = nil; want %v", want.y)
	case want.y != nil:
		if r, c := d.Y.Dims(); r != len(want.y) || c != 1 || !slices.Equal(d.Y.Data(), want.y) {
			t.Errorf("Y = %v; want %v (n×1)", d.Y, want.y)
		}
	}
}

// TestReadCSVAutoTask checks the boundary of TaskAuto's class count.
func TestReadCSVAutoTask(t *testing.T) {
	build := func(distinct int, suffix string) string {
		var b strings.Builder
		b.WriteString("x,y\n")
		for i := range distinct {
			b.WriteString(strconv.Itoa(i) + "," + strconv.Itoa(i) + suffix + "\n")
		}
		b.WriteString("0,0" + suffix + "\n")
		return b.String()
	}
	tests := []struct {
		in   string
		want Task
	}{
		{build(2, ""), TaskClassification},
		{build(50, ""), TaskClassification},
		{build(51, ""), TaskRegression},
		{build(5, ".0"), TaskRegression},
		{build(5, "e0"), TaskRegression},
		{"x,y\n1,-1\n2,+1\n", TaskClassification},
		{"x,y\n1,1\n2,1.5\n3,a\n", TaskClassification},
	}
	for _, tt := range tests {
		d, err := ReadCSV(strings.NewReader(tt.in), "t.csv", CSVOptions{})
		if err != nil {
			t.Fatalf("%.30q: %v", tt.in, err)
		}
		got := TaskRegression
		if d.Classification() {
			got = TaskClassification
		}
		if got != tt.want {
			t.Errorf("%.30q…: task %v; want %v", tt.in, got, tt.want)
		}
	}
}

func TestLooksLikeHeader(t *testing.T) {
	rows := func(lines ...string) []record {
		var rs []record
		for _, l := range lines {
			rs = append(rs, record{fields: strings.Split(l, ",")})
		}
		return rs
	}
	tests := []struct {
		first  string
		sample []record
		want   bool
	}{
		{"a,b,c", rows("1,2,x", "3,4,y"), true},             // a column text over numbers
		{"1,2,x", rows("1,2,x", "3,4,y"), false},            // numbers where the data has numbers
		{"a,b", rows("x,y", "z,w"), false},                  // all text: nothing to tell
		{"a,b", rows("x,1", "2,y"), true},                   // all text, numbers below
		{"a,b", nil, true},                                  // a lone line of text
		{"a,1", nil, false},                                 // a lone line with a number
		{",a", rows(",1"), true},                            // empty fields are no evidence
		{"a,b", rows(",", ","), false},                      // nothing but empty cells below
		{"nan,x", rows("1,a", "2,b"), false},                // "nan" reads as a number
		{"a,2", rows("1,x", "b,y"), false},                  // text over mixed, and a number in line 1
		{"a,2,c", rows("1", "2"), true},                     // short rows still count
		{"id,x", rows("q,1", "r,2"), true},                  // x is the evidence
		{"q,1", rows("r,2", "s,3"), false},                  // same shape as data
		{"a,b", rows("1e999,2"), true},                      // too large is still a number
		{"1e999,b", rows("3,x"), false},                     // …in line 1 too
		{"-,b", rows("1,y"), true},                          // "-" is not a number
		{"a", rows("1", "2", "3"), true},                    // a single column
		{"0x1p4,b", rows("1,y"), false},                     // hexadecimal floats read
		{"a,b", rows("1,2", "x,3"), true},                   // b is numeric throughout
		{"a,b", rows("1,z", "x,3"), true},                   // rule 2
		{"a,b", rows("y,z", "x,w"), false},                  // all text everywhere
		{"1,2", rows("a,b"), false},                         // numbers over text
		{"", rows("1"), false},                              // an empty first line (one empty field)
		{"  ", nil, false},                                  // white space is empty after trimming, but not here
		{"α,β", rows("1,2"), true},                          // any text
		{"true,false", rows("1,0"), true},                   // booleans are text
		{"Inf,b", rows("1,2"), true},                        // b is the evidence
		{"Inf,NaN", rows("1,2"), false},                     // both read as numbers
		{"1_000,b", rows("1,2"), true},                      // underscores do not read
		{"a,b", rows("1"), true},                            // short row
		{"a,b", rows("x"), false},                           // short row of text
		{"a,b", rows("x,1,2,3"), true},                      // long row
		{"x", rows(""), false},                              // nothing below
		{"x", rows("", "y"), false},                         // text below
		{"x", rows("", "2"), true},                          // a number below
		{"x,y", rows("1,", ",2", "3,4", ",,", "5,6"), true}, // empties in the data
	}
	for _, tt := range tests {
		first := strings.Split(tt.first, ",")
		for i := range first {
			first[i] = strings.TrimSpace(first[i])
		}
		if got := looksLikeHeader(first, tt.sample); got != tt.want {
			t.Errorf("looksLikeHeader(%q, %v) = %v; want %v", tt.first, tt.sample, got, tt.want)
		}
	}
}

func TestSniffComma(t *testing.T) {
	tests := []struct {
		in   string
		want rune
	}{
		{"a,b,c\n1,2,3\n", ','},
		{"a;b;c\n1;2;3\n", ';'},
		{"a\tb\tc\n1\t2\t3\n", '\t'},
		{"a|b|c\n1|2|3\n", '|'},
		{"a;b\n\"1,5\";2\n", ';'},                           // comma inside quotes
		{"a,b\n1,\"x;y\"\n", ','},                           // semicolon inside quotes
		{"a b,c\n1 2,3\n", ','},                             // spaces are not a candidate
		{"x,y;z\n1,2;3\n", ','},                             // as many fields: more numbers win
		{"x;y;z\n1,5;2;3\n", ';'},                           // more fields
		{"a\n1\n", ','},                                     // one column
		{"", ','},                                           // nothing
		{"a;b;c\n1;2\n3;4;5\n", ';'},                        // ragged: the first line decides
		{"a|b\n1|2\n", '|'},                                 // pipe
		{"a,b,c\n" + strings.Repeat("1,2,3\n", 20000), ','}, // past the sniffed prefix
	}
	for _, tt := range tests {
		got := sniffComma(bufioReader(tt.in))
		if got != tt.want {
			t.Errorf("sniffComma(%.40q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// TestReadCSVSniffLongQuoted checks that a quoted field cut at the end of
// the sniffed prefix does not spoil the sniffing.
func TestReadCSVSniffLongQuoted(t *testing.T) {
	var b strings.Builder
	b.WriteString("a;b;kind\n")
	for b.Len() < sniffBytes-100 {
		b.WriteString("1;2;x\n")
	}
	b.WriteString("3;4;\"" + strings.Repeat("long\n", 100) + "\"\n")
	d, err := ReadCSV(strings.NewReader(b.String()), "t.csv", CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Labels[len(d.Labels)-1]; got != strings.TrimSpace(strings.Repeat("long\n", 100)) {
		t.Errorf("last label %.20q…", got)
	}
}

func TestReadCSVErrors(t *testing.T) {
	long := "x,y\n1,1\n"
	var cols []string
	for j := range 30 {
		cols = append(cols, "f"+strconv.Itoa(j+1))
	}
	wide := strings.Join(cols, ",") + "\n" + strings.Repeat("1,", 29) + "1\n"
	tests := []struct {
		name string
		in   string
		opt  CSVOptions
		line int
		col  int
		want string // the whole message
	}{
		{"empty file", "", CSVOptions{}, 0, 0, `t.csv: empty file`},
		{"blank file", "\n  \n\t\n", CSVOptions{}, 0, 0, `t.csv: empty file`},
		{"header only", "a,b,c\n", CSVOptions{}, 1, 0, `t.csv:1: header only: no data rows after it`},
		{"header only forced", "1,2,3\n", CSVOptions{Header: HeaderPresent}, 1, 0, `t.csv:1: header only: no data rows after it`},
		{"ragged short", "a,b,c\n1,2,x\n4,5\n", CSVOptions{}, 3, 0, `t.csv:3: 2 fields, but the header has 3`},
		{"ragged long", "1,2,3\n4,5,6,7\n", CSVOptions{}, 2, 0, `t.csv:2: 4 fields, but line 1 has 3`},
		{"ragged one", "\n\n1,2,3\n4\n", CSVOptions{Comma: ','}, 4, 0, `t.csv:4: 1 field, but line 3 has 3`},
		{"not a number", "a,b,c\n1,2,x\n3,abc,y\n", CSVOptions{}, 3, 2, `t.csv:3:2 (b): "abc" is not a number: every column except the target (c) must be numeric`},
		{"not a number, no target", "a,b\n1,x\n", CSVOptions{NoTarget: true}, 2, 2, `t.csv:2:2 (b): "x" is not a number: every column must be numeric`},
		{"NaN", "a,b,c\n1,2,x\nNaN,4,y\n", CSVOptions{}, 3, 1, `t.csv:3:1 (a): "NaN" marks a missing value, which ReadCSV does not take (ReadTable and FitPreprocessing fill missing cells)`},
		{"Inf", "a,b,c\n1,2,x\n3,-Inf,y\n", CSVOptions{}, 3, 2, `t.csv:3:2 (b): "-Inf" is infinite: a feature must be a finite number`},
		{"overflow", "a,b,c\n1,2,x\n3,1e400,y\n", CSVOptions{}, 3, 2, `t.csv:3:2 (b): "1e400" is too large for a float64: a feature must be a finite number`},
		{"empty cell", "a,b,c\n1,2,x\n3,,y\n", CSVOptions{}, 3, 2, `t.csv:3:2 (b): empty cell: a feature must be a finite number`},
		{"empty cell, tab", "a\tb\tkind\n1\t2\tx\n1\t\tcat\n", CSVOptions{}, 3, 2, `t.csv:3:2 (b): empty cell: a feature must be a finite number`},
		{"empty quoted cell", "a,b,c\n1,2,x\n3,\" \",y\n", CSVOptions{}, 3, 2, `t.csv:3:2 (b): empty cell: a feature must be a finite number`},
		{"line after a multi-line field", "a,b,c\n1,2,\"x\ny\"\n3,q,z\n", CSVOptions{}, 4, 2, `t.csv:4:2 (b): "q" is not a number: every column except the target (c) must be numeric`},
		{"field on its own line", "a,b,c\n1,\"\n\n5\",x\n1,\"\n\nw\",z\n", CSVOptions{}, 5, 2, `t.csv:5:2 (b): "w" is not a number: every column except the target (c) must be numeric`},
		{"no header: numbered name", "1,2,3\n4,x,6\n", CSVOptions{}, 2, 2, `t.csv:2:2 (col2): "x" is not a number: every column except the target (col3) must be numeric`},
		{"unknown target", "a,b,kind\n1,2,x\n3,4,y\n", CSVOptions{Target: "species"}, 0, 0, `t.csv: no column named "species": the columns are a, b, kind`},
		{"unknown target, other case", "a,b,Kind\n1,2,x\n3,4,y\n", CSVOptions{Target: "kind"}, 0, 0, `t.csv: no column named "kind" (did you mean "Kind"?): the columns are a, b, Kind`},
		{"unknown target, many columns", wide, CSVOptions{Target: "g"}, 0, 0, `t.csv: no column named "g": the columns are f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, … f30 (30 columns)`},
		{"unknown target, no header", "1,2,3\n4,5,6\n", CSVOptions{Target: "kind"}, 0, 0, `t.csv: no column named "kind": the file has no header (line 1 looks like data), so give the target as a column index from 0 to 2 (or -1 for the last)`},
		{"unknown target, header absent", "a,b,c\n", CSVOptions{Target: "a", Header: HeaderAbsent}, 0, 0, `t.csv: no column named "a": the file has no header, so give the target as a column index from 0 to 2 (or -1 for the last)`},
		{"target index too large", "a,b,c\n1,2,x\n", CSVOptions{Target: "3"}, 0, 0, `t.csv: target column index 3 is out of range: the file has 3 columns (0 to 2, or -3 to -1 counting from the end)`},
		{"target index too small", "a,b,c\n1,2,x\n", CSVOptions{Target: "-4"}, 0, 0, `t.csv: target column index -4 is out of range: the file has 3 columns (0 to 2, or -3 to -1 counting from the end)`},
		{"target names two columns", "a,y,y\n1,2,x\n3,4,y\n", CSVOptions{Target: "y"}, 1, 0, `t.csv:1: target "y" names 2 columns (indices 1, 2): give the target's index instead`},
		{"single class", "a,b,kind\n1,2,cat\n3,4,cat\n", CSVOptions{}, 0, 3, `t.csv: column 3 (kind): every target is "cat": classification needs at least two classes`},
		{"single integer class", "a,b\n1,7\n3,7\n", CSVOptions{}, 0, 2, `t.csv: column 2 (b): every target is "7": classification needs at least two classes`},
		{"single sample", "a,b\n1,x\n", CSVOptions{}, 0, 2, `t.csv: column 2 (b): every target is "x": classification needs at least two classes`},
		{"empty target", "a,b,kind\n1,2,cat\n3,4,\n", CSVOptions{}, 3, 3, `t.csv:3:3 (kind): empty target cell`},
		{"regression target not a number", "a,y\n1,2.5\n2,x\n", CSVOptions{Task: TaskRegression}, 3, 2, `t.csv:3:2 (y): "x" is not a number: a regression target must be a finite number`},
		{"regression target NaN", "a,y\n1,2.5\n2,nan\n", CSVOptions{}, 3, 2, `t.csv:3:2 (y): "nan" marks a missing value, which ReadCSV does not take (ReadTable and FitPreprocessing fill missing cells)`},
		{"regression target Inf", "a,y\n1,2.5\n2,+Inf\n", CSVOptions{Task: TaskRegression}, 3, 2, `t.csv:3:2 (y): "+Inf" is infinite: a regression target must be a finite number`},
		{"only the target", "y\n1\n2\n", CSVOptions{}, 0, 1, `t.csv: column 1 (y): the target is the only column: no features`},
		{"comma given", "a;b;c\n1;2;3\n4;5;6\n", CSVOptions{Comma: ','}, 0, 1, `t.csv: column 1 (col1): the target is the only column: no features`},
		{"header absent although text", "x,y\n1,2\n", CSVOptions{Header: HeaderAbsent, NoTarget: true}, 1, 1, `t.csv:1:1 (col1): "x" is not a number: every column must be numeric`},
		{"header by rule 2", "name,kind\n-,1\n2,x\n", CSVOptions{Target: "name"}, 3, 2, `t.csv:3:2 (kind): "x" is not a number: every column except the target (name) must be numeric`},
		{"bare quote", "a,b,c\n1,2,x\n1,2\"3,y\n", CSVOptions{}, 3, 0, `t.csv:3: bare " in non-quoted-field (character 4)`},
		{"unclosed quote", "a,b,c\n1,2,x\n1,\"2,y\n4,5,z\n", CSVOptions{}, 4, 0, `t.csv:4: extraneous or missing " in quoted-field (in the field that starts on line 3)`},
		{"gzip cut", "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xffjunk", CSVOptions{}, 0, 0, `t.csv: truncated gzip data`},
		{"gzip checksum", string(badChecksum(t, []byte(long))), CSVOptions{}, 0, 0, `t.csv: corrupt gzip data: gzip: invalid checksum`},
		{"gzip deflate", string(badDeflate(t, []byte(long))), CSVOptions{}, 0, 0, `t.csv: corrupt gzip data: flate: corrupt input before offset 1`},
		{"delimiters only", ",,\n , \n,\t,\n", CSVOptions{}, 0, 0, `t.csv: empty file`},
		{"gzip header", "\x1f\x8bxx", CSVOptions{}, 0, 0, `t.csv: truncated gzip data`},
		{"gzip header bad", "\x1f\x8bxxxxxxxxxxxxxx", CSVOptions{}, 0, 0, `t.csv: corrupt gzip data: gzip: invalid header`},
		{"gzip truncated", string(gzipBytes(t, []byte(long))[:20]), CSVOptions{}, 0, 0, `t.csv: truncated gzip data`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ReadCSV(strings.NewReader(tt.in), "t.csv", tt.opt)
			if err == nil {
				t.Fatalf("no error; read %d samples", d.Len())
			}
			if !errors.Is(err, ErrData) {
				t.Errorf("%v: does not wrap ErrData", err)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("%v (%T) is not a *ParseError", err, err)
			}
			if pe.Path != "t.csv" || pe.Line != tt.line || pe.Column != tt.col {
				t.Errorf("at %s:%d:%d; want t.csv:%d:%d", pe.Path, pe.Line, pe.Column, tt.line, tt.col)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n  %s\nwant\n  %s", err, tt.want)
			}
		})
	}
}

func TestReadCSVOptionErrors(t *testing.T) {
	for _, opt := range []CSVOptions{
		{Task: 3},
		{Task: -1},
		{Header: 3},
		{Comma: '"'},
		{Comma: '\n'},
		{Comma: -5},
		{Comma: 0xD800},
		{Comma: utf8.RuneError},
	} {
		_, err := ReadCSV(strings.NewReader("a,b\n1,2\n3,4\n"), "t.csv", opt)
		if err == nil || errors.Is(err, ErrData) || !strings.HasPrefix(err.Error(), "invalid CSV options: ") {
			t.Errorf("%+v: err = %v; want an option error without ErrData", opt, err)
		}
	}
}

func TestReadCSVReaderError(t *testing.T) {
	boom := errors.New("boom")
	for _, r := range []io.Reader{
		iotest.ErrReader(boom),
		io.MultiReader(strings.NewReader("a,b\n1,2\n"), iotest.ErrReader(boom)),
		io.MultiReader(bytes.NewReader(gzipBytes(t, []byte("a,b\n1,2\n"))[:15]), iotest.ErrReader(boom)),
		iotest.OneByteReader(io.MultiReader(strings.NewReader("a,b\n1,2\n"), iotest.ErrReader(boom))),
	} {
		_, err := ReadCSV(r, "t.csv", CSVOptions{})
		if !errors.Is(err, boom) || errors.Is(err, ErrData) {
			t.Errorf("err = %v; want boom, without ErrData", err)
		}
		if err != nil && err.Error() != "reading t.csv: boom" {
			t.Errorf("err = %q; want %q", err, "reading t.csv: boom")
		}
	}
}

func TestReadCSVGzip(t *testing.T) {
	in := "a;b;kind\n1;2;cat\n3;4;dog\n"
	d, err := ReadCSV(bytes.NewReader(gzipBytes(t, []byte(in))), "t.csv.gz", CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkDataset(t, d, "t.csv.gz", csvWant{[]string{"a", "b"}, "kind", [][]float64{{1, 2}, {3, 4}}, []string{"cat", "dog"}, nil})
}

func TestLoadCSV(t *testing.T) {
	dir := t.TempDir()
	in := "a,b,kind\n1,2,cat\n3,4,dog\n"
	plain := filepath.Join(dir, "t.csv")
	gz := filepath.Join(dir, "t.dat") // no .gz: the magic bytes decide
	if err := os.WriteFile(plain, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(gz, gzipBytes(t, []byte(in)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{plain, gz} {
		d, err := LoadCSV(p, CSVOptions{Target: "kind"})
		if err != nil {
			t.Fatal(err)
		}
		checkDataset(t, d, p, csvWant{[]string{"a", "b"}, "kind", [][]float64{{1, 2}, {3, 4}}, []string{"cat", "dog"}, nil})
	}

	_, err := LoadCSV(dir, CSVOptions{})
	var pe *fs.PathError
	if !errors.As(err, &pe) || pe.Path != dir || errors.Is(err, ErrData) {
		t.Errorf("LoadCSV(dir): %v; want a *fs.PathError naming it", err)
	}
	if want := "open " + dir + ": is a directory, not a data file"; err == nil || err.Error() != want {
		t.Errorf("LoadCSV(dir): %v; want %s", err, want)
	}
	missing := filepath.Join(dir, "missing.csv")
	_, err = LoadCSV(missing, CSVOptions{})
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("LoadCSV(missing): %v; want fs.ErrNotExist naming the path", err)
	}

	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("a,b\n1,x\n2,y\n3,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = LoadCSV(bad, CSVOptions{})
	if want := bad + ":4:2 (b): empty target cell"; err == nil || err.Error() != want {
		t.Errorf("LoadCSV(bad): %v; want %s", err, want)
	}
}

// TestReadCSVIris reads the embedded iris table and compares it with
// Iris.
func TestReadCSVIris(t *testing.T) {
	d, err := ReadCSV(bytes.NewReader(irisCSV), "iris.csv", CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := Iris()
	if !tensor.Equal(d.X, want.X) || !slices.Equal(d.Labels, want.Labels) || !slices.Equal(d.Features, want.Features) || d.Target != want.Target || d.Y != nil {
		t.Errorf("ReadCSV(iris.csv) differs from Iris()")
	}
}

func TestParseErrorText(t *testing.T) {
	msg := errors.New("what")
	tests := []struct {
		e    ParseError
		want string
	}{
		{ParseError{Path: "f", Err: msg}, "f: what"},
		{ParseError{Path: "f", Line: 3, Err: msg}, "f:3: what"},
		{ParseError{Path: "f", Line: 3, Column: 2, Err: msg}, "f:3:2: what"},
		{ParseError{Path: "f", Line: 3, Column: 2, ColumnName: "b", Err: msg}, "f:3:2 (b): what"},
		{ParseError{Path: "f", Column: 2, ColumnName: "b", Err: msg}, "f: column 2 (b): what"},
		{ParseError{Path: "f"}, "f: invalid data"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("%+v: %q; want %q", tt.e, got, tt.want)
		}
		if !errors.Is(&tt.e, ErrData) {
			t.Errorf("%+v does not wrap ErrData", tt.e)
		}
	}
	if e := (&ParseError{Err: msg}); !errors.Is(e, msg) {
		t.Errorf("ParseError does not wrap its Err")
	}
}

// FuzzReadCSV checks that ReadCSV never panics, fails only with a
// *ParseError, and returns a consistent dataset otherwise.
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("a,b,kind\n1,2,cat\n3,4,dog\n"), "", uint8(0))
	f.Add([]byte("1;2;0\n3;4;1\n"), "-1", uint8(9))
	f.Add([]byte("\"a\nb\",c\n1,\"x,y\"\n2,z\n"), "c", uint8(4))
	f.Add(gzipBytes(f, []byte("a\tb\n1\t2\n3\t4\n")), "0", uint8(19))
	f.Fuzz(func(t *testing.T, in []byte, target string, mode uint8) {
		opt := fuzzCSVOptions(target, mode)
		d, err := ReadCSV(bytes.NewReader(in), "f.csv", opt)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || !errors.Is(err, ErrData) {
				t.Fatalf("%v (%T): not a *ParseError wrapping ErrData", err, err)
			}
			if pe.Line < 0 || pe.Column < 0 || pe.Path != "f.csv" {
				t.Fatalf("bad position in %#v", pe)
			}
			return
		}
		checkFuzzDataset(t, d, opt.NoTarget)
	})
}

// fuzzCSVOptions spreads mode over the options.
func fuzzCSVOptions(target string, mode uint8) CSVOptions {
	return CSVOptions{
		Target:   target,
		Header:   HeaderMode(mode % 3),
		Task:     Task(mode / 3 % 3),
		NoTarget: mode/9%2 == 1,
		Comma:    []rune{0, ',', ';', '\t', '|', ' '}[int(mode/18)%6],
	}
}

func checkFuzzDataset(t *testing.T, d *Dataset, noTarget bool) {
	t.Helper()
	n, c := d.X.Dims()
	if n < 1 || c < 1 || c != len(d.Features) {
		t.Fatalf("X is %s with %d feature names", d.X.Shape(), len(d.Features))
	}
	for _, v := range d.X.Data() {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("X holds %v", v)
		}
	}
	for _, f := range d.Features {
		if f == "" {
			t.Fatalf("empty feature name in %q", d.Features)
		}
	}
	switch {
	case noTarget:
		if d.Labels != nil || d.Y != nil || d.Target != "" {
			t.Fatalf("targets without a target column")
		}
	case d.Labels != nil:
		if d.Y != nil || len(d.Labels) != n {
			t.Fatalf("%d labels for %d samples, Y %v", len(d.Labels), n, d.Y)
		}
		distinct := map[string]bool{}
		for _, l := range d.Labels {
			if l == "" {
				t.Fatalf("empty label")
			}
			distinct[l] = true
		}
		if len(distinct) < 2 {
			t.Fatalf("one class: %q", d.Labels)
		}
	case d.Y != nil:
		if r, c := d.Y.Dims(); r != n || c != 1 {
			t.Fatalf("Y is %s for %d samples", d.Y.Shape(), n)
		}
		for _, v := range d.Y.Data() {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("Y holds %v", v)
			}
		}
	default:
		t.Fatalf("neither labels nor Y")
	}
}

// badChecksum returns b gzipped with a wrong CRC-32.
func badChecksum(t testing.TB, b []byte) []byte {
	z := gzipBytes(t, b)
	z[len(z)-8] ^= 0xFF
	return z
}

// badDeflate returns b gzipped with a deflate block of a reserved type.
func badDeflate(t testing.TB, b []byte) []byte {
	z := gzipBytes(t, b)
	z[10] |= 0x06 // BTYPE 11
	return z
}

func bufioReader(s string) *bufio.Reader {
	return bufio.NewReaderSize(strings.NewReader(s), sniffBytes)
}

func gzipBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
