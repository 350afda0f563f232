package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"slices"
	"strconv"

	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/tensor"
)

// The V2 protocol's JSON messages, as far as nerve uses them.
type (
	tensorMeta struct {
		Name     string  `json:"name"`
		Datatype string  `json:"datatype"`
		Shape    []int64 `json:"shape"`
	}
	modelMeta struct {
		Name       string         `json:"name"`
		Versions   []string       `json:"versions"`
		Platform   string         `json:"platform"`
		Inputs     []tensorMeta   `json:"inputs"`
		Outputs    []tensorMeta   `json:"outputs"`
		Parameters map[string]any `json:"parameters"`
	}
	inferRequest struct {
		ID         string          `json:"id,omitempty"`
		Parameters json.RawMessage `json:"parameters,omitempty"`
		Inputs     []struct {
			Name     string          `json:"name"`
			Shape    []int64         `json:"shape"`
			Datatype string          `json:"datatype"`
			Data     json.RawMessage `json:"data"`
		} `json:"inputs"`
		Outputs []struct {
			Name string `json:"name"`
		} `json:"outputs"`
	}
	outputTensor struct {
		Name     string          `json:"name"`
		Datatype string          `json:"datatype"`
		Shape    []int64         `json:"shape"`
		Data     json.RawMessage `json:"data"`
	}
	inferResponse struct {
		ModelName    string         `json:"model_name"`
		ModelVersion string         `json:"model_version"`
		ID           string         `json:"id,omitempty"`
		Outputs      []outputTensor `json:"outputs"`
	}
)

func (s *Server) serverMetadata(w http.ResponseWriter, _ *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]any{"name": "nerve", "version": "1", "extensions": []string{}})
	return nil
}

func (s *Server) live(w http.ResponseWriter, _ *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]bool{"live": true})
	return nil
}

func (s *Server) ready(w http.ResponseWriter, _ *http.Request) error {
	if s.draining.Load() {
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"ready": false, "error": "the server is shutting down"})
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ready": true})
	return nil
}

// model returns the model a /v2/models/NAME[/versions/V] request is
// about, or a 404.
func (s *Server) model(r *http.Request) (*loaded, error) {
	name := r.PathValue("name")
	if name != s.name {
		return nil, &RequestError{Status: http.StatusNotFound, Field: "model", Msg: fmt.Sprintf("no model named %q (this server has %q)", name, s.name)}
	}
	l := s.cur.Load()
	if v := r.PathValue("version"); v != "" && v != l.version {
		return nil, &RequestError{Status: http.StatusNotFound, Field: "version", Msg: fmt.Sprintf("model %q has no version %q (it is at %q)", name, v, l.version)}
	}
	return l, nil
}

func (s *Server) modelReady(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.model(r); err != nil {
		return err
	}
	return s.ready(w, r)
}

func (s *Server) modelMetadata(w http.ResponseWriter, r *http.Request) error {
	l, err := s.model(r)
	if err != nil {
		return err
	}
	m := l.m
	params := map[string]any{"task": m.Task}
	if m.Features != nil {
		params["features"] = m.Features
	}
	if m.Target != "" {
		params["target"] = m.Target
	}
	if m.Classes != nil {
		params["classes"] = m.Classes
		params["label_type"] = m.LabelType
	}
	meta := modelMeta{
		Name:       s.name,
		Versions:   []string{l.version},
		Platform:   "nerve",
		Inputs:     []tensorMeta{{Name: inputName, Datatype: "FP32", Shape: []int64{-1, int64(l.inputs())}}},
		Parameters: params,
	}
	for _, o := range l.outputs {
		meta.Outputs = append(meta.Outputs, l.outputMeta(o))
	}
	writeJSON(w, http.StatusOK, meta)
	return nil
}

// outputMeta describes output tensor name for -1 rows.
func (l *loaded) outputMeta(name string) tensorMeta {
	switch name {
	case outLabel:
		dt := "BYTES"
		if l.m.LabelType == model.LabelInt {
			dt = "INT64"
		}
		return tensorMeta{Name: name, Datatype: dt, Shape: []int64{-1}}
	default:
		return tensorMeta{Name: name, Datatype: "FP32", Shape: []int64{-1, int64(l.width())}}
	}
}

