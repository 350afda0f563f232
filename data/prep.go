package data

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/nerve-ml/nerve/tensor"
)

// ColumnType says how a Preprocessing turns a column into network inputs.
type ColumnType int

const (
	// Numeric columns hold numbers: a missing cell gets the training
	// median, then the column is standardised, x′ = (x − Mean) / Scale.
	Numeric ColumnType = iota + 1
	// Categorical columns hold categories: each becomes one input that
	// is 1 for its rows and 0 for the others (one-hot encoding).
	Categorical
)

func (c ColumnType) String() string {
	switch c {
	case Numeric:
		return "numeric"
	case Categorical:
		return "categorical"
	}
	return fmt.Sprintf("ColumnType(%d)", int(c))
}

// MarshalText writes "numeric" or "categorical".
func (c ColumnType) MarshalText() ([]byte, error) {
	if c != Numeric && c != Categorical {
		return nil, fmt.Errorf("%w: unknown column type %d", ErrData, int(c))
	}
	return []byte(c.String()), nil
}

// UnmarshalText reads "numeric" or "categorical".
func (c *ColumnType) UnmarshalText(b []byte) error {
	switch string(b) {
	case "numeric":
		*c = Numeric
	case "categorical":
		*c = Categorical
	default:
		return fmt.Errorf("%w: unknown column type %q, want numeric or categorical", ErrData, b)
	}
	return nil
}

// MarshalText writes the task's name, "classification" or "regression".
func (t Task) MarshalText() ([]byte, error) {
	if t != TaskClassification && t != TaskRegression {
		return nil, fmt.Errorf("%w: task %v cannot be stored", ErrData, t)
	}
	return []byte(t.String()), nil
}

// UnmarshalText reads "classification" or "regression".
func (t *Task) UnmarshalText(b []byte) error {
	switch string(b) {
	case "classification":
		*t = TaskClassification
	case "regression":
		*t = TaskRegression
	default:
		return fmt.Errorf("%w: unknown task %q, want classification or regression", ErrData, b)
	}
	return nil
}

// MaxCategories is the most distinct categories FitPreprocessing accepts
// in one feature column: more would build an input layer as wide as a
// column of identifiers, which is better dropped.
const MaxCategories = 10000

// MissingCategory is the name that Preprocessing.Features gives the input
// of a categorical column's missing cells.
const MissingCategory = "(missing)"

// MinMissingCategory is the fewest missing training cells for which
// FitPreprocessing gives a categorical column's missing cells an input
// of their own (MissingCategory), unless they are at least a tenth of
// the rows; with fewer, they take the most frequent category
// (PrepColumn.Fill). The weights of an input are
// learned from the rows where it is 1: from one to a few rows they fit
// those rows' targets, noise included, and every later missing cell
// inherits that fit. On carData's Prestige (split 1 of bench/tables.sh)
// the one training row whose type is missing gave the "(missing)" input
// a weight that predicted 12.5 for a test row of true prestige 44.1,
// costing 0.24 of R²; filling with the most frequent type, as
// scikit-learn's SimpleImputer(most_frequent) does, predicts it as an
// ordinary row. Ten rows is a floor for learning one weight; a tenth of
// the rows keeps a mostly empty column of a small table (a deck known
// for a few passengers) from being filled with, and swamping, its most
// frequent category. BENCHMARKS.md records the tables measured with
// this rule.
const MinMissingCategory = 10

// PrepOptions configures FitPreprocessing and Describe. The zero value
// takes every column as a feature, with types detected from the cells.
type PrepOptions struct {
	// Target names the target column, left out of the features; ""
	// means none (a table to predict on).
	Target string
	// Task says what the target holds; TaskAuto decides as ReadCSV
	// does.
	Task Task
	// Categorical and Numeric name columns whose detected type is
	// overridden. A Numeric column must hold only numbers and missing
	// cells.
	Categorical, Numeric []string
	// Drop names columns left out. Features, when not empty, names the
	// only columns used, in the table's order.
	Drop, Features []string
	// NA adds cell values read as missing, besides the empty cell and
	// NA, N/A, NaN, null and ? (all without regard to case).
	NA []string
}

