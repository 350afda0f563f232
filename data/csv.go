package data

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nerve-ml/nerve/tensor"
)

// ParseError reports what is wrong with the contents of a data file and
// where. Every loader of this package returns one for a problem with the
// data; it wraps ErrData and Err, so errors.Is(err, ErrData) is true.
//
// Its text reads "path:line:column (name): what is wrong", leaving out
// what is not known: "iris.csv:12:3 (petal_length): "abc" is not a
// number", "iris.csv:7: 4 fields, but the header has 5", "iris.csv: column
// 5 (species): every target is "setosa" …", "iris.csv: empty file".
type ParseError struct {
	Path       string // the file, as named to the loader
	Line       int    // 1-based line in the file (where the field starts); 0 when not about one line
	Column     int    // 1-based column (field number, not character); 0 when not about one column
	ColumnName string // name of the column, when known
	Err        error  // what is wrong
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.Path)
	switch {
	case e.Line > 0:
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	case e.Column > 0:
		fmt.Fprintf(&b, ": column %d", e.Column)
	}
	if e.ColumnName != "" {
		fmt.Fprintf(&b, " (%s)", e.ColumnName)
	}
	b.WriteString(": ")
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString(ErrData.Error())
	}
	return b.String()
}

// Unwrap returns ErrData and Err.
func (e *ParseError) Unwrap() []error { return []error{ErrData, e.Err} }

// Task says what a target column is: class labels or numbers to regress.
type Task int

const (
	// TaskAuto decides from the values of the target column: a column
	// with a value that is not a number holds class labels; a column of
	// integers (written without a decimal point or exponent) with at
	// most 50 distinct values holds class labels; any other is a
	// regression target (use TaskRegression for a small file of integer
	// targets).
	TaskAuto Task = iota
	// TaskClassification takes the target values as class labels,
	// whatever they look like.
	TaskClassification
	// TaskRegression takes the target values as numbers, which must be
	// finite.
	TaskRegression
)

// maxAutoClasses is the largest number of distinct integer targets that
// TaskAuto still takes as class labels.
const maxAutoClasses = 50

func (t Task) String() string {
	switch t {
	case TaskAuto:
		return "auto"
	case TaskClassification:
		return "classification"
	case TaskRegression:
		return "regression"
	}
	return fmt.Sprintf("Task(%d)", int(t))
}

// HeaderMode says whether the first line of a CSV file names the columns.
type HeaderMode int

const (
	// HeaderAuto decides from the file; see ReadCSV.
	HeaderAuto HeaderMode = iota
	// HeaderPresent takes the first line as column names.
	HeaderPresent
	// HeaderAbsent takes the first line as data.
	HeaderAbsent
)

func (h HeaderMode) String() string {
	switch h {
	case HeaderAuto:
		return "auto"
	case HeaderPresent:
		return "present"
	case HeaderAbsent:
		return "absent"
	}
	return fmt.Sprintf("HeaderMode(%d)", int(h))
}

// headerSample is how many lines after the first header detection looks
// at.
const headerSample = 100

// CSVOptions configures ReadCSV and LoadCSV. The zero value reads a file
// whose last column is the target, sniffing the delimiter, the header
// and the task.
type CSVOptions struct {
	// Target names the target column: a name from the header, or an
	// integer index, 0-based, where a negative index counts from the
	// end (-1 is the last column). A header name that matches wins over
	// the index reading. "" means the last column.
	Target string
	// NoTarget makes every column a feature (data to predict on); the
	// dataset then has neither Labels nor Y. Target and Task are
	// ignored.
	NoTarget bool
	// Task says whether the target holds class labels or numbers.
	Task Task
	// Comma is the field delimiter; 0 sniffs it from the start of the
	// file among ',', ';', '\t' and '|'.
	Comma rune
	// Header says whether the first line names the columns.
	Header HeaderMode
	// Float32 stores the features in Dataset.X32, each value parsed as
	// a float64 and rounded once to float32, and leaves X nil: the
	// table takes half the memory, and float32 training uses it without
	// a copy. A feature beyond float32's range is then an error
	// (ErrNotFinite).
	Float32 bool
}