// infer answers POST /v2/models/NAME/infer.
func (s *Server) infer(w http.ResponseWriter, r *http.Request) error {
	a := s.batch.arrive()
	defer a.leave()
	l, err := s.model(r)
	if err != nil {
		return err
	}
	body, err := s.readBody(w, r)
	if err != nil {
		return err
	}
	var req inferRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return jsonError(err)
	}
	x, rows, err := s.v2Input(l, &req)
	if err != nil {
		return err
	}
	outputs := l.outputs
	if req.Outputs != nil {
		outputs = make([]string, len(req.Outputs))
		for i, o := range req.Outputs {
			if !slices.Contains(l.outputs, o.Name) {
				return badf(fmt.Sprintf("outputs[%d].name", i), "%q is not an output of the model (want one of %q)", o.Name, l.outputs)
			}
			outputs[i] = o.Name
		}
	}
	P, err := s.compute(l, x, rows, a)
	if err != nil {
		return err
	}
	resp := inferResponse{ModelName: s.name, ModelVersion: l.version, ID: req.ID}
	for _, name := range outputs {
		meta := l.outputMeta(name)
		meta.Shape[0] = int64(rows)
		var buf bytes.Buffer
		buf.WriteByte('[')
		switch name {
		case outLabel:
			for i, k := range data.Argmax(tensor.New(rows, l.width(), P)) {
				if i > 0 {
					buf.WriteByte(',')
				}
				c := l.m.Classes[k]
				if meta.Datatype == "INT64" {
					buf.WriteString(c)
				} else {
					buf.Write(strconv.AppendQuote(nil, c))
				}
			}
		default:
			for i, v := range P {
				if i > 0 {
					buf.WriteByte(',')
				}
				buf.Write(strconv.AppendFloat(nil, float64(float32(v)), 'g', -1, 32))
			}
		}
		buf.WriteByte(']')
		resp.Outputs = append(resp.Outputs, outputTensor{Name: name, Datatype: meta.Datatype, Shape: meta.Shape, Data: buf.Bytes()})
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// v2Input checks the request's one input tensor against model l and
// returns its values, row-major, and its number of rows.
func (s *Server) v2Input(l *loaded, req *inferRequest) ([]float64, int, error) {
	if err := tableOnlyCSV(l, "inputs"); err != nil {
		return nil, 0, err
	}
	if len(req.Inputs) != 1 {
		return nil, 0, badf("inputs", "%d tensors, want exactly one named %q", len(req.Inputs), inputName)
	}
	in := req.Inputs[0]
	const f = "inputs[0]"
	if in.Name != inputName {
		return nil, 0, badf(f+".name", "%q is not an input of the model (want %q)", in.Name, inputName)
	}
	if in.Datatype != "FP32" && in.Datatype != "FP64" {
		return nil, 0, badf(f+".datatype", "%q, want \"FP32\" or \"FP64\"", in.Datatype)
	}
	F := l.inputs()
	switch {
	case len(in.Shape) != 2:
		return nil, 0, badf(f+".shape", "%v has %d dimensions, want 2: [rows, %d]", in.Shape, len(in.Shape), F)
	case in.Shape[0] < 0:
		return nil, 0, badf(f+".shape", "%v: negative rows", in.Shape)
	case in.Shape[1] != int64(F):
		return nil, 0, badf(f+".shape", "%v has %d features per row, the model has %d", in.Shape, in.Shape[1], F)
	case in.Shape[0] > int64(s.opt.MaxRows):
		return nil, 0, badf(f+".shape", "%d rows, more than the limit of %d", in.Shape[0], s.opt.MaxRows)
	}
	rows := int(in.Shape[0])
	if in.Data == nil {
		return nil, 0, badf(f+".data", "missing")
	}
	// Room for what the data can hold (a number and a comma take at
	// least 2 bytes), not for what the shape claims.
	x, err := parseNumbers(in.Data, make([]float64, 0, min(rows*F, len(in.Data)/2+1)))
	if err != nil {
		return nil, 0, badf(f+".data", "%v", err)
	}
	if len(x) != rows*F {
		return nil, 0, badf(f+".data", "%d values, but shape %v holds %d", len(x), in.Shape, rows*F)
	}
	return x, rows, nil
}

// compute predicts rows raw samples x with model l, through the batcher
// when batching is on, and returns the outputs, rows×width; a is the
// request's arrival.
func (s *Server) compute(l *loaded, x []float64, rows int, a *arrival) ([]float64, error) {
	if s.closed.Load() {
		return nil, errClosed
	}
	s.metrics.rows.Add(float64(rows))
	if rows == 0 {
		return nil, nil
	}
	if s.batch == nil {
		s.metrics.batchRows.Observe(float64(rows))
		return l.predict(x, rows)
	}
	j := &job{mod: l, x: x, rows: rows}
	if err := s.batch.submit(j, a); err != nil {
		return nil, err
	}
	return j.out, nil
}

// jsonError turns a JSON decoding error into a 400 naming where it is.
func jsonError(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return badf("body", "malformed JSON at byte %d: %v", se.Offset, se)
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "body"
		}
		return badf(field, "JSON %s where %s was expected (byte %d)", te.Value, te.Type, te.Offset)
	}
	return badf("body", "malformed JSON: %v", err)
}