// Preprocessing is what FitPreprocessing learned from a training table:
// which columns are features, their types, the values that fill missing
// cells, the categories and the scaling. Transform applies exactly these
// steps to any table that has the columns, so that training and
// prediction see the same inputs. It is stored in JSON in a model file's
// header.
//
// Missing cells of a numeric column get the training median (robust to
// the outliers real tables have). Missing cells of a categorical column
// that had at least MinMissingCategory of them in training, or at least
// a tenth of the rows, form a category of their own (MissingCategory):
// that keeps what missingness
// says (a cabin number not recorded), and never makes a rare category
// out of a mostly empty column. With fewer (none included), a missing
// cell, in training and at prediction alike, takes the column's most
// frequent training category (PrepColumn.Fill; of equally frequent ones,
// the first in byte order), as scikit-learn's
// SimpleImputer(most_frequent) does: a category learned from a handful
// of rows fits their noise, and every later missing cell would inherit
// it. A category never seen in training gives all zeros and is counted
// in the TransformReport, as is a missing cell of a column stored
// without Missing or Fill (models written before Fill existed).
//
// Rare categories are not pooled: every category seen in training gets
// its own input, as scikit-learn's OneHotEncoder does by default (the
// pipeline bench/tables.sh compares with). Only a column of more than
// MaxCategories categories is refused, with a hint to drop it.
type Preprocessing struct {
	Target  string       `json:"target,omitempty"` // target column, "" if none
	Task    Task         `json:"task,omitzero"`    // TaskClassification or TaskRegression, with Target
	NA      []string     `json:"na,omitempty"`     // extra missing-cell tokens (PrepOptions.NA)
	Columns []PrepColumn `json:"columns"`          // the features, in input order
	// Notes say what FitPreprocessing left out or found suspicious,
	// one line each (a dropped constant column, an identifier-like
	// column). They are not stored.
	Notes []string `json:"-"`
}

// PrepColumn is the fitted preprocessing of one feature column.
type PrepColumn struct {
	Name string     `json:"name"`
	Type ColumnType `json:"type"`
	// Numeric: the median that fills missing cells, and the mean and
	// scale (population standard deviation, 1 for a constant column)
	// of the column after filling.
	Median float64 `json:"median,omitempty"`
	Mean   float64 `json:"mean,omitempty"`
	Scale  float64 `json:"scale,omitempty"`
	// Categorical: the categories in byte order of their text (as Go's
	// sort.Strings and scikit-learn's OneHotEncoder order them), one
	// input each, then one input for missing cells if Missing. Fill,
	// when not "", is the category (one of Categories) that a missing
	// cell takes instead; at most one of Missing and Fill is set, and
	// with neither (files written before Fill existed) a missing cell
	// gives all zeros.
	Categories []string `json:"categories,omitempty"`
	Missing    bool     `json:"missing,omitempty"`
	Fill       string   `json:"fill,omitempty"`
}

// width is the number of inputs the column becomes.
func (c *PrepColumn) width() int {
	if c.Type == Numeric {
		return 1
	}
	if c.Missing {
		return len(c.Categories) + 1
	}
	return len(c.Categories)
}

// Width returns the number of network inputs Transform produces.
func (p *Preprocessing) Width() int {
	w := 0
	for i := range p.Columns {
		w += p.Columns[i].width()
	}
	return w
}

// Features returns the name of every input Transform produces: a numeric
// column's name, and "column=category" for each category of a
// categorical column (and "column=(missing)").
func (p *Preprocessing) Features() []string {
	var names []string
	for _, c := range p.Columns {
		if c.Type == Numeric {
			names = append(names, c.Name)
			continue
		}
		for _, k := range c.Categories {
			names = append(names, c.Name+"="+k)
		}
		if c.Missing {
			names = append(names, c.Name+"="+MissingCategory)
		}
	}
	return names
}

// MissingTokens returns the cell values Transform reads as missing: the
// empty cell, NA, N/A, NaN, null, ? and p.NA (trimmed of white space),
// each once. A cell is missing when it equals one of them without regard
// to case (strings.EqualFold).
func (p *Preprocessing) MissingTokens() []string {
	tokens := append([]string{""}, missingTokens...)
	for _, m := range p.NA {
		m = strings.TrimSpace(m)
		if !slices.ContainsFunc(tokens, func(t string) bool { return strings.EqualFold(t, m) }) {
			tokens = append(tokens, m)
		}
	}
	return tokens
}

// colProfile is what one pass over a column finds.
type colProfile struct {
	j        int
	typ      ColumnType
	missing  int
	counts   map[string]int // non-missing cells by value
	values   []float64      // the non-missing numbers, for a numeric column
	notNum   int            // row of the first cell that is not a number, or -1
	badNum   int            // row of the first number that is not finite, or -1
	badErr   error          // what is wrong with it
	integers bool           // every non-missing cell is an integer
}