func (o *CSVOptions) check() error {
	if o.Task < TaskAuto || o.Task > TaskRegression {
		return fmt.Errorf("invalid CSV options: unknown task %v", o.Task)
	}
	if o.Header < HeaderAuto || o.Header > HeaderAbsent {
		return fmt.Errorf("invalid CSV options: unknown header mode %v", o.Header)
	}
	if c := o.Comma; c != 0 && (c == '"' || c == '\r' || c == '\n' || c == utf8.RuneError || !utf8.ValidRune(c)) {
		return fmt.Errorf("invalid CSV options: %q cannot be a delimiter", c)
	}
	return nil
}

// LoadCSV reads the CSV file at path into a Dataset; see ReadCSV. A file
// that starts with the gzip magic bytes is decompressed whatever its
// name. A path that cannot be opened or read, or is a directory, gives
// the *fs.PathError that says so (which names the path, and does not
// wrap ErrData: it is not about the contents).
func LoadCSV(path string, opt CSVOptions) (*Dataset, error) {
	f, err := openFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadCSV(f, path, opt)
}

// ReadCSV reads a table of numbers from r into a Dataset named name (the
// file path, used in messages). One line is a sample; one column is a
// feature, except the target column (see CSVOptions). Input that starts
// with the gzip magic bytes is decompressed first; a UTF-8 byte order
// mark is skipped.
//
// Fields follow RFC 4180 as encoding/csv reads it: a field in double
// quotes may hold the delimiter, quotes written twice and line breaks
// (white space may come before the opening quote, not after the closing
// one). White space around a field is ignored, and lines with nothing
// but white space and delimiters are skipped. Every row must have as
// many fields as the first.
//
// With HeaderAuto, the first line is taken as a header when
//   - a field of it is not a number while the same column holds only
//     numbers (and at least one) in the next 100 lines, empty cells
//     aside; or
//   - every non-empty field of it is not a number, and some field of
//     the next 100 lines is; or
//   - it is the only line and every non-empty field of it is not a
//     number (a header with no data, which is an error).
//
// Otherwise the first line is data. A file without a header names its
// columns "col1", "col2", … by their position in the line (1-based),
// and so does a header with an empty field.
//
// Features are read as float64 and must be finite numbers. Class
// labels (Dataset.Labels) are the target fields as written in the file,
// white space trimmed; regression targets are Dataset.Y, n×1.
//
// ReadCSV returns a *ParseError (wrapping ErrData) for a problem with
// the contents: an empty file, a header without data, a row with the
// wrong number of fields, a feature that is not a finite number, an
// empty target, a target column that does not exist, a classification
// target with a single class, a quoting error. It returns an error not
// wrapping ErrData for invalid options and for a failing r.
func ReadCSV(r io.Reader, name string, opt CSVOptions) (*Dataset, error) {
	if err := opt.check(); err != nil {
		return nil, err
	}
	recs, src, err := openRecords(r, name, opt.Comma)
	if err != nil {
		return nil, err
	}

	first, err := recs.next()
	if err == io.EOF {
		return nil, &ParseError{Path: name, Err: errors.New("empty file")}
	}
	if err != nil {
		return nil, err
	}
	var sample []record
	for len(sample) < headerSample {
		rec, err := recs.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		sample = append(sample, rec)
	}
	hasHeader := opt.Header == HeaderPresent
	if opt.Header == HeaderAuto {
		hasHeader = looksLikeHeader(first.fields, sample)
	}

	t := &table{name: name, ncol: len(first.fields), firstLine: first.line, header: hasHeader, float32: opt.Float32}
	t.names = make([]string, t.ncol)
	for j := range t.names {
		if hasHeader && !utf8.ValidString(first.fields[j]) {
			return nil, &ParseError{Path: name, Line: first.lineOf(j), Column: j + 1, Err: withKind(ErrEncoding, fmt.Errorf("the column name %s is not valid UTF-8", quoteShort(first.fields[j])))}
		}
		if hasHeader && first.fields[j] != "" {
			t.names[j] = first.fields[j]
		} else {
			t.names[j] = "col" + strconv.Itoa(j+1)
		}
	}
	rows := sample
	if !hasHeader {
		rows = append([]record{first}, sample...)
	} else if len(rows) == 0 {
		return nil, &ParseError{Path: name, Line: first.line, Err: errors.New("header only: no data rows after it")}
	}

	t.target = -1
	if !opt.NoTarget {
		t.target, err = t.findTarget(opt.Target, opt.Header == HeaderAuto)
		if err != nil {
			return nil, err
		}
		if t.ncol == 1 {
			return nil, &ParseError{Path: name, Column: 1, ColumnName: t.names[0], Err: errors.New("the target is the only column: no features")}
		}
	}

	if err := feed(rows, recs, t.add); err != nil {
		return nil, gzipFirst(src, err)
	}
	d, err := t.dataset(opt.Task)
	if err != nil {
		return nil, gzipFirst(src, err)
	}
	return d, nil
}

