package serve

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/tensor"
)

// predictRows answers POST /predict: rows as JSON (objects by feature
// name, or arrays in the model's feature order) or a CSV body read by
// nerve predict's rules, answered as JSON or, when Accept asks for
// text/csv, as the CSV nerve predict prints. ?proba=true answers each
// class's probability instead of the label, as nerve predict --proba.
func (s *Server) predictRows(w http.ResponseWriter, r *http.Request) error {
	a := s.batch.arrive()
	defer a.leave()
	l := s.cur.Load()
	proba, err := boolParam(r, "proba")
	if err != nil {
		return err
	}
	if proba && len(l.m.Classes) == 0 {
		return badf("proba", "applies to classifiers; model %q is a regressor", s.name)
	}
	body, err := s.readBody(w, r)
	if err != nil {
		return err
	}
	var x []float64
	var rows int
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "text/csv", "application/csv":
		x, rows, err = s.csvRows(l, body)
	case "", "application/json", "application/x-www-form-urlencoded": // the last is curl -d's default
		x, rows, err = s.jsonRows(l, body)
	default:
		return &RequestError{Status: http.StatusUnsupportedMediaType, Field: "Content-Type", Msg: fmt.Sprintf("%q, want application/json or text/csv", ct)}
	}
	if err != nil {
		return err
	}
	out, err := s.compute(l, x, rows, a)
	if err != nil {
		return err
	}
	P := tensor.New(rows, l.width(), out)
	w.Header().Set("X-Model-Version", l.version)
	if wantsCSV(r.Header.Get("Accept")) {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		bw := bufio.NewWriter(w)
		if err := WritePredictions(bw, l.m, P, proba); err != nil {
			return err
		}
		return bw.Flush()
	}
	header, cell := predictionTable(l.m, P, proba)
	var buf bytes.Buffer
	fmt.Fprintf(&buf, `{"model_name":%s,"model_version":%q,"predictions":[`, strconv.Quote(s.name), l.version)
	numeric := proba || len(l.m.Classes) == 0 || l.m.LabelType == model.LabelInt
	for i := range rows {
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteByte('{')
		for j, h := range header {
			if j > 0 {
				buf.WriteByte(',')
			}
			buf.WriteString(strconv.Quote(h))
			buf.WriteByte(':')
			if c := cell(i, j, true); numeric {
				buf.WriteString(c)
			} else {
				buf.WriteString(strconv.Quote(c))
			}
		}
		buf.WriteByte('}')
	}
	buf.WriteString("]}\n")
	w.Header().Set("Content-Type", "application/json")
	_, err = w.Write(buf.Bytes())
	return err
}

// boolParam reads an optional true/false query parameter.
func boolParam(r *http.Request, name string) (bool, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, badf(name, "%q is not true or false", v)
	}
	return b, nil
}

// wantsCSV reports whether an Accept header prefers CSV to JSON: it names
// text/csv (or application/csv) and not application/json before it.
func wantsCSV(accept string) bool {
	for _, part := range strings.Split(accept, ",") {
		t, _, _ := mime.ParseMediaType(strings.TrimSpace(part))
		switch t {
		case "text/csv", "application/csv":
			return true
		case "application/json":
			return false
		}
	}
	return false
}

// csvRows reads a CSV body for model l by nerve predict's rules (which
// reject a cell that is not a finite number; for a table model, a raw
// table through the model's preprocessing).
func (s *Server) csvRows(l *loaded, body []byte) ([]float64, int, error) {
	if p := l.m.Preprocessing; p != nil {
		t, err := data.ReadTable(bytes.NewReader(body), "body", data.TableOptions{})
		if err != nil {
			return nil, 0, badf("", "%v", err)
		}
		if t.Len() > s.opt.MaxRows {
			return nil, 0, badf("body", "%d rows, more than the limit of %d", t.Len(), s.opt.MaxRows)
		}
		X, _, err := p.Transform(t)
		if err != nil {
			return nil, 0, badf("", "%v", err)
		}
		return X.Data(), t.Len(), nil
	}
	d, err := l.cols.ReadFeatures("body", func(opt data.CSVOptions) (*data.Dataset, error) {
		return data.ReadCSV(bytes.NewReader(body), "body", opt)
	})
	if err != nil {
		return nil, 0, badf("", "%v", err)
	}
	if d.X.Cols() != l.inputs() {
		extra := ""
		if l.m.Features != nil {
			extra = " (" + strings.Join(l.m.Features, ", ") + ")"
		}
		return nil, 0, badf("body", "%d feature columns, the model has %d%s", d.X.Cols(), l.inputs(), extra)
	}
	if d.Len() > s.opt.MaxRows {
		return nil, 0, badf("body", "%d rows, more than the limit of %d", d.Len(), s.opt.MaxRows)
	}
	return d.X.Data(), d.Len(), nil
}