// profile reads column j of t; force is the type asked for, or 0.
func profile(t *Table, j int, force ColumnType, na []string) *colProfile {
	p := &colProfile{j: j, counts: map[string]int{}, notNum: -1, badNum: -1, integers: true}
	for i, row := range t.Rows {
		s := row[j]
		if isMissing(s, na) {
			p.missing++
			continue
		}
		p.counts[s]++
		if p.notNum >= 0 {
			continue
		}
		v, err := parseFinite(s)
		switch {
		case errors.Is(err, ErrNotNumber):
			p.notNum = i
		case err != nil:
			if p.badNum < 0 {
				p.badNum, p.badErr = i, err
			}
		default:
			p.values = append(p.values, v)
			p.integers = p.integers && isInteger(s)
		}
	}
	p.typ = force
	if force == 0 {
		p.typ = Numeric
		if p.notNum >= 0 {
			p.typ = Categorical
		}
	}
	return p
}

// identifier reports whether the column looks like a row identifier: at
// least 10 rows, none missing, all distinct, and either text or integers
// that count through a range (1, 2, 3, … in any order).
func (p *colProfile) identifier(rows int) bool {
	if rows < 10 || p.missing > 0 || len(p.counts) != rows {
		return false
	}
	if p.typ == Categorical {
		return p.notNum >= 0
	}
	if !p.integers {
		return false
	}
	lo, hi := slices.Min(p.values), slices.Max(p.values)
	return hi-lo+1 == float64(rows)
}

// check returns the error that makes the column unusable as a feature,
// or nil.
func (p *colProfile) check(t *Table) error {
	switch {
	case p.missing == len(t.Rows):
		return t.errColumn(p.j, errors.New("every cell is missing: drop the column"))
	case p.typ == Numeric && p.notNum >= 0:
		s := t.Rows[p.notNum][p.j]
		return t.errAt(p.notNum, p.j, fmt.Errorf("%q is %w: the column is numeric (treat it as categorical or add the value to the missing-value tokens)", s, ErrNotNumber))
	case p.typ == Numeric && p.badNum >= 0:
		return t.errAt(p.badNum, p.j, fmt.Errorf("%w: a numeric cell must be a finite number or missing", p.badErr))
	case p.typ == Categorical && len(p.counts) > MaxCategories:
		return t.errColumn(p.j, fmt.Errorf("%d distinct categories, more than %d: drop the column (it looks like free text or an identifier)", len(p.counts), MaxCategories))
	}
	return nil
}

// median returns the median of v, which it sorts: the middle value, or
// the mean of the two middle values.
func median(v []float64) float64 {
	slices.Sort(v)
	n := len(v)
	if n%2 == 1 {
		return v[n/2]
	}
	return (v[n/2-1] + v[n/2]) / 2
}

// fit returns the fitted preprocessing of the column.
func (p *colProfile) fit(t *Table) PrepColumn {
	c := PrepColumn{Name: t.Columns[p.j], Type: p.typ}
	if p.typ == Categorical {
		c.Categories = make([]string, 0, len(p.counts))
		for k := range p.counts {
			c.Categories = append(c.Categories, k)
		}
		slices.Sort(c.Categories)
		if p.missing >= MinMissingCategory || 10*p.missing >= len(t.Rows) {
			c.Missing = true
			return c
		}
		// The most frequent category, the first in byte order of equals.
		for _, k := range c.Categories {
			if c.Fill == "" || p.counts[k] > p.counts[c.Fill] {
				c.Fill = k
			}
		}
		return c
	}
	n := float64(len(t.Rows))
	c.Median = median(slices.Clone(p.values))
	sum := c.Median * float64(p.missing)
	for _, v := range p.values {
		sum += v
	}
	c.Mean = sum / n
	d := c.Median - c.Mean
	ss := d * d * float64(p.missing)
	for _, v := range p.values {
		d := v - c.Mean
		ss += d * d
	}
	c.Scale = math.Sqrt(ss / n)
	if c.Scale == 0 || math.IsInf(c.Scale, 0) || math.IsNaN(c.Scale) {
		c.Scale = 1
	}
	return c
}

// plan is what FitPreprocessing and Describe decide for each column.
type plan struct {
	target int                // column of the target, or -1
	use    []bool             // column is a feature
	why    []string           // why a column is not a feature
	force  map[int]ColumnType // overridden types
}