// gzipFirst returns the error of the gzip stream src, if it is one and
// corrupt, instead of err: a flipped byte in compressed data garbles the
// text before the gzip checksum can tell, and the corruption is the news.
func gzipFirst(src io.Reader, err error) error {
	g, ok := src.(*gunzipper)
	if !ok || !errors.Is(err, ErrData) || errors.Is(err, ErrGzip) {
		return err
	}
	if _, gerr := io.Copy(io.Discard, g); gerr != nil && errors.Is(gerr, ErrGzip) {
		return gerr
	}
	return err
}

// quoteShort quotes s for a message, cut to its first 40 bytes.
func quoteShort(s string) string {
	if len(s) > 40 {
		return strconv.QuoteToASCII(s[:40]) + "…"
	}
	return strconv.QuoteToASCII(s)
}

// lineLimiter reads from r, failing with a *ParseError wrapping
// ErrLineTooLong as soon as a line is longer than MaxLineBytes.
type lineLimiter struct {
	r    io.Reader
	name string
	line int // the line being read, 1-based
	run  int // bytes of it read so far
}

func (l *lineLimiter) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	chunk := p[:n]
	i := bytes.IndexByte(chunk, '\n')
	if i < 0 {
		i = n
	}
	if l.run+i > MaxLineBytes {
		return 0, &ParseError{Path: l.name, Line: l.line, Err: withKind(ErrLineTooLong, fmt.Errorf("line longer than %d MiB: not a table, or a broken one", MaxLineBytes>>20))}
	}
	if last := bytes.LastIndexByte(chunk, '\n'); last >= 0 {
		l.line += bytes.Count(chunk, []byte{'\n'})
		l.run = n - last - 1
	} else {
		l.run += n
	}
	return n, err
}

// table collects the rows of a CSV file.
type table struct {
	name      string
	ncol      int
	names     []string
	header    bool
	firstLine int
	target    int // column of the target, or -1

	n        int
	float32  bool      // features go to x32, not x
	x        []float64 // n×features, row-major
	x32      []float32 // n×features, row-major, when float32
	targets  []string  // target field of each row
	tgtLines []int     // line of each target field
}

// findTarget returns the column of the target given as spec.
func (t *table) findTarget(spec string, auto bool) (int, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return t.ncol - 1, nil
	}
	if t.header {
		var found []int
		for j, n := range t.names {
			if n == spec {
				found = append(found, j)
			}
		}
		switch len(found) {
		case 1:
			return found[0], nil
		case 0:
		default:
			return 0, &ParseError{Path: t.name, Line: t.firstLine, Err: fmt.Errorf("target %q names %d columns (indices %s): give the target's index instead", spec, len(found), joinInts(found))}
		}
	}
	if k, err := strconv.Atoi(spec); err == nil {
		if k < -t.ncol || k >= t.ncol {
			return 0, &ParseError{Path: t.name, Err: fmt.Errorf("target column index %d is out of range: the file has %d columns (0 to %d, or -%d to -1 counting from the end)", k, t.ncol, t.ncol-1, t.ncol)}
		}
		if k < 0 {
			k += t.ncol
		}
		return k, nil
	}
	if !t.header {
		why := "the file has no header"
		if auto {
			why += " (line 1 looks like data)"
		}
		return 0, &ParseError{Path: t.name, Err: fmt.Errorf("no column named %q: %s, so give the target as a column index from 0 to %d (or -1 for the last)", spec, why, t.ncol-1)}
	}
	msg := fmt.Sprintf("no column named %q", spec)
	for _, n := range t.names {
		if strings.EqualFold(n, spec) {
			msg += fmt.Sprintf(" (did you mean %q?)", n)
			break
		}
	}
	return 0, &ParseError{Path: t.name, Err: fmt.Errorf("%s: the columns are %s", msg, shortList(t.names))}
}

