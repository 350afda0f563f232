package onnx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/nerve-ml/nerve"
	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

// pick returns one of v at random.
func pick(src *rng.Source, v ...string) string { return v[int(src.Float64()*float64(len(v)))] }

// sometimes returns s, or with probability p one of the missing-cell
// tokens: for training only "" and NA; for prediction (tricky) any token
// in varied case, the model's own "--" among them.
func sometimes(src *rng.Source, p float64, s string, tricky bool) string {
	if src.Float64() >= p {
		return s
	}
	if !tricky {
		return pick(src, "", "NA")
	}
	return pick(src, "", "na", "N/a", "NULL", "nAn", "?", "--", "Null", "n/A")
}

func num(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }

// tableRows makes n rows of the table of the named test model: its
// columns and target (which prediction rows omit). Prediction rows
// (tricky) hold missing-cell tokens in varied case, categories training
// never saw ("purple", "Red", "XL", "Rome") and missing cells in columns
// that had none.
func tableRows(name string, seed uint32, n int, tricky bool) ([]string, [][]string) {
	src := rng.New(seed)
	var cols []string
	var rows [][]string
	for range n {
		switch name {
		case "table classifier, string labels":
			cols = []string{"colour", "size", "weight kg", "animal"}
			colours := []string{"blue", "green", "red"}
			sizes := []string{"L", "M", "S"}
			if tricky {
				colours = append(colours, "purple", "Red")
				sizes = append(sizes, "XL", "")
			}
			w := src.Uniform(1, 30)
			colour, size := sometimes(src, 0.2, pick(src, colours...), tricky), pick(src, sizes...)
			if tricky { // size had no missing cell: they take its most frequent
				size = sometimes(src, 0.2, size, true)
			}
			rows = append(rows, []string{colour, size, sometimes(src, 0.2, num(w), tricky), pick(src, "cat", "dog", "fox")})
		case "table regressor, missing cells":
			cols = []string{"city", "rooms", "area m2", "garden", "price"}
			cities := []string{"Lima", "Oslo", "Pune"}
			if tricky {
				cities = append(cities, "Rome")
			}
			rooms := strconv.Itoa(1 + int(src.Float64()*6))
			if tricky && src.Float64() < 0.2 {
				rooms = pick(src, "", "NA", "?")
			}
			city, area := sometimes(src, 0.25, pick(src, cities...), tricky), sometimes(src, 0.2, num(src.Uniform(20, 200)), tricky)
			garden := sometimes(src, 0.05, pick(src, "no", "yes"), tricky) // a few missing: filled
			if tricky {
				garden = sometimes(src, 0.25, garden, true)
			}
			rows = append(rows, []string{city, rooms, area, garden, num(src.Uniform(50, 900))})
		default:
			panic("tableRows: no table " + name)
		}
	}
	if tricky {
		cols = cols[:len(cols)-1]
		for i := range rows {
			rows[i] = rows[i][:len(cols)]
		}
	}
	return cols, rows
}