// columnSet returns the indices of the columns named in names, or an
// error naming the option and the column that t lacks.
func columnSet(t *Table, option string, names []string) (map[int]bool, error) {
	set := map[int]bool{}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		j := t.Column(n)
		if j < 0 {
			return nil, &ParseError{Path: t.Name, Err: fmt.Errorf("%s names column %q, which the table lacks: the columns are %s", option, n, shortList(t.Columns))}
		}
		set[j] = true
	}
	return set, nil
}

// makePlan applies the column choices of opt to t.
func makePlan(t *Table, opt *PrepOptions) (*plan, error) {
	pl := &plan{target: -1, use: make([]bool, len(t.Columns)), why: make([]string, len(t.Columns)), force: map[int]ColumnType{}}
	if opt.Task < TaskAuto || opt.Task > TaskRegression {
		return nil, fmt.Errorf("invalid preprocessing options: unknown task %v", opt.Task)
	}
	if opt.Target != "" {
		if pl.target = t.Column(opt.Target); pl.target < 0 {
			return nil, &ParseError{Path: t.Name, Err: fmt.Errorf("no target column named %q: the columns are %s", opt.Target, shortList(t.Columns))}
		}
	}
	cat, err := columnSet(t, "categorical", opt.Categorical)
	if err != nil {
		return nil, err
	}
	num, err := columnSet(t, "numeric", opt.Numeric)
	if err != nil {
		return nil, err
	}
	drop, err := columnSet(t, "drop", opt.Drop)
	if err != nil {
		return nil, err
	}
	only, err := columnSet(t, "features", opt.Features)
	if err != nil {
		return nil, err
	}
	for j := range t.Columns {
		if cat[j] && num[j] {
			return nil, t.errColumn(j, errors.New("named both categorical and numeric"))
		}
		if cat[j] {
			pl.force[j] = Categorical
		}
		if num[j] {
			pl.force[j] = Numeric
		}
		switch {
		case j == pl.target:
			pl.why[j] = "target"
		case drop[j]:
			pl.why[j] = "dropped as asked"
		case len(only) > 0 && !only[j]:
			pl.why[j] = "not among the features asked for"
		default:
			pl.use[j] = true
		}
	}
	return pl, nil
}

// FitPreprocessing learns from t how to turn its feature columns into
// network inputs; see Preprocessing. A column's type is numeric when
// every non-missing cell is a number, categorical otherwise (so "4", "6",
// "rotary" is categorical), unless opt says otherwise. A column with a
// single distinct value and no missing cell is dropped with a note; a
// column that looks like a row identifier (all distinct text, or
// integers counting through a range) is kept with a note suggesting to
// drop it.
//
// It returns a *ParseError wrapping ErrData, naming the file, line and
// column, for: a column (target or feature) whose every cell is missing;
// a missing target cell; a classification target with a single class; a
// regression target that is not a finite number; a cell of a numeric
// column that is not a finite number (Inf, or text in a column asked to
// be numeric); a categorical feature column with more than
// MaxCategories categories; a table with no feature columns left; and a
// column named in opt that t lacks.
func FitPreprocessing(t *Table, opt PrepOptions) (*Preprocessing, error) {
	pl, err := makePlan(t, &opt)
	if err != nil {
		return nil, err
	}
	p := &Preprocessing{NA: opt.NA}
	if pl.target >= 0 {
		p.Target = t.Columns[pl.target]
		if p.Task, err = fitTarget(t, pl.target, opt.Task, opt.NA); err != nil {
			return nil, err
		}
	}
	for j := range t.Columns {
		if !pl.use[j] {
			continue
		}
		cp := profile(t, j, pl.force[j], opt.NA)
		if err := cp.check(t); err != nil {
			return nil, err
		}
		if len(cp.counts) == 1 && cp.missing == 0 {
			p.Notes = append(p.Notes, fmt.Sprintf("column %q is constant (%q): dropped", t.Columns[j], t.Rows[0][j]))
			continue
		}
		if cp.identifier(len(t.Rows)) {
			p.Notes = append(p.Notes, fmt.Sprintf("column %q looks like an identifier (every value distinct): drop it if it is one", t.Columns[j]))
		}
		p.Columns = append(p.Columns, cp.fit(t))
	}
	if len(p.Columns) == 0 {
		return nil, &ParseError{Path: t.Name, Err: errors.New("no feature columns left to train on")}
	}
	return p, nil
}