// add parses one data row.
func (t *table) add(rec record) error {
	if len(rec.fields) != t.ncol {
		want := fmt.Sprintf("line %d has %d", t.firstLine, t.ncol)
		if t.header {
			want = fmt.Sprintf("the header has %d", t.ncol)
		}
		return &ParseError{Path: t.name, Line: rec.line, Err: withKind(ErrFieldCount, fmt.Errorf("%d %s, but %s", len(rec.fields), plural(len(rec.fields), "field"), want))}
	}
	for j, s := range rec.fields {
		if s != "" && isMissing(s, nil) {
			// A table reads it as a missing cell (ReadTable); here it
			// is refused as one, never read as NaN or as a class.
			return &ParseError{Path: t.name, Line: rec.lineOf(j), Column: j + 1, ColumnName: t.names[j], Err: withKind(ErrEmptyCell, fmt.Errorf("%q marks a missing value, which ReadCSV does not take (ReadTable and FitPreprocessing fill missing cells)", s))}
		}
		if j == t.target {
			if s == "" {
				return &ParseError{Path: t.name, Line: rec.lineOf(j), Column: j + 1, ColumnName: t.names[j], Err: withKind(ErrEmptyCell, errors.New("empty target cell"))}
			}
			t.targets = append(t.targets, s)
			t.tgtLines = append(t.tgtLines, rec.lineOf(j))
			continue
		}
		v, err := parseFinite(s)
		if err == nil && t.float32 && math.Abs(v) > math.MaxFloat32 {
			err = withKind(ErrNotFinite, fmt.Errorf("%q is too large for a float32", s))
		}
		if err != nil {
			if errors.Is(err, ErrNotNumber) {
				if t.target >= 0 {
					err = fmt.Errorf("%w: every column except the target (%s) must be numeric", err, t.names[t.target])
				} else {
					err = fmt.Errorf("%w: every column must be numeric", err)
				}
			} else {
				err = fmt.Errorf("%w: a feature must be a finite number", err)
			}
			return &ParseError{Path: t.name, Line: rec.lineOf(j), Column: j + 1, ColumnName: t.names[j], Err: err}
		}
		if t.float32 {
			t.x32 = append(t.x32, float32(v))
		} else {
			t.x = append(t.x, v)
		}
	}
	t.n++
	return nil
}

// dataset decides the task and returns the table as a Dataset.
func (t *table) dataset(task Task) (*Dataset, error) {
	d := &Dataset{Name: t.name}
	for j, n := range t.names {
		if j != t.target {
			d.Features = append(d.Features, n)
		}
	}
	if t.float32 {
		d.X32 = tensor.New(t.n, len(d.Features), t.x32)
	} else {
		d.X = tensor.New(t.n, len(d.Features), t.x)
	}
	if t.target < 0 {
		return d, nil
	}
	d.Target = t.names[t.target]
	if task == TaskAuto {
		task = autoTask(t.targets)
	}
	if task == TaskRegression {
		y := make([]float64, t.n)
		for i, s := range t.targets {
			v, err := parseFinite(s)
			if err != nil {
				return nil, &ParseError{Path: t.name, Line: t.tgtLines[i], Column: t.target + 1, ColumnName: d.Target, Err: fmt.Errorf("%w: a regression target must be a finite number", err)}
			}
			y[i] = v
		}
		d.Y = tensor.New(t.n, 1, y)
		return d, nil
	}
	one := true
	for _, s := range t.targets[1:] {
		if s != t.targets[0] {
			one = false
			break
		}
	}
	if one {
		return nil, &ParseError{Path: t.name, Column: t.target + 1, ColumnName: d.Target, Err: fmt.Errorf("every target is %q: classification needs at least two classes", t.targets[0])}
	}
	for i, s := range t.targets {
		if !utf8.ValidString(s) {
			return nil, &ParseError{Path: t.name, Line: t.tgtLines[i], Column: t.target + 1, ColumnName: d.Target, Err: withKind(ErrEncoding, fmt.Errorf("the class label %s is not valid UTF-8", quoteShort(s)))}
		}
	}
	d.Labels = t.targets
	return d, nil
}

