package data

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Table is a mixed-type table as it comes: a header of column names and
// rows of text cells, numbers, categories and missing values alike. It is
// what FitPreprocessing learns from and what Preprocessing.Transform turns
// into network inputs. Cells are kept as written (white space trimmed);
// nothing is parsed until a Preprocessing decides what each column is.
type Table struct {
	Name    string     // where the table came from, for messages
	Columns []string   // column names, distinct
	Rows    [][]string // one row per sample, one cell per column
	Lines   []int      // line of each row in its file; nil for a table built in code
}

// TableOptions configures ReadTable and LoadTable. The zero value sniffs
// the delimiter.
type TableOptions struct {
	// Comma is the field delimiter; 0 sniffs it among ',', ';', '\t'
	// and '|' (see ReadCSV).
	Comma rune
}

// NewTable returns a table named name (for messages; "" reads "table")
// with the given columns and rows, checking that the column names are
// distinct and not empty and that every row has one cell per column. It
// copies neither argument; cells are trimmed of white space in place.
// Its errors are *ParseError values wrapping ErrData, naming the row
// (1-based) as the line.
func NewTable(name string, columns []string, rows [][]string) (*Table, error) {
	if name == "" {
		name = "table"
	}
	t := &Table{Name: name, Columns: columns, Rows: rows}
	if err := t.checkColumns(0); err != nil {
		return nil, err
	}
	for i, row := range rows {
		if len(row) != len(columns) {
			return nil, &ParseError{Path: name, Line: i + 1, Err: fmt.Errorf("%d %s, but the table has %d columns", len(row), plural(len(row), "cell"), len(columns))}
		}
		for j := range row {
			row[j] = strings.TrimSpace(row[j])
		}
	}
	return t, nil
}

// checkColumns refuses an empty column name and a name given twice;
// line is the header's line in the file, 0 for a table built in code.
func (t *Table) checkColumns(line int) error {
	if len(t.Columns) == 0 {
		return &ParseError{Path: t.Name, Line: line, Err: errors.New("no columns")}
	}
	seen := make(map[string]int, len(t.Columns))
	for j, c := range t.Columns {
		if c == "" {
			return &ParseError{Path: t.Name, Line: line, Column: j + 1, Err: errors.New("empty column name: every column needs a name")}
		}
		if k, ok := seen[c]; ok {
			return &ParseError{Path: t.Name, Line: line, Column: j + 1, ColumnName: c, Err: fmt.Errorf("column name given twice (columns %d and %d)", k+1, j+1)}
		}
		seen[c] = j
	}
	return nil
}

// LoadTable reads the CSV file at path into a Table; see ReadTable.
func LoadTable(path string, opt TableOptions) (*Table, error) {
	f, err := openFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadTable(f, path, opt)
}

// ReadTable reads a CSV file with a header line from r into a Table named
// name (the file path, used in messages). The fields follow the rules of
// ReadCSV (RFC 4180 quoting, gzip, byte order mark, blank lines skipped),
// but the first line is always the header, and no cell is parsed: a cell
// may be text, a number or missing.
//
// It returns a *ParseError (wrapping ErrData) for an empty file, a header
// without data rows, an empty or repeated column name, a row with another
// number of fields than the header, and a quoting error; an error not
// wrapping ErrData for a failing r.
func ReadTable(r io.Reader, name string, opt TableOptions) (*Table, error) {
	if c := opt.Comma; c != 0 {
		if err := (&CSVOptions{Comma: c}).check(); err != nil {
			return nil, err
		}
	}
	recs, src, err := openRecords(r, name, opt.Comma)
	if err != nil {
		return nil, err
	}
	head, err := recs.next()
	if err == io.EOF {
		return nil, &ParseError{Path: name, Err: errors.New("empty file")}
	}
	if err != nil {
		return nil, err
	}
	t := &Table{Name: name, Columns: head.fields}
	if err := t.checkColumns(head.line); err != nil {
		return nil, err
	}
	err = feed(nil, recs, func(rec record) error {
		if len(rec.fields) != len(t.Columns) {
			return &ParseError{Path: name, Line: rec.line, Err: fmt.Errorf("%d %s, but the header has %d", len(rec.fields), plural(len(rec.fields), "field"), len(t.Columns))}
		}
		t.Rows = append(t.Rows, rec.fields)
		t.Lines = append(t.Lines, rec.line)
		return nil
	})
	if err != nil {
		return nil, gzipFirst(src, err)
	}
	if len(t.Rows) == 0 {
		return nil, &ParseError{Path: name, Line: head.line, Err: errors.New("header only: no data rows after it")}
	}
	return t, nil
}