// fitTarget checks the target column j of t and returns its task.
func fitTarget(t *Table, j int, task Task, na []string) (Task, error) {
	cells := make([]string, len(t.Rows))
	for i, row := range t.Rows {
		if isMissing(row[j], na) {
			if len(t.Rows) > 0 && allMissing(t, j, na) {
				return 0, t.errColumn(j, errors.New("every target cell is missing"))
			}
			return 0, t.errAt(i, j, fmt.Errorf("missing target (%q): drop the rows without a target", row[j]))
		}
		cells[i] = row[j]
	}
	if task == TaskAuto {
		task = autoTask(cells)
	}
	if task == TaskRegression {
		for i, s := range cells {
			if _, err := parseFinite(s); err != nil {
				return 0, t.errAt(i, j, fmt.Errorf("%w: a regression target must be a finite number", err))
			}
		}
		return task, nil
	}
	for _, s := range cells[1:] {
		if s != cells[0] {
			return task, nil
		}
	}
	return 0, t.errColumn(j, fmt.Errorf("every target is %q: classification needs at least two classes", cells[0]))
}

func allMissing(t *Table, j int, na []string) bool {
	for _, row := range t.Rows {
		if !isMissing(row[j], na) {
			return false
		}
	}
	return true
}

// TransformReport says what Transform met that training had not.
type TransformReport struct {
	// Unseen counts, by column, the cells that got all zeros: a
	// category not seen in training, or a missing cell in a column
	// stored with neither Missing nor Fill.
	Unseen map[string]int
}

// Total returns the number of cells counted in Unseen.
func (r TransformReport) Total() int {
	n := 0
	for _, k := range r.Unseen {
		n += k
	}
	return n
}

// Transform returns the network inputs of the rows of t: t.Len() ×
// p.Width(), one block of columns per PrepColumn. Columns are found by
// name; t may have others (the target among them), which are ignored. t
// is not modified.
//
// It returns a *ParseError wrapping ErrData for a column that t lacks and
// for a numeric cell that is not a finite number or missing.
func (p *Preprocessing) Transform(t *Table) (*tensor.Dense[float64], TransformReport, error) {
	var rep TransformReport
	src := make([]int, len(p.Columns))
	for k, c := range p.Columns {
		if src[k] = t.Column(c.Name); src[k] < 0 {
			return nil, rep, &ParseError{Path: t.Name, ColumnName: c.Name, Err: fmt.Errorf("the column is missing, and the model needs it: the columns are %s", shortList(t.Columns))}
		}
	}
	X := tensor.Zeros[float64](len(t.Rows), p.Width())
	index := make([]map[string]int, len(p.Columns))
	fill := make([]int, len(p.Columns)) // input of column k's Fill, or -1
	for k, c := range p.Columns {
		fill[k] = -1
		if c.Type == Categorical {
			index[k] = make(map[string]int, len(c.Categories))
			for i, s := range c.Categories {
				index[k][s] = i
				if s == c.Fill {
					fill[k] = i
				}
			}
		}
	}
	for i, row := range t.Rows {
		x := X.Row(i)
		off := 0
		for k := range p.Columns {
			c := &p.Columns[k]
			s := row[src[k]]
			missing := isMissing(s, p.NA)
			switch {
			case c.Type == Numeric:
				v := c.Median
				if !missing {
					var err error
					if v, err = parseFinite(s); err != nil {
						return nil, rep, t.errAt(i, src[k], fmt.Errorf("%w: the column is numeric, so a cell must be a finite number or missing", err))
					}
				}
				x[off] = (v - c.Mean) / c.Scale
			case missing && c.Missing:
				x[off+len(c.Categories)] = 1
			case missing && fill[k] >= 0:
				x[off+fill[k]] = 1
			default:
				if at, ok := index[k][s]; ok && !missing {
					x[off+at] = 1
				} else {
					if rep.Unseen == nil {
						rep.Unseen = map[string]int{}
					}
					rep.Unseen[c.Name]++
				}
			}
			off += c.width()
		}
	}
	return X, rep, nil
}