// autoTask implements TaskAuto's rule.
func autoTask(targets []string) Task {
	for _, s := range targets {
		if _, err := parseFinite(s); errors.Is(err, ErrNotNumber) {
			return TaskClassification
		}
	}
	distinct := map[string]bool{}
	for _, s := range targets {
		if !isInteger(s) {
			return TaskRegression
		}
		if len(distinct) <= maxAutoClasses {
			distinct[s] = true
		}
	}
	if len(distinct) <= maxAutoClasses {
		return TaskClassification
	}
	return TaskRegression
}

// isInteger reports whether s is an optionally signed run of decimal
// digits.
func isInteger(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// looksLikeHeader implements HeaderAuto's rule (see ReadCSV) for the first
// line and a sample of the lines after it.
func looksLikeHeader(first []string, sample []record) bool {
	allText, anyText := true, false
	for _, s := range first {
		if s == "" {
			continue
		}
		if isNumber(s) {
			allText = false
		} else {
			anyText = true
		}
	}
	if len(sample) == 0 {
		return anyText && allText
	}
	for j, s := range first {
		if s == "" || isNumber(s) {
			continue
		}
		numbers, other := 0, 0
		for _, rec := range sample {
			if j >= len(rec.fields) || rec.fields[j] == "" {
				continue
			}
			if isNumber(rec.fields[j]) {
				numbers++
			} else {
				other++
			}
		}
		if numbers > 0 && other == 0 {
			return true
		}
	}
	if anyText && allText {
		for _, rec := range sample {
			for _, s := range rec.fields {
				if isNumber(s) {
					return true
				}
			}
		}
	}
	return false
}

// isNumber reports whether s reads as a float64, NaN, infinities and
// values too large for a float64 included.
func isNumber(s string) bool {
	if s == "" {
		return false
	}
	// Not parseFinite: its error would quote s, which may be long, only
	// to be thrown away.
	_, err := strconv.ParseFloat(s, 64)
	var ne *strconv.NumError
	return err == nil || errors.As(err, &ne) && ne.Err == strconv.ErrRange
}

// The errors a *ParseError wraps for a problem with one line or field,
// as encoding/csv exports ErrFieldCount and ErrQuote: errors.Is(err,
// data.ErrNotNumber) tells a text cell from the other failures.
var (
	// ErrFieldCount: a row has another number of fields than the first.
	ErrFieldCount = errors.New("wrong number of fields")
	// ErrNotNumber: a feature (or regression target) is not a number.
	ErrNotNumber = errors.New("not a number")
	// ErrNotFinite: a number is NaN, infinite or too large for a float64.
	ErrNotFinite = errors.New("not a finite number")
	// ErrEmptyCell: a feature or target field is empty or holds one of
	// the tokens that a Table reads as missing (NA, N/A, NaN, null, ?,
	// in any case): ReadCSV takes no missing values.
	ErrEmptyCell = errors.New("empty cell")
	// ErrLineTooLong: a line is longer than MaxLineBytes.
	ErrLineTooLong = errors.New("line too long")
	// ErrFieldTooLong: a field is longer than MaxFieldBytes.
	ErrFieldTooLong = errors.New("field too long")
	// ErrEncoding: a column name or class label is not valid UTF-8.
	ErrEncoding = errors.New("not valid UTF-8")
	// ErrGzip: gzip data are corrupt or cut short.
	ErrGzip = errors.New("bad gzip data")
)

// kindError is an error that keeps its own text and is also one of the
// sentinels above for errors.Is.
type kindError struct{ kind, err error }

func (e *kindError) Error() string   { return e.err.Error() }
func (e *kindError) Unwrap() []error { return []error{e.kind, e.err} }

// withKind returns err, which errors.Is also finds to be kind.
func withKind(kind, err error) error { return &kindError{kind: kind, err: err} }

// The limits that keep a loader's memory bounded on any input (a file of
// zero bytes with no line break, /dev/zero): past them it stops with
// ErrLineTooLong or ErrFieldTooLong instead of reading on.
const (
	// MaxLineBytes is the longest line a CSV file may have (a quoted
	// field's line breaks start new lines).
	MaxLineBytes = 16 << 20
	// MaxFieldBytes is the longest field a CSV file may have.
	MaxFieldBytes = 1 << 20
)

// parseFinite reads s as a finite float64. Its errors say what s is
// instead; ErrNotNumber and ErrEmptyCell are wrapped when s does not read as
// a number at all.
func parseFinite(s string) (float64, error) {
	if s == "" {
		return 0, ErrEmptyCell
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		ne, ok := err.(*strconv.NumError)
		if !ok || ne.Err != strconv.ErrRange {
			return 0, fmt.Errorf("%q is %w", s, ErrNotNumber)
		}
		if math.IsInf(v, 0) {
			return 0, withKind(ErrNotFinite, fmt.Errorf("%q is too large for a float64", s))
		}
		// Underflow to a denormal number or zero: close enough.
	}
	if math.IsNaN(v) {
		return 0, withKind(ErrNotFinite, fmt.Errorf("%q is NaN", s))
	}
	if math.IsInf(v, 0) {
		return 0, withKind(ErrNotFinite, fmt.Errorf("%q is infinite", s))
	}
	return v, nil
}

// record is one row of a CSV file with its fields trimmed.
type record struct {
	fields []string
	line   int   // line where the first field starts
	lines  []int // line of each field, or nil when all are on line
}

func (r *record) lineOf(j int) int {
	if r.lines == nil {
		return r.line
	}
	return r.lines[j]
}

// records reads the non-blank records of a CSV file.
type records struct {
	cr   *csv.Reader
	name string
}

func newRecords(r io.Reader, name string, comma rune) *records {
	cr := csv.NewReader(r)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	// TrimLeadingSpace lets `1, "a"` read; it would eat delimiters that
	// are white space.
	cr.TrimLeadingSpace = !unicode.IsSpace(comma)
	return &records{cr: cr, name: name}
}

// next returns the next record that is not blank, or io.EOF.
func (rs *records) next() (record, error) {
	for {
		fields, err := rs.cr.Read()
		if err != nil {
			return record{}, rs.wrap(err)
		}
		if blank(fields) {
			continue
		}
		rec := record{fields: fields}
		rec.line, _ = rs.cr.FieldPos(0)
		last, _ := rs.cr.FieldPos(len(fields) - 1)
		if last != rec.line {
			rec.lines = make([]int, len(fields))
			for j := range fields {
				rec.lines[j], _ = rs.cr.FieldPos(j)
			}
		}
		for j, f := range fields {
			if len(f) > MaxFieldBytes {
				return record{}, &ParseError{Path: rs.name, Line: rec.lineOf(j), Column: j + 1, Err: withKind(ErrFieldTooLong, fmt.Errorf("field longer than %d MiB", MaxFieldBytes>>20))}
			}
			fields[j] = strings.TrimSpace(f)
		}
		return rec, nil
	}
}

// blank reports whether every field is empty or white space.
func blank(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func (rs *records) wrap(err error) error {
	if err == io.EOF {
		return err
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		where := fmt.Sprintf("character %d", pe.Column)
		if pe.StartLine != pe.Line {
			where = fmt.Sprintf("in the field that starts on line %d", pe.StartLine)
		}
		return &ParseError{Path: rs.name, Line: pe.Line, Err: fmt.Errorf("%w (%s)", pe.Err, where)}
	}
	return readError(rs.name, err)
}

// readError returns err, an error of the reader a loader reads from, so
// that it names the file.
func readError(name string, err error) error {
	var pe *ParseError
	var fe *fs.PathError
	if errors.As(err, &pe) || errors.As(err, &fe) {
		return err
	}
	return fmt.Errorf("reading %s: %w", name, err)
}

// sniffBytes is how much of a file sniffComma looks at.
const sniffBytes = 64 << 10

// sniffComma returns the delimiter among ',', ';', '\t' and '|' that
// splits the first lines of br (up to 20, within 64 KiB) into the same
// number of fields, at least two; when several do, the one that gives
// the most numeric fields, then the most fields, then the first in that
// order. When none does (a ragged file), it returns the one that splits
// the first line into the most fields, at least two, and else ','.
func sniffComma(br *bufio.Reader) rune {
	sample, err := br.Peek(sniffBytes)
	truncated := err == nil
	if truncated {
		if i := bytes.LastIndexByte(sample, '\n'); i >= 0 {
			sample = sample[:i+1]
		}
	}
	best, bestNums, bestFields := ',', -1, 0
	ragged, raggedFields := ',', 1
	for _, c := range []rune{',', ';', '\t', '|'} {
		cr := csv.NewReader(bytes.NewReader(sample))
		cr.Comma = c
		cr.FieldsPerRecord = -1
		cr.TrimLeadingSpace = !unicode.IsSpace(c)
		fields, nums, n := 0, 0, 0
		ok := true
		for n < 20 {
			rec, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				// A truncated sample can cut a quoted field.
				ok = truncated && n >= 2
				break
			}
			if blank(rec) {
				continue
			}
			if n == 0 {
				fields = len(rec)
				if fields > raggedFields {
					ragged, raggedFields = c, fields
				}
			} else if len(rec) != fields {
				ok = false
				break
			}
			for _, f := range rec {
				if isNumber(strings.TrimSpace(f)) {
					nums++
				}
			}
			n++
		}
		if !ok || n == 0 || fields < 2 {
			continue
		}
		if nums > bestNums || nums == bestNums && fields > bestFields {
			best, bestNums, bestFields = c, nums, fields
		}
	}
	if bestNums < 0 {
		return ragged
	}
	return best
}

// openFile opens path for a loader, refusing a directory.
func openFile(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if fi.IsDir() {
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: path, Err: errors.New("is a directory, not a data file")}
	}
	return f, nil
}