// tableModels are models with table preprocessing, in precision T: a
// classifier with string labels over two categorical columns (colour,
// whose many missing cells get an input of their own, and size, with
// none, whose missing cells take its most frequent size) and a numeric
// one, and a regressor with target scaling over categorical and numeric
// columns with missing cells (city's input of their own, garden's few
// filled). Their networks have random weights; the preprocessing is
// fitted on 60 rows.
func tableModels[T tensor.Float](t testing.TB) map[string]*model.Model[T] {
	fit := func(name string, target string) *data.Preprocessing {
		cols, rows := tableRows(name, 11, 60, false)
		tb, err := data.NewTable(name, cols, rows)
		if err != nil {
			t.Fatal(err)
		}
		p, err := data.FitPreprocessing(tb, data.PrepOptions{Target: target, NA: []string{"--"}})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	clf := fit("table classifier, string labels", "animal")
	reg := fit("table regressor, missing cells", "price")
	if c := clf.Columns; !c[0].Missing || c[1].Fill == "" || !reg.Columns[0].Missing || reg.Columns[3].Fill == "" {
		t.Fatalf("the table models lack a column with (missing) or one filled: %+v %+v", clf.Columns, reg.Columns)
	}
	return map[string]*model.Model[T]{
		"table classifier, string labels": {
			Network: net[T](t, 12, clf.Width(), loss.CrossEntropy, dense(6, activation.Tanh), dense(3, activation.Softmax)),
			Task:    model.Classification, Classes: []string{"cat", "dog", "fox"}, LabelType: model.LabelString,
			Features: clf.Features(), Target: "animal", Preprocessing: clf,
		},
		"table regressor, missing cells": {
			Network: net[T](t, 13, reg.Width(), loss.MSE, dense(5, activation.ReLU), dense(1, activation.Identity)),
			Task:    model.Regression, Features: reg.Features(), Target: "price", Preprocessing: reg,
			TargetScaler: &data.Scaler{Mean: []float64{420}, Scale: []float64{250}},
		},
	}
}

// predictionTable returns the 50 tricky prediction rows of the named
// table model.
func predictionTable(t testing.TB, name string) *data.Table {
	cols, rows := tableRows(name, 21, 50, true)
	tb, err := data.NewTable(name, cols, rows)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// tableFeeds returns the graph inputs for the rows of tb as a runtime
// user would make them from the exported file's metadata: per column,
// NaN for a missing numeric cell, the cell's text for a categorical one.
func tableFeeds(t testing.TB, mp *modelProto, p *data.Preprocessing, tb *data.Table) map[string]*evalTensor {
	t.Helper()
	var inputs []tableInput
	for _, kv := range mp.metadata {
		if kv.key == MetaInputs {
			if err := json.Unmarshal([]byte(kv.value), &inputs); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(inputs) != len(p.Columns) {
		t.Fatalf("metadata %s describes %d inputs, want %d", MetaInputs, len(inputs), len(p.Columns))
	}
	tokens := p.MissingTokens()
	feeds := map[string]*evalTensor{}
	for _, in := range inputs {
		j := tb.Column(in.Column)
		f := &evalTensor{dims: []int{tb.Len(), 1}, elem: typeString}
		if in.Type == "numeric" {
			f.elem = map[string]int64{"float32": typeFloat, "float64": typeDouble}[in.Elem]
		}
		for _, row := range tb.Rows {
			s := row[j]
			if f.elem == typeString {
				f.s = append(f.s, s)
				continue
			}
			v := math.NaN()
			if !slices.ContainsFunc(tokens, func(m string) bool { return strings.EqualFold(s, m) }) {
				var err error
				if v, err = strconv.ParseFloat(s, 64); err != nil {
					t.Fatal(err)
				}
			}
			f.f = append(f.f, v)
		}
		if f.elem == typeFloat {
			f = floatTensor(typeFloat, f.dims, f.f)
		}
		feeds[in.Input] = f
	}
	return feeds
}

// checkAgainstModel evaluates the exported graph on tb and compares its
// outputs with m.PredictTable: probabilities and predictions within 2e-5
// (relative beyond 1), labels identical. It returns the largest
// difference.
func checkAgainstModel[T tensor.Float](t *testing.T, what string, m *model.Model[T], opts Options, tb *data.Table) float64 {
	t.Helper()
	mp, err := decodeModel(export(t, m, opts))
	if err != nil {
		t.Fatal(err)
	}
	out, err := evaluate(mp, tableFeeds(t, mp, m.Preprocessing, tb))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	want, rep, err := m.PredictTable(tb)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Total() == 0 {
		t.Errorf("%s: no cell of the prediction rows was unseen; the test wants some", what)
	}
	name := PredictionsName
	if m.Classes != nil {
		name = ProbabilitiesName
	}
	got := out[name]
	if !slices.Equal(got.dims, []int{want.Rows(), want.Cols()}) {
		t.Fatalf("%s: %s dims %v, want [%d %d]", what, name, got.dims, want.Rows(), want.Cols())
	}
	worst := 0.0
	for k, w := range want.Data() {
		d := math.Abs(got.f[k] - w)
		worst = max(worst, d)
		if d > 2e-5*math.Max(1, math.Abs(w)) {
			t.Errorf("%s: %s row %d, column %d: graph %v, model %v", what, name, k/want.Cols()+1, k%want.Cols()+1, got.f[k], w)
		}
	}
	if m.Classes != nil {
		for i := range want.Rows() {
			row := want.Row(i)
			if w := m.Classes[slices.Index(row, slices.Max(row))]; out[LabelName].s[i] != w {
				t.Errorf("%s: row %d: label %q, want %q", what, i+1, out[LabelName].s[i], w)
			}
		}
	}
	return worst
}

// TestTableExportAgreesWithPredictTable runs every table export in the
// reference evaluator on rows with missing cells, missing-cell tokens in
// varied case and unseen categories, and compares it with PredictTable.
func TestTableExportAgreesWithPredictTable(t *testing.T) {
	worst := 0.0
	for _, dt := range []string{"float32", "float64"} {
		for _, opset := range []int{13, 21} {
			for name, m := range tableModels[float32](t) {
				opts := Options{Opset: opset, DType: dt}
				worst = max(worst, checkAgainstModel(t, fmt.Sprintf("%s (float32 model) %+v", name, opts), m, opts, predictionTable(t, name)))
			}
			for name, m := range tableModels[float64](t) {
				opts := Options{Opset: opset, DType: dt}
				worst = max(worst, checkAgainstModel(t, fmt.Sprintf("%s (float64 model) %+v", name, opts), m, opts, predictionTable(t, name)))
			}
		}
	}
	t.Logf("largest difference from PredictTable: %.3g", worst)
}

// TestTrainedTableModelExports: a model that nerve.Classifier trained on
// a raw table exports, and the graph agrees with PredictTable.
func TestTrainedTableModelExports(t *testing.T) {
	cols, rows := tableRows("table classifier, string labels", 31, 60, false)
	tb, err := data.NewTable("t", cols, rows)
	if err != nil {
		t.Fatal(err)
	}
	clf := nerve.NewClassifier[string](nerve.Options{Epochs: 2})
	if _, err := clf.FitTable(context.Background(), tb, data.PrepOptions{Target: "animal", NA: []string{"--"}}); err != nil {
		t.Fatal(err)
	}
	checkAgainstModel(t, "trained", clf.Model(), Options{}, predictionTable(t, "table classifier, string labels"))
}

// TestExportTableGraph checks the inputs, nodes and metadata of a table
// export, and that an input whose column name the graph uses already is
// renamed, with the mapping in the metadata.
func TestExportTableGraph(t *testing.T) {
	m := tableModels[float32](t)["table classifier, string labels"]
	mp, err := decodeModel(export(t, m, Options{DType: "float64"}))
	if err != nil {
		t.Fatal(err)
	}
	var ins []string
	for _, in := range mp.graph.inputs {
		ins = append(ins, fmt.Sprintf("%s:%d:%s,%d", in.name, in.elemType, in.dims[0].param, in.dims[1].value))
	}
	if got, want := strings.Join(ins, " "), "colour:8:N,1 size:8:N,1 weight kg:11:N,1"; got != want {
		t.Errorf("inputs %s, want %s", got, want)
	}
	var ops []string
	for _, n := range mp.graph.nodes {
		ops = append(ops, n.opType)
	}
	want := "TfIdfVectorizer TfIdfVectorizer ReduceSum Concat Cast TfIdfVectorizer TfIdfVectorizer ReduceSum Mul Add Cast IsNaN Where Sub Div Concat Gemm Tanh Gemm Softmax ArgMax Gather"
	if got := strings.Join(ops, " "); got != want {
		t.Errorf("ops %s\nwant %s", got, want)
	}
	meta := map[string]string{}
	for _, kv := range mp.metadata {
		meta[kv.key] = kv.value
	}
	wantIn := `[{"input":"colour","column":"colour","type":"categorical","elem":"string"},{"input":"size","column":"size","type":"categorical","elem":"string"},{"input":"weight kg","column":"weight kg","type":"numeric","elem":"float64"}]`
	if meta[MetaInputs] != wantIn {
		t.Errorf("%s = %s\nwant %s", MetaInputs, meta[MetaInputs], wantIn)
	}

	// Columns named like values of the graph.
	p := *m.Preprocessing
	p.Columns = slices.Clone(p.Columns)
	p.Columns[0].Name, p.Columns[1].Name, p.Columns[2].Name = "label", "column:W1", "W1"
	r := *m
	r.Preprocessing, r.Features = &p, p.Features()
	mp, err = decodeModel(export(t, &r, Options{}))
	if err != nil {
		t.Fatal(err)
	}
	ins = nil
	for _, in := range mp.graph.inputs {
		ins = append(ins, in.name)
	}
	if got, want := strings.Join(ins, " | "), "column:label | column:W1 | column:W1#2"; got != want {
		t.Errorf("renamed inputs %s, want %s", got, want)
	}
	tb, err := data.NewTable("t", []string{"label", "column:W1", "W1"}, [][]string{{"red", "M", "3"}, {"", "XL", "na"}})
	if err != nil {
		t.Fatal(err)
	}
	checkAgainstModel(t, "renamed", &r, Options{}, tb)
}

// TestExportTableRefuses: what a graph cannot say exactly is refused.
func TestExportTableRefuses(t *testing.T) {
	m := tableModels[float32](t)["table classifier, string labels"]
	for _, c := range []struct {
		edit func(p *data.Preprocessing)
		want string
	}{
		{func(p *data.Preprocessing) { p.Columns[0].Categories = []string{"N/a", "blue", "green"} }, `category "N/a" is a missing-cell token`},
		{func(p *data.Preprocessing) { p.NA = []string{"not available at all"} }, "more than 32768 case variants"},
		{func(p *data.Preprocessing) { p.NA = []string{"\xff"} }, "not valid UTF-8"},
	} {
		p := *m.Preprocessing
		p.Columns = slices.Clone(p.Columns)
		c.edit(&p)
		r := *m
		r.Preprocessing, r.Features = &p, p.Features()
		var b bytes.Buffer
		if err := Export(&b, &r, Options{}); !errors.Is(err, ErrExport) || !strings.Contains(err.Error(), c.want) || b.Len() != 0 {
			t.Errorf("error %v, %d bytes; want ErrExport with %q and nothing written", err, b.Len(), c.want)
		}
	}
}

// TestFoldVariants: the variants are exactly the strings EqualFold
// matches, each once.
func TestFoldVariants(t *testing.T) {
	for _, tok := range []string{"", "?", "null", "N/A", "kß", "Straße", "ǅ"} {
		v, ok := foldVariants(tok, 1000)
		if !ok {
			t.Fatalf("%q: over the limit", tok)
		}
		if len(slices.Compact(slices.Sorted(slices.Values(v)))) != len(v) {
			t.Errorf("%q: repeated variants in %q", tok, v)
		}
		for _, s := range v {
			if !strings.EqualFold(s, tok) || utf8.RuneCountInString(s) != utf8.RuneCountInString(tok) {
				t.Errorf("%q: variant %q does not EqualFold", tok, s)
			}
		}
		// Every one-rune change that EqualFold accepts is a variant.
		for i, r := range []rune(tok) {
			for c := rune(0); c < 0x2200; c++ {
				rs := []rune(tok)
				rs[i] = c
				if s := string(rs); strings.EqualFold(s, tok) && !slices.Contains(v, s) {
					t.Errorf("%q: %q (rune %d %U) EqualFolds but is not a variant", tok, s, i, r)
				}
			}
		}
	}
	tokens := []string{"", "NA", "N/A", "NaN", "null", "?", "Straße", "kelvin"}
	v, err := missingVariants(tokens)
	if n := countVariants(tokens); err != nil || n != len(v) || n != 1+4+4+8+16+1+2*2*2*2*3*2+3*2*2*2*2*2 {
		t.Errorf("countVariants %d, missingVariants %d (%v)", n, len(v), err)
	}
	if v, _ := foldVariants("null", 100); len(v) != 16 {
		t.Errorf("null: %d variants, want 16", len(v))
	}
	if _, ok := foldVariants("null", 15); ok {
		t.Error("null: 16 variants within a limit of 15")
	}
}

// TestEvaluatorOnNumericExports: the reference evaluator gives what
// Predict gives for every numeric test model, so that its agreement on
// table exports means something.
func TestEvaluatorOnNumericExports(t *testing.T) {
	src := rng.New(5)
	for name, m := range testModels[float64](t) {
		for _, dt := range []string{"float32", "float64"} {
			mp, err := decodeModel(export(t, m, Options{DType: dt}))
			if err != nil {
				t.Fatal(err)
			}
			X := tensor.Zeros[float64](7, m.Network.Inputs())
			src.FillUniform(X.Data(), -3, 3)
			elem := map[string]int64{"float32": typeFloat, "float64": typeDouble}[dt]
			out, err := evaluate(mp, map[string]*evalTensor{InputName: floatTensor(elem, []int{X.Rows(), X.Cols()}, slices.Clone(X.Data()))})
			if err != nil {
				t.Fatalf("%s, %s: %v", name, dt, err)
			}
			want, err := m.Predict(X)
			if err != nil {
				t.Fatal(err)
			}
			got := out[PredictionsName]
			if got == nil {
				got = out[ProbabilitiesName]
			}
			if m.Task == model.Classification && want.Cols() == 1 { // [1 − p, p]
				var v []float64
				for _, p := range want.Data() {
					v = append(v, 1-p, p)
				}
				want = tensor.New(want.Rows(), 2, v)
			}
			if d := maxDiff(got.f, want.Data()); d > 2e-5 {
				t.Errorf("%s, %s: the evaluated graph differs from Predict by %g", name, dt, d)
			}
		}
	}
}

// TestImportTableRefuses: a table graph without nerve's metadata, or
// whose front end differs from what the metadata's preprocessing gives,
// is refused in one line.
func TestImportTableRefuses(t *testing.T) {
	m := tableModels[float32](t)["table regressor, missing cells"]
	src := export(t, m, Options{})
	cases := []struct {
		name string
		edit func(*modelProto)
		want string
	}{
		{"no metadata", func(mp *modelProto) { mp.metadata = nil }, "4 inputs that are not initializers, want 1 (the features), or one per column with the nerve.model metadata"},
		{"one column, no metadata", func(mp *modelProto) { mp.metadata, mp.graph.inputs = nil, mp.graph.inputs[1:2] }, `node 0 "c1_onehot" (TfIdfVectorizer): operator TfIdfVectorizer of a table model's preprocessing`},
		{"median", func(mp *modelProto) {
			for _, in := range mp.graph.initializers {
				if in.name == "c3_median" {
					in.raw[0] ^= 1
				}
			}
		}, `initializer "c3_median": not the one nerve export writes`},
		{"category", func(mp *modelProto) { mp.graph.nodes[0].attrs[6].strings[0] = []byte("Paris") }, `node 0 "c1_onehot" (TfIdfVectorizer): not the table front end`},
		{"input type", func(mp *modelProto) { mp.graph.inputs[0].elemType = typeFloat }, `input 0 "city": want column "city" as string [N, 1]`},
		{"opset", func(mp *modelProto) { mp.opsets[0].version = 12 }, "opset 12"},
		{"many missing tokens", func(mp *modelProto) {
			for i, kv := range mp.metadata {
				if kv.key == MetaModel {
					mp.metadata[i].value = strings.Replace(kv.value, `"na":["--"]`, `"na":["--","abcdefghijklmn"]`, 1)
				}
			}
		}, "needs 49227 category and missing-token strings, the graph's nodes hold 75"},
	}
	for _, c := range cases {
		mp, err := decodeModel(src)
		if err != nil {
			t.Fatal(err)
		}
		c.edit(mp)
		_, err = importBytes(mp.encode())
		if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line wrapping ErrUnsupported with %q", c.name, err, c.want)
		}
	}
}