// openRecords decompresses r if it is gzip data, skips a UTF-8 byte order
// mark, sniffs the delimiter when comma is 0 and returns the reader of
// its records, and the decompressed source (for gzipFirst).
func openRecords(r io.Reader, name string, comma rune) (*records, io.Reader, error) {
	src, err := decompress(r, name)
	if err != nil {
		return nil, nil, err
	}
	br := bufio.NewReaderSize(&lineLimiter{r: src, name: name, line: 1}, sniffBytes)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xEF\xBB\xBF")) {
		br.Discard(3)
	}
	if comma == 0 {
		comma = sniffComma(br)
	}
	return newRecords(br, name, comma), src, nil
}

// Len returns the number of rows.
func (t *Table) Len() int { return len(t.Rows) }

// Column returns the index of the column named name, or -1.
func (t *Table) Column(name string) int {
	for j, c := range t.Columns {
		if c == name {
			return j
		}
	}
	return -1
}

// SampleWeights reads the column name as one weight per row, for a
// weighted fit (nerve's FitTableWeighted): every cell must be a finite
// number ≥ 0. A cell that is empty, missing, not a number, negative or
// not finite is a *ParseError wrapping ErrData that names the line and
// column; so is a column the table lacks.
func (t *Table) SampleWeights(name string) ([]float64, error) {
	j := t.Column(name)
	if j < 0 {
		return nil, &ParseError{Path: t.Name, ColumnName: name, Err: fmt.Errorf("%w: no such column", ErrData)}
	}
	w := make([]float64, len(t.Rows))
	for i, row := range t.Rows {
		v, err := parseFinite(strings.TrimSpace(row[j]))
		switch {
		case err != nil:
			return nil, t.errAt(i, j, fmt.Errorf("%w: a sample weight must be a number ≥ 0: %w", ErrData, err))
		case v < 0:
			return nil, t.errAt(i, j, fmt.Errorf("%w: a sample weight must be a number ≥ 0, not %v", ErrData, v))
		}
		w[i] = v
	}
	return w, nil
}

// errAt returns a *ParseError about the cell of row i (0-based) and
// column j of t.
func (t *Table) errAt(i, j int, err error) *ParseError {
	line := i + 1
	if t.Lines != nil {
		line = t.Lines[i]
	}
	return &ParseError{Path: t.Name, Line: line, Column: j + 1, ColumnName: t.Columns[j], Err: err}
}

// errColumn returns a *ParseError about column j of t as a whole.
func (t *Table) errColumn(j int, err error) *ParseError {
	return &ParseError{Path: t.Name, Column: j + 1, ColumnName: t.Columns[j], Err: err}
}

// missingTokens are the cell values read as missing, compared without
// regard to case, besides the empty cell.
var missingTokens = []string{"NA", "N/A", "NaN", "null", "?"}

// isMissing reports whether the cell s is missing: empty, one of
// missingTokens or one of extra, without regard to case.
func isMissing(s string, extra []string) bool {
	if s == "" {
		return true
	}
	for _, m := range missingTokens {
		if strings.EqualFold(s, m) {
			return true
		}
	}
	for _, m := range extra {
		if strings.EqualFold(s, strings.TrimSpace(m)) {
			return true
		}
	}
	return false
}