// decompress returns a reader of the contents of r: r itself, or r
// decompressed when it starts with the gzip magic bytes. The reader
// returns a *ParseError for corrupt gzip data, and the errors of r
// unchanged; the error of decompress itself is wrapped by readError.
func decompress(r io.Reader, name string) (io.Reader, error) {
	s := &source{r: r}
	br := bufio.NewReaderSize(s, 64<<10)
	magic, _ := br.Peek(2)
	if s.err != nil {
		return nil, readError(name, s.err)
	}
	if len(magic) < 2 || magic[0] != 0x1f || magic[1] != 0x8b {
		return br, nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, readError(name, gzipError(s, name, err))
	}
	return &gunzipper{zr: zr, src: s, name: name}, nil
}

// source remembers the error that the reader it wraps returned, other
// than io.EOF, and keeps returning it.
type source struct {
	r   io.Reader
	err error
}

func (s *source) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.r.Read(p)
	if err != nil && err != io.EOF {
		s.err = err
	}
	return n, err
}

// gunzipper reads a gzip stream, telling a corrupt stream (ParseError)
// from a failing source.
type gunzipper struct {
	zr   *gzip.Reader
	src  *source
	name string
	err  error
}

func (g *gunzipper) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.zr.Read(p)
	if err != nil && err != io.EOF {
		err = gzipError(g.src, g.name, err)
		g.err = err
	}
	return n, err
}

// gzipError returns the error of src if it failed, or else a *ParseError
// for err, an error of the gzip reader.
func gzipError(src *source, name string, err error) error {
	if src.err != nil {
		return src.err
	}
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		return &ParseError{Path: name, Err: withKind(ErrGzip, errors.New("truncated gzip data"))}
	}
	return &ParseError{Path: name, Err: withKind(ErrGzip, fmt.Errorf("corrupt gzip data: %w", err))}
}

// shortList joins names with commas, leaving out the middle of a long
// list.
func shortList(names []string) string {
	const max = 12
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s, … %s (%d columns)", strings.Join(names[:max-2], ", "), names[len(names)-1], len(names))
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, k := range v {
		s[i] = strconv.Itoa(k)
	}
	return strings.Join(s, ", ")
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// feed passes the records already read (rows), then every record left in
// recs, to add, stopping at the first error.
func feed(rows []record, recs *records, add func(record) error) error {
	for _, rec := range rows {
		if err := add(rec); err != nil {
			return err
		}
	}
	for {
		rec, err := recs.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := add(rec); err != nil {
			return err
		}
	}
}