// Dataset returns the table as a Dataset: X from Transform, named by
// Features, and the targets from p.Target (Labels for classification,
// Y for regression). It returns a *ParseError wrapping ErrData for what
// Transform refuses, for a table without the target column, for a
// missing target cell and for a regression target that is not a finite
// number.
func (p *Preprocessing) Dataset(t *Table) (*Dataset, TransformReport, error) {
	X, rep, err := p.Transform(t)
	if err != nil {
		return nil, rep, err
	}
	d := &Dataset{Name: t.Name, Features: p.Features(), Target: p.Target, X: X}
	if p.Target == "" {
		return d, rep, nil
	}
	j := t.Column(p.Target)
	if j < 0 {
		return nil, rep, &ParseError{Path: t.Name, ColumnName: p.Target, Err: errors.New("the target column is missing")}
	}
	y := make([]float64, 0, len(t.Rows))
	for i, row := range t.Rows {
		s := row[j]
		if isMissing(s, p.NA) {
			return nil, rep, t.errAt(i, j, fmt.Errorf("missing target (%q): drop the rows without a target", s))
		}
		if p.Task == TaskClassification {
			d.Labels = append(d.Labels, s)
			continue
		}
		v, err := parseFinite(s)
		if err != nil {
			return nil, rep, t.errAt(i, j, fmt.Errorf("%w: a regression target must be a finite number", err))
		}
		y = append(y, v)
	}
	if p.Task == TaskRegression {
		d.Y = tensor.New(len(y), 1, y)
	}
	return d, rep, nil
}

// Validate returns an error wrapping ErrData if p could not have come
// from FitPreprocessing: no columns, an empty or repeated name, an
// unknown type, a value that is not finite, a scale that is not
// positive, categories that are not distinct and in byte order, a
// categorical column with no input, a Fill that is not one of the
// column's categories or comes with Missing, or a target without a task.
func (p *Preprocessing) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: preprocessing: %s", ErrData, fmt.Sprintf(format, a...))
	}
	if len(p.Columns) == 0 {
		return bad("no columns")
	}
	if p.Target != "" && p.Task != TaskClassification && p.Task != TaskRegression {
		return bad("target %q has task %v", p.Target, p.Task)
	}
	seen := map[string]bool{}
	for k, c := range p.Columns {
		if c.Name == "" || seen[c.Name] || c.Name == p.Target {
			return bad("column %d: name %q is empty, repeated or the target's", k+1, c.Name)
		}
		seen[c.Name] = true
		switch c.Type {
		case Numeric:
			for _, v := range []float64{c.Median, c.Mean, c.Scale} {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return bad("column %q: %v is not a finite number", c.Name, v)
				}
			}
			if !(c.Scale > 0) {
				return bad("column %q: scale %v, want a positive number", c.Name, c.Scale)
			}
			if len(c.Categories) > 0 || c.Missing || c.Fill != "" {
				return bad("column %q is numeric but has categories", c.Name)
			}
		case Categorical:
			if c.width() == 0 {
				return bad("column %q has no categories", c.Name)
			}
			if !slices.IsSortedFunc(c.Categories, func(a, b string) int { return cmp.Compare(a, b) }) || len(slices.Compact(slices.Clone(c.Categories))) != len(c.Categories) {
				return bad("column %q: categories not distinct and in byte order", c.Name)
			}
			if _, found := slices.BinarySearch(c.Categories, c.Fill); c.Fill != "" && (c.Missing || !found) {
				return bad("column %q: fill %q is not one of its categories, or comes with missing", c.Name, c.Fill)
			}
		default:
			return bad("column %q: unknown type %v", c.Name, c.Type)
		}
	}
	return nil
}

// String returns one line per column: its name, type and fitted values.
func (p *Preprocessing) String() string {
	var b strings.Builder
	for _, c := range p.Columns {
		if c.Type == Numeric {
			fmt.Fprintf(&b, "%s: numeric, missing → %s, (x − %s) / %s\n", c.Name, fmtFloat(c.Median), fmtFloat(c.Mean), fmtFloat(c.Scale))
			continue
		}
		miss := c.missingAction()
		word := "categories"
		if len(c.Categories) == 1 {
			word = "category"
		}
		fmt.Fprintf(&b, "%s: categorical, %d %s (%s), %s\n", c.Name, len(c.Categories), word, firstFew(c.Categories, 8), miss)
	}
	return b.String()
}

// missingAction says what becomes of a missing cell of the categorical
// column c.
func (c *PrepColumn) missingAction() string {
	switch {
	case c.Missing:
		return "missing → " + MissingCategory
	case c.Fill != "":
		return fmt.Sprintf("missing → %q (most frequent)", c.Fill)
	}
	return "missing → all zeros"
}

func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }

// firstFew joins the first n of v with commas, then says how many more.
func firstFew(v []string, n int) string {
	if len(v) <= n {
		return strings.Join(v, ", ")
	}
	return fmt.Sprintf("%s, … %d more", strings.Join(v[:n], ", "), len(v)-n)
}
