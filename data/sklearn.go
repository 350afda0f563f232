package data

import (
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/nerve-ml/nerve/tensor"
)

// LoadSklearn reads one of the classification tables that scikit-learn
// bundles as CSV (sklearn/datasets/data/): comma-separated rows of
// features followed by an integer class index, no column names. A file
// that starts with the gzip magic bytes is decompressed first.
//
// iris.csv, wine_data.csv and breast_cancer.csv start with a line
// "n_samples,n_features,<class names…>": LoadSklearn checks the counts
// against the rows and labels each sample with the name of its class.
// digits.csv.gz has no such line: its labels are the class indices as
// decimal strings. The first line is taken as the counts line when its
// first two fields are non-negative integers and it names a class that
// is not a number, has no class names at all, or has another number of
// fields than the line after it.
//
// Features are named "col1" … "colN" and the target "class". Problems
// with the contents are *ParseError (wrapping ErrData); a path that
// cannot be opened or is a directory gives an *fs.PathError.
func LoadSklearn(path string) (*Dataset, error) {
	f, err := openFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readSklearn(f, path)
}

// readSklearn is LoadSklearn on the contents of a file named name.
func readSklearn(r io.Reader, name string) (*Dataset, error) {
	src, err := decompress(r, name)
	if err != nil {
		return nil, err
	}
	recs := newRecords(src, name, ',')
	first, err := recs.next()
	if err == io.EOF {
		return nil, &ParseError{Path: name, Err: errors.New("empty file")}
	}
	if err != nil {
		return nil, err
	}
	second, err := recs.next()
	if err != nil && err != io.EOF {
		return nil, err
	}
	hasSecond := err == nil

	s := &sklearnTable{name: name, samples: -1}
	var rows []record
	if isCountsLine(first.fields, second.fields, hasSecond) {
		s.samples, _ = strconv.Atoi(first.fields[0])
		s.features, _ = strconv.Atoi(first.fields[1])
		s.classes = first.fields[2:]
		s.countsLine = first.line
		if s.features < 1 {
			return nil, &ParseError{Path: name, Line: first.line, Column: 2, Err: fmt.Errorf("%d features declared, want at least 1", s.features)}
		}
		seen := map[string]int{}
		for k, c := range s.classes {
			if c == "" {
				return nil, &ParseError{Path: name, Line: first.line, Column: k + 3, Err: fmt.Errorf("class %d has an empty name", k)}
			}
			if j, dup := seen[c]; dup {
				return nil, &ParseError{Path: name, Line: first.line, Column: k + 3, Err: fmt.Errorf("classes %d and %d are both named %q", j, k, c)}
			}
			seen[c] = k
		}
	} else {
		s.features = len(first.fields) - 1
		if s.features < 1 {
			return nil, &ParseError{Path: name, Line: first.line, Err: errors.New("1 field: want features, then the class index")}
		}
		rows = append(rows, first)
	}
	if hasSecond {
		rows = append(rows, second)
	}
	if err := feed(rows, recs, s.add); err != nil {
		return nil, err
	}
	if s.n == 0 {
		return nil, &ParseError{Path: name, Line: first.line, Err: errors.New("no data rows")}
	}
	if s.samples >= 0 && s.samples != s.n {
		return nil, &ParseError{Path: name, Line: s.countsLine, Column: 1, Err: fmt.Errorf("%d samples declared, but the file has %d", s.samples, s.n)}
	}
	d := &Dataset{
		Name:     name,
		Features: make([]string, s.features),
		Target:   "class",
		X:        tensor.New(s.n, s.features, s.x),
		Labels:   s.labels,
	}
	for j := range d.Features {
		d.Features[j] = "col" + strconv.Itoa(j+1)
	}
	return d, nil
}

// isCountsLine reports whether first is a line
// "n_samples,n_features,<class names…>"; second is the line after it, if
// any.
func isCountsLine(first, second []string, hasSecond bool) bool {
	if len(first) < 2 {
		return false
	}
	for _, s := range first[:2] {
		if k, err := strconv.Atoi(s); err != nil || k < 0 {
			return false
		}
	}
	if len(first) == 2 || hasSecond && len(second) != len(first) {
		return true
	}
	for _, s := range first[2:] {
		if !isNumber(s) {
			return true
		}
	}
	return false
}

// sklearnTable collects the rows of a scikit-learn CSV file.
type sklearnTable struct {
	name       string
	features   int
	classes    []string // names from the counts line, or nil
	samples    int      // samples declared in the counts line, or -1
	countsLine int

	n      int
	x      []float64
	labels []string
	names  map[int]string // label of each class index without names
}

func (s *sklearnTable) add(rec record) error {
	if len(rec.fields) != s.features+1 {
		want := fmt.Sprintf("the first row has %d", s.features+1)
		if s.samples >= 0 {
			want = fmt.Sprintf("line %d declares %d features and a class", s.countsLine, s.features)
		}
		return &ParseError{Path: s.name, Line: rec.line, Err: fmt.Errorf("%d %s, but %s", len(rec.fields), plural(len(rec.fields), "field"), want)}
	}
	for j, f := range rec.fields[:s.features] {
		v, err := parseFinite(f)
		if err != nil {
			return &ParseError{Path: s.name, Line: rec.lineOf(j), Column: j + 1, ColumnName: "col" + strconv.Itoa(j+1), Err: fmt.Errorf("%w: a feature must be a finite number", err)}
		}
		s.x = append(s.x, v)
	}
	j := s.features
	f := rec.fields[j]
	fail := func(err error) error {
		return &ParseError{Path: s.name, Line: rec.lineOf(j), Column: j + 1, ColumnName: "class", Err: err}
	}
	k, err := strconv.Atoi(f)
	if err != nil || k < 0 {
		return fail(fmt.Errorf("%q is not a class index (an integer from 0)", f))
	}
	if s.samples >= 0 && len(s.classes) > 0 {
		if k >= len(s.classes) {
			return fail(fmt.Errorf("class index %d is out of range: line %d names %d classes (0 to %d)", k, s.countsLine, len(s.classes), len(s.classes)-1))
		}
		s.labels = append(s.labels, s.classes[k])
	} else {
		l, ok := s.names[k]
		if !ok {
			if s.names == nil {
				s.names = map[int]string{}
			}
			l = strconv.Itoa(k)
			s.names[k] = l
		}
		s.labels = append(s.labels, l)
	}
	s.n++
	return nil
}