// jsonRows reads a JSON array of rows for model l: each row an object
// with a finite number for every feature by name (other keys are
// ignored, so the training rows with their target can be sent), or an
// array of the features' values in the model's order.
func (s *Server) jsonRows(l *loaded, body []byte) ([]float64, int, error) {
	if err := tableOnlyCSV(l, "rows"); err != nil {
		return nil, 0, err
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, 0, jsonError(err)
	}
	if len(raw) > s.opt.MaxRows {
		return nil, 0, badf("rows", "%d rows, more than the limit of %d", len(raw), s.opt.MaxRows)
	}
	F := l.inputs()
	x := make([]float64, 0, min(len(raw)*F, len(body)/2+1)) // what the body can hold
	for i, row := range raw {
		field := fmt.Sprintf("rows[%d]", i)
		k := len(x)
		switch c := firstByte(row); c {
		case '[':
			var err error
			if x, err = parseNumbers(row, x); err != nil {
				return nil, 0, badf(field, "%v", err)
			}
			if n := len(x) - k; n != F {
				return nil, 0, badf(field, "%d values, the model has %d features", n, F)
			}
		case '{':
			if l.m.Features == nil {
				return nil, 0, badf(field, "the model's features have no names: send each row as an array of %d numbers", F)
			}
			var obj map[string]json.RawMessage
			if err := json.Unmarshal(row, &obj); err != nil {
				return nil, 0, badf(field, "%v", err)
			}
			for _, f := range l.m.Features {
				v, ok := obj[f]
				if !ok {
					return nil, 0, badf(field+"."+f, "missing (the model's features: %s)", strings.Join(l.m.Features, ", "))
				}
				n, err := parseNumber(v)
				if err != nil {
					return nil, 0, badf(field+"."+f, "%v", err)
				}
				x = append(x, n)
			}
		default:
			return nil, 0, badf(field, "a JSON %s, want an object of features by name or an array of numbers", jsonKind(c))
		}
	}
	return x, len(raw), nil
}

// tableOnlyCSV refuses a request other than a CSV body for a model with
// table preprocessing.
func tableOnlyCSV(l *loaded, field string) error {
	if l.m.Preprocessing == nil {
		return nil
	}
	return badf(field, "the model takes raw table rows (text categories, missing cells): send them to /predict as CSV (Content-Type: text/csv) with a header naming the columns")
}

// parseNumber reads one finite JSON number.
func parseNumber(b []byte) (float64, error) {
	tok := bytes.TrimSpace(b)
	if len(tok) == 0 || !(tok[0] == '-' || tok[0] >= '0' && tok[0] <= '9') {
		return 0, fmt.Errorf("%s is not a number", tok)
	}
	for _, c := range tok {
		if !isNumberByte(c) {
			return 0, fmt.Errorf("%s is not a number", tok)
		}
	}
	v, err := strconv.ParseFloat(string(tok), 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%s is not a finite number", tok)
	}
	return v, nil
}

func firstByte(b []byte) byte {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

// jsonKind names the kind of JSON value that starts with c.
func jsonKind(c byte) string {
	switch c {
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	case '{':
		return "object"
	case '[':
		return "array"
	}
	return "number"
}

// predictionTable returns the columns nerve predict prints for the
// outputs P of model m, and the text of row i's cell j (shortest float64
// text when json, else 8 significant digits as nerve predict prints).
func predictionTable(m *model.Model[float32], P *tensor.Dense[float64], proba bool) (header []string, cell func(i, j int, json bool) string) {
	classifier := len(m.Classes) > 0
	switch {
	case proba:
		header = m.Classes
	case classifier || P.Cols() == 1:
		header = []string{m.Target}
		if m.Target == "" {
			header[0] = "prediction"
		}
	default:
		for j := range P.Cols() {
			header = append(header, "output"+strconv.Itoa(j+1))
		}
	}
	var pred []int
	if classifier && !proba {
		pred = data.Argmax(P)
	}
	cell = func(i, j int, json bool) string {
		if pred != nil {
			return m.Classes[pred[i]]
		}
		if json {
			return strconv.FormatFloat(P.At(i, j), 'g', -1, 64)
		}
		return strconv.FormatFloat(P.At(i, j), 'g', 8, 64)
	}
	return header, cell
}

// WritePredictions writes the outputs P of model m (as Model.Predict
// returns them) as the CSV nerve predict prints: a header, then one line
// per sample with the class label for a classifier (each class's
// probability with proba), the predicted values for a regressor; numbers
// with 8 significant digits.
func WritePredictions(w io.Writer, m *model.Model[float32], P *tensor.Dense[float64], proba bool) error {
	header, cell := predictionTable(m, P, proba)
	if _, err := fmt.Fprintln(w, csvLine(header)); err != nil {
		return err
	}
	row := make([]string, len(header))
	for i := range P.Rows() {
		for j := range row {
			row[j] = cell(i, j, false)
		}
		if _, err := fmt.Fprintln(w, csvLine(row)); err != nil {
			return err
		}
	}
	return nil
}

// csvLine joins fields with commas, quoting those that need it.
func csvLine(fields []string) string {
	out := make([]string, len(fields))
	for i, f := range fields {
		if strings.ContainsAny(f, ",\"\n\r") || strings.TrimSpace(f) != f {
			f = `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
		}
		out[i] = f
	}
	return strings.Join(out, ",")
}
