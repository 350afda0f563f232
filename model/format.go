package model

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/internal/atomicfile"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/tensor"
)

// A model file is, byte by byte (docs/model-format.md has the details):
//
//	offset    size  what
//	0         8     Magic, "NERVEMDL"
//	8         4     format version, uint32 little-endian (FormatVersion)
//	12        4     header length H, uint32 little-endian (≤ MaxHeaderBytes)
//	16        H     header: UTF-8 JSON object (Header), pretty-printed
//	16+H      P·s   parameters, little-endian float32 (s = 4) or float64
//	                (s = 8) as the header's dtype says: layer by layer, W
//	                row-major (inputs×outputs), then b if the layer has one
//	16+H+P·s  E·s   extra values, in the same dtype: the blocks the header's
//	                "extra" lists, in its order (E is the sum of their
//	                lengths; 0 for a plain model)
//	16+H+N·s  4     CRC-32 (IEEE) of every byte before it, uint32
//	                little-endian, where N = P+E
const (
	// Magic is the first 8 bytes of every model file.
	Magic = "NERVEMDL"
	// FormatName is the header's "format" value.
	FormatName = "nerve-model"
	// FormatVersion is the version of the model file format that this
	// package writes for a model without preprocessing.
	FormatVersion = 1
	// PreprocessingVersion is the version it writes for a model with
	// preprocessing (the header's "preprocessing" key): a reader of
	// version 1 refuses such a file instead of ignoring the key and
	// feeding the network raw columns. This package reads both.
	PreprocessingVersion = 2
	// MaxHeaderBytes is the largest JSON header a model file may have.
	MaxHeaderBytes = 1 << 20
)

// MaxModelBytes is the largest model file Read and Load accept and WriteTo
// writes, 1 GiB unless changed. Read never holds more than this many bytes
// of its input. Change it only while no model is being read or written.
var MaxModelBytes int64 = 1 << 30

const (
	preambleBytes = 16 // magic, version, header length
	crcBytes      = 4
)

// ErrFormat is wrapped by every error about the contents of a model file:
// not a model file, a version this build does not read, a truncated or
// corrupted file, an invalid header, parameters or extra values that are
// not finite.
var ErrFormat = errors.New("invalid model file")

// FormatError describes what is wrong with a model file. It wraps
// ErrFormat and Err, so that errors.Is(err, ErrFormat) holds for every
// one, and errors.Is(err, data.ErrData) too when the file's scaling is
// what is wrong.
type FormatError struct {
	Path   string // the file, when known
	Field  string // the header key, e.g. "layers[1].activation"; "" when the problem is not one header field
	Offset int64  // the byte offset of the problem in the file; -1 when it is not at one place
	Err    error  // what is wrong
}

// Error returns e.g. "m.nerve: header field layers[1].activation:
// unknown activation "gelu"".
func (e *FormatError) Error() string {
	var b strings.Builder
	if e.Path != "" {
		b.WriteString(e.Path)
	} else {
		b.WriteString("model file")
	}
	if e.Field != "" {
		b.WriteString(": header field ")
		b.WriteString(e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	if e.Offset >= 0 {
		fmt.Fprintf(&b, " (at byte %d)", e.Offset)
	}
	return b.String()
}

// Unwrap returns ErrFormat and Err.
func (e *FormatError) Unwrap() []error { return []error{ErrFormat, e.Err} }

func formatErr(format string, args ...any) *FormatError {
	return &FormatError{Offset: -1, Err: fmt.Errorf(format, args...)}
}

func fieldErr(field, format string, args ...any) *FormatError {
	return &FormatError{Field: field, Offset: -1, Err: fmt.Errorf(format, args...)}
}

// Header is the JSON header of a model file: the network's architecture
// and everything in a Model except the values of its parameters and extra
// blocks. Every key is always written; null stands for an absent value.
type Header struct {
	Format        string             `json:"format"`         // FormatName
	Version       int                `json:"version"`        // FormatVersion, as in the file's preamble
	DType         string             `json:"dtype"`          // "float32" or "float64": how the parameters are stored
	Inputs        int                `json:"inputs"`         // features per sample
	Layers        []HeaderLayer      `json:"layers"`         // first layer first
	Loss          string             `json:"loss"`           // loss.Kind name, e.g. "cross-entropy"
	Reduction     string             `json:"reduction"`      // "mean" or "sum"
	Params        int                `json:"params"`         // number of stored parameters, extra values not included
	Extra         []HeaderExtra      `json:"extra"`          // Model.Extra's names and lengths, in file order; nil when none
	Task          string             `json:"task"`           // Model.Task
	Classes       []string           `json:"classes"`        // Model.Classes
	LabelType     string             `json:"label_type"`     // Model.LabelType
	Features      []string           `json:"features"`       // Model.Features
	Target        string             `json:"target"`         // Model.Target
	Scaling       *data.Scaler       `json:"scaling"`        // Model.Scaler
	TargetScaling *data.Scaler       `json:"target_scaling"` // Model.TargetScaler
	Training      json.RawMessage    `json:"training"`       // Model.Training
	Metrics       map[string]float64 `json:"metrics"`        // Model.Metrics
	// Preprocessing is Model.Preprocessing; only a version-2 file has
	// the key.
	Preprocessing *data.Preprocessing `json:"preprocessing,omitempty"`
}

// HeaderLayer describes one dense layer in a Header.
type HeaderLayer struct {
	Units      int    `json:"units"`      // outputs of the layer
	Activation string `json:"activation"` // activation.Kind name, e.g. "relu"
	Bias       bool   `json:"bias"`       // whether b is stored after W
}

// HeaderExtra describes one extra block in a Header: its values follow
// the parameters (and the blocks listed before it) in the file's dtype.
type HeaderExtra struct {
	Name string `json:"name"` // Extra.Name: non-empty, unique in the file
	Len  int    `json:"len"`  // number of values, ≥ 0
}

// header returns the model's file header.
func (m *Model[T]) header() *Header {
	dt, _ := tensor.DType[T]()
	n := m.Network
	h := &Header{
		Format: FormatName, Version: FormatVersion, DType: dt,
		Inputs: n.Inputs(), Loss: n.Loss.String(), Reduction: n.Reduction.String(), Params: n.NumParams(),
		Task: m.Task, Classes: m.Classes, LabelType: m.LabelType, Features: m.Features, Target: m.Target,
		Scaling: m.Scaler, TargetScaling: m.TargetScaler, Metrics: m.Metrics,
		Preprocessing: m.Preprocessing,
	}
	if m.Preprocessing != nil {
		h.Version = PreprocessingVersion
	}
	if len(m.Training) > 0 {
		h.Training = m.Training
	}
	for _, l := range n.Layers {
		h.Layers = append(h.Layers, HeaderLayer{Units: l.Outputs(), Activation: l.Activation.String(), Bias: l.B != nil})
	}
	for _, e := range m.Extra {
		h.Extra = append(h.Extra, HeaderExtra{Name: e.Name, Len: len(e.Values)})
	}
	return h
}

// numValues returns the number of values the model's file stores:
// parameters and extra values.
func (m *Model[T]) numValues() int64 {
	n := int64(m.Network.NumParams())
	for _, e := range m.Extra {
		n += int64(len(e.Values))
	}
	return n
}

// countWriter writes to w, counting the bytes and updating a CRC-32.
type countWriter struct {
	w   io.Writer
	n   int64
	crc uint32
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.crc = crc32.Update(c.crc, crc32.IEEETable, p[:n])
	return n, err
}

// WriteTo writes the model to w in the model file format, with the
// parameters and then the extra blocks in T's precision, and returns the
// number of bytes written.
// It writes nothing and returns an error wrapping ErrConfig if the model
// is invalid (Validate), its header would exceed MaxHeaderBytes or the
// file MaxModelBytes; otherwise an error comes from w. It does not modify
// the model.
func (m *Model[T]) WriteTo(w io.Writer) (int64, error) {
	if err := m.Validate(); err != nil {
		return 0, err
	}
	var hb bytes.Buffer
	enc := json.NewEncoder(&hb)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	h := m.header()
	if err := enc.Encode(h); err != nil {
		return 0, fmt.Errorf("%w: header: %v", nn.ErrConfig, err)
	}
	if hb.Len() > MaxHeaderBytes {
		return 0, fmt.Errorf("%w: the model's header is %d bytes, more than a model file allows (%d)", nn.ErrConfig, hb.Len(), MaxHeaderBytes)
	}
	_, size := tensor.DType[T]()
	total := int64(preambleBytes+hb.Len()+crcBytes) + m.numValues()*int64(size)
	if total > MaxModelBytes {
		return 0, fmt.Errorf("%w: the model file would be %d bytes, more than MaxModelBytes (%d)", nn.ErrConfig, total, MaxModelBytes)
	}

	cw := &countWriter{w: w}
	buf := make([]byte, 0, 32<<10)
	buf = append(buf, Magic...)
	buf = binary.LittleEndian.AppendUint32(buf, uint32(h.Version))
	buf = binary.LittleEndian.AppendUint32(buf, uint32(hb.Len()))
	if _, err := cw.Write(buf); err != nil {
		return cw.n, err
	}
	if _, err := cw.Write(hb.Bytes()); err != nil {
		return cw.n, err
	}
	buf = buf[:0]
	put := func(vals []T) error {
		for _, v := range vals {
			if size == 4 {
				buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(float32(v)))
			} else {
				buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(float64(v)))
			}
			if len(buf) == cap(buf) {
				if _, err := cw.Write(buf); err != nil {
					return err
				}
				buf = buf[:0]
			}
		}
		return nil
	}
	for _, l := range m.Network.Layers {
		if err := put(l.W.Data()); err != nil {
			return cw.n, err
		}
		if l.B != nil {
			if err := put(l.B.Data()); err != nil {
				return cw.n, err
			}
		}
	}
	for _, e := range m.Extra {
		if err := put(e.Values); err != nil {
			return cw.n, err
		}
	}
	if _, err := cw.Write(buf); err != nil {
		return cw.n, err
	}
	sum := binary.LittleEndian.AppendUint32(nil, cw.crc)
	_, err := cw.Write(sum)
	return cw.n, err
}

// Save writes the model to the file at path, atomically: it writes a
// temporary file in the same directory, syncs it to disk and renames it
// to path, so that path holds either its old contents or the whole new
// model, never a part. On any error it removes the temporary file and
// leaves an existing file at path untouched. A new file gets permissions
// 0644; a replaced one keeps its permissions. Errors name the path; an
// invalid model gives an error wrapping ErrConfig (see WriteTo).
func Save[T tensor.Float](path string, m *Model[T]) error {
	return save(path, m, nil)
}

// save is Save with a hook that may wrap the writer, for tests.
func save[T tensor.Float](path string, m *Model[T], wrap func(io.Writer) io.Writer) error {
	if err := m.Validate(); err != nil {
		return fmt.Errorf("save model %s: %w", path, err)
	}
	err := atomicfile.Write(path, func(w io.Writer) error {
		if wrap != nil {
			w = wrap(w)
		}
		_, err := m.WriteTo(w)
		return err
	})
	if err != nil {
		return fmt.Errorf("save model %s: %w", path, err)
	}
	return nil
}

// Read reads a model file from r and returns the model, with parameters
// and extra values converted to T if the file stores the other precision:
// float32 to float64 is exact; float64 to float32 rounds to nearest, and
// a value beyond float32's range is an error. When T is the file's dtype
// the values are bit for bit those written. Read reads r to its end but
// never more than MaxModelBytes+1 bytes, and allocates only for bytes it
// has read. Everything wrong with the file, including a NaN or infinite
// parameter or extra value, gives a *FormatError (wrapping ErrFormat); an
// error from r is returned wrapped.
func Read[T tensor.Float](r io.Reader) (*Model[T], error) {
	b, err := readAll(r, -1)
	if err != nil {
		return nil, err
	}
	m, ferr := decode[T](b)
	if ferr != nil {
		return nil, ferr
	}
	return m, nil
}

// Load reads the model file at path; see Read. Errors name the path.
func Load[T tensor.Float](path string) (*Model[T], error) {
	b, err := readFile(path)
	if err != nil {
		return nil, err
	}
	m, ferr := decode[T](b)
	if ferr != nil {
		ferr.Path = path
		return nil, ferr
	}
	return m, nil
}

// ReadHeader reads a model file from r and returns its header without
// decoding the parameters or extra blocks. It reads the whole input, as
// Read does, so that it can check everything about the file except the
// values themselves: magic, version, header, size and CRC. Errors are as
// Read's.
func ReadHeader(r io.Reader) (*Header, error) {
	b, err := readAll(r, -1)
	if err != nil {
		return nil, err
	}
	h, _, ferr := parse(b)
	if ferr != nil {
		return nil, ferr
	}
	return h, nil
}

// LoadHeader is ReadHeader for the file at path. Errors name the path.
func LoadHeader(path string) (*Header, error) {
	b, err := readFile(path)
	if err != nil {
		return nil, err
	}
	h, _, ferr := parse(b)
	if ferr != nil {
		ferr.Path = path
		return nil, ferr
	}
	return h, nil
}

// readAll reads a model file from r, in the order that lets it stop
// early: the 16-byte preamble, whose magic, version and header length are
// checked before anything else is read; then the header, which says how
// many bytes follow it; then those bytes and up to 1 MiB more (to count
// trailing data). It never reads more than MaxModelBytes+1 bytes, and allocates
// only for bytes that arrived. What it returns is checked again, in full,
// by parse: a short input comes back as it is, for parse to call
// truncated. size is the input's size when known (a regular file), else
// -1. After an unreadable header the rest of the file is read, so that
// parse can tell whether the checksum explains it; for an input of
// unknown size only 1 MiB more, and if it has not ended by then, the
// header's error is the answer.
func readAll(r io.Reader, size int64) ([]byte, error) {
	limit := MaxModelBytes
	if limit < 0 {
		limit = 0
	}
	if limit == math.MaxInt64 {
		limit--
	}
	lr := &io.LimitedReader{R: r, N: limit + 1}
	b, err := readUpTo(nil, lr, preambleBytes)
	if err != nil || len(b) < preambleBytes {
		return b, err
	}
	if ferr := checkPreamble(b); ferr != nil {
		return nil, ferr
	}
	hlen := int64(binary.LittleEndian.Uint32(b[12:]))
	if b, err = readUpTo(b, lr, hlen); err != nil || int64(len(b)) < preambleBytes+hlen {
		return b, err
	}
	rest := lr.N
	switch _, values, ferr := parseHeader(b[preambleBytes:], int(binary.LittleEndian.Uint32(b[8:]))); {
	case ferr == nil:
		rest = min(rest, values+crcBytes+1<<20)
	case size < 0:
		n := int64(len(b))
		if b, err = readUpTo(b, lr, 1<<20); err != nil {
			return nil, err
		}
		if int64(len(b)) == n+1<<20 {
			return nil, ferr
		}
		return b, nil
	default:
		rest = min(rest, size-int64(len(b))+1)
	}
	if b, err = readUpTo(b, lr, rest); err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, formatErr("larger than MaxModelBytes (%d bytes)", limit)
	}
	return b, nil
}

// readUpTo appends up to n more bytes of r to b, fewer when r ends, and
// grows b only as bytes arrive.
func readUpTo(b []byte, r io.Reader, n int64) ([]byte, error) {
	var buf bytes.Buffer
	buf.Write(b)
	if _, err := io.CopyN(&buf, r, n); err != nil && err != io.EOF {
		return nil, fmt.Errorf("read model: %w", err)
	}
	return buf.Bytes(), nil
}

// checkPreamble checks the magic, version and header length of a model
// file's first 16 bytes.
func checkPreamble(b []byte) *FormatError {
	if string(b[:len(Magic)]) != Magic {
		return formatErr("not a nerve model file (it starts with %q, a model file with %q)", b[:len(Magic)], Magic)
	}
	if v := binary.LittleEndian.Uint32(b[8:]); v != FormatVersion && v != PreprocessingVersion {
		return &FormatError{Offset: 8, Err: fmt.Errorf("unsupported format version %d (this build reads versions %d and %d)", v, FormatVersion, PreprocessingVersion)}
	}
	if hlen := binary.LittleEndian.Uint32(b[12:]); hlen > MaxHeaderBytes {
		return &FormatError{Offset: 12, Err: fmt.Errorf("header length %d is larger than the limit of %d bytes", hlen, MaxHeaderBytes)}
	}
	return nil
}

// readFile reads the file at path with readAll. Errors name the path.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load model: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("load model: %w", err)
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("load model %s: is a directory, not a model file", path)
	}
	if fi.Mode().IsRegular() && fi.Size() > MaxModelBytes {
		return nil, &FormatError{Path: path, Offset: -1, Err: fmt.Errorf("%d bytes, larger than MaxModelBytes (%d bytes)", fi.Size(), MaxModelBytes)}
	}
	size := int64(-1)
	if fi.Mode().IsRegular() {
		size = fi.Size()
	}
	b, err := readAll(f, size)
	if err != nil {
		var fe *FormatError
		if errors.As(err, &fe) {
			fe.Path = path
			return nil, fe
		}
		return nil, fmt.Errorf("load model %s: %w", path, err)
	}
	return b, nil
}

// parse checks the whole file b except the parameter and extra values and
// returns its header and the offset of the parameters.
func parse(b []byte) (*Header, int, *FormatError) {
	n := len(b)
	if k := min(n, len(Magic)); string(b[:k]) != Magic[:k] {
		return nil, 0, formatErr("not a nerve model file (it starts with %q, a model file with %q)", b[:min(n, len(Magic))], Magic)
	}
	if n < preambleBytes+crcBytes {
		return nil, 0, formatErr("truncated: %d bytes, a model file has at least %d", n, preambleBytes+crcBytes)
	}
	if ferr := checkPreamble(b); ferr != nil {
		return nil, 0, ferr
	}
	v := binary.LittleEndian.Uint32(b[8:])
	hlen := binary.LittleEndian.Uint32(b[12:])
	pos := preambleBytes + int(hlen) // where the parameters start
	if n < pos+crcBytes {
		return nil, 0, formatErr("truncated: the header needs %d bytes, the file has %d", pos+crcBytes, n)
	}
	h, size, ferr := parseHeader(b[preambleBytes:pos], int(v))
	if ferr != nil {
		if !crcOK(b) {
			// A checksum that fails explains a nonsensical header best.
			return nil, 0, formatErr("corrupted: CRC-32 mismatch, and the header is unreadable: %s", strings.TrimPrefix(ferr.Error(), "model file: "))
		}
		return nil, 0, ferr
	}
	want := int64(pos) + size + crcBytes
	if int64(n) < want {
		return nil, 0, formatErr("truncated: the header describes a %d-byte file, %d bytes are present", want, n)
	}
	if int64(n) > want {
		return nil, 0, &FormatError{Offset: want, Err: fmt.Errorf("trailing bytes after the end of the model: the header describes a %d-byte file, %d bytes are present", want, n)}
	}
	if !crcOK(b) {
		return nil, 0, formatErr("corrupted: CRC-32 of the file is %08x, the file records %08x",
			crc32.ChecksumIEEE(b[:n-crcBytes]), binary.LittleEndian.Uint32(b[n-crcBytes:]))
	}
	return h, pos, nil
}

// crcOK reports whether the last 4 bytes of b are the CRC-32 of the rest.
func crcOK(b []byte) bool {
	n := len(b)
	return crc32.ChecksumIEEE(b[:n-crcBytes]) == binary.LittleEndian.Uint32(b[n-crcBytes:])
}

// parseHeader decodes and checks the header hb. It returns the header
// and the size in bytes of the values after it (parameters and extra
// blocks), which is at most MaxModelBytes.
func parseHeader(hb []byte, version int) (*Header, int64, *FormatError) {
	if !utf8.Valid(hb) {
		i := 0
		for utf8.FullRune(hb[i:]) {
			r, w := utf8.DecodeRune(hb[i:])
			if r == utf8.RuneError && w <= 1 {
				break
			}
			i += w
		}
		return nil, 0, &FormatError{Offset: int64(preambleBytes + i), Err: errors.New("header is not valid UTF-8")}
	}
	if t := bytes.TrimLeft(hb, " \t\r\n"); len(t) > 0 && t[0] != '{' {
		return nil, 0, formatErr("header is not a JSON object (it starts with %q)", t[:1])
	}
	h := new(Header)
	if err := json.Unmarshal(hb, h); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return nil, 0, &FormatError{Offset: preambleBytes + se.Offset, Err: fmt.Errorf("header is not valid JSON: %w", se)}
		case errors.As(err, &te) && te.Field != "":
			return nil, 0, fieldErr(te.Field, "%s, want %s", te.Value, jsonKind(te.Type))
		}
		return nil, 0, formatErr("header: %v", err)
	}
	if string(h.Training) == "null" {
		h.Training = nil
	}
	if h.Format != FormatName {
		return nil, 0, fieldErr("format", "%q, want %q", h.Format, FormatName)
	}
	if h.Version != version {
		return nil, 0, fieldErr("version", "%d, but the file is version %d", h.Version, version)
	}
	if h.Preprocessing != nil && version < PreprocessingVersion {
		return nil, 0, fieldErr("preprocessing", "present in a version-%d file: preprocessing needs version %d", version, PreprocessingVersion)
	}
	var size int64
	switch h.DType {
	case "float32":
		size = 4
	case "float64":
		size = 8
	default:
		return nil, 0, fieldErr("dtype", "%q, want \"float32\" or \"float64\"", h.DType)
	}
	if h.Inputs <= 0 {
		return nil, 0, fieldErr("inputs", "%d, want > 0", h.Inputs)
	}
	if len(h.Layers) == 0 {
		return nil, 0, fieldErr("layers", "no layers")
	}
	// Count the parameters, stopping as soon as they would not fit in a
	// file of MaxModelBytes (which also keeps the count from overflowing).
	limit := MaxModelBytes / size
	var count int64
	in := int64(h.Inputs)
	var last activation.Kind
	for i, l := range h.Layers {
		f := fmt.Sprintf("layers[%d]", i)
		if l.Units <= 0 {
			return nil, 0, fieldErr(f+".units", "%d, want > 0", l.Units)
		}
		k, err := activation.Parse(l.Activation)
		if err != nil || k.String() != l.Activation {
			return nil, 0, fieldErr(f+".activation", "unknown activation %q", l.Activation)
		}
		last = k
		u := int64(l.Units)
		if in > (limit-count)/u {
			return nil, 0, fieldErr(f, "the layers have more parameters than a file of MaxModelBytes (%d bytes) can hold", MaxModelBytes)
		}
		count += in * u
		if l.Bias {
			if u > limit-count {
				return nil, 0, fieldErr(f, "the layers have more parameters than a file of MaxModelBytes (%d bytes) can hold", MaxModelBytes)
			}
			count += u
		}
		in = u
	}
	lk, err := loss.Parse(h.Loss)
	if err != nil || lk.String() != h.Loss {
		return nil, 0, fieldErr("loss", "unknown loss %q", h.Loss)
	}
	if h.Reduction != loss.Mean.String() && h.Reduction != loss.Sum.String() {
		return nil, 0, fieldErr("reduction", "%q, want %q or %q", h.Reduction, loss.Mean, loss.Sum)
	}
	if want := loss.LogitActivation(lk); want != "" && last.String() != want {
		return nil, 0, fieldErr("loss", "%s loss needs a %s output layer, got %s", lk, want, last)
	}
	if int64(h.Params) != count {
		return nil, 0, fieldErr("params", "%d, but the layers have %d parameters", h.Params, count)
	}
	md := meta{
		task: h.Task, labelType: h.LabelType, classes: h.Classes, features: h.Features, target: h.Target,
		scaler: h.Scaling, tscaler: h.TargetScaling, prep: h.Preprocessing, training: h.Training, metrics: h.Metrics,
	}
	if p := checkMeta(md, h.Inputs, h.Layers[len(h.Layers)-1].Units); p != nil {
		if p.err != nil {
			return nil, 0, &FormatError{Field: p.key, Offset: -1, Err: p.err}
		}
		return nil, 0, fieldErr(p.key, "%s", p.msg)
	}
	// The extra blocks, counted on from the parameters against the same
	// limit, so that their sum cannot overflow either.
	seen := make(map[string]bool, len(h.Extra))
	for i, e := range h.Extra {
		f := fmt.Sprintf("extra[%d]", i)
		switch {
		case e.Name == "":
			return nil, 0, fieldErr(f+".name", "empty, want a name")
		case seen[e.Name]:
			return nil, 0, fieldErr(f+".name", "%q appears twice", e.Name)
		case e.Len < 0:
			return nil, 0, fieldErr(f+".len", "%d, want ≥ 0", e.Len)
		case int64(e.Len) > limit-count:
			return nil, 0, fieldErr(f+".len", "%d: the parameters and extra values would not fit in a file of MaxModelBytes (%d bytes)", e.Len, MaxModelBytes)
		}
		seen[e.Name] = true
		count += int64(e.Len)
	}
	if len(h.Extra) == 0 {
		h.Extra = nil
	}
	if h.Training != nil {
		var c bytes.Buffer
		json.Compact(&c, h.Training) // valid: checkMeta checked it
		h.Training = c.Bytes()
	}
	return h, count * size, nil
}

// decode returns the model in the file b.
func decode[T tensor.Float](b []byte) (*Model[T], *FormatError) {
	h, pos, ferr := parse(b)
	if ferr != nil {
		return nil, ferr
	}
	net := &nn.Network[T]{}
	net.Loss, _ = loss.Parse(h.Loss)
	if h.Reduction == loss.Sum.String() {
		net.Reduction = loss.Sum
	}
	want, _ := tensor.DType[T]()
	// get fills d from the values at pos; where(k) names d[k] in an
	// error, e.g. "layer 1: W[0, 2]".
	get := func(d []T, where func(k int) string) *FormatError {
		for k := range d {
			var f float64
			at := pos
			if h.DType == "float32" {
				f = float64(math.Float32frombits(binary.LittleEndian.Uint32(b[pos:])))
				pos += 4
			} else {
				f = math.Float64frombits(binary.LittleEndian.Uint64(b[pos:]))
				pos += 8
			}
			v := T(f)
			if g := float64(v); math.IsNaN(g) || math.IsInf(g, 0) {
				msg := fmt.Sprintf("%s is %v", where(k), f)
				if !math.IsInf(f, 0) && !math.IsNaN(f) {
					msg += ", beyond the range of " + want
				}
				return &FormatError{Offset: int64(at), Err: errors.New(msg)}
			}
			d[k] = v
		}
		return nil
	}
	// param fills the parameter p of a layer; name is "W" or "b".
	param := func(p *tensor.Dense[T], layer int, name string) *FormatError {
		return get(p.Data(), func(k int) string {
			return fmt.Sprintf("layer %d: %s[%d, %d]", layer, name, k/p.Cols(), k%p.Cols())
		})
	}
	in := h.Inputs
	for i, hl := range h.Layers {
		k, _ := activation.Parse(hl.Activation)
		l := &nn.Layer[T]{W: tensor.Zeros[T](in, hl.Units), Activation: k}
		if ferr := param(l.W, i+1, "W"); ferr != nil {
			return nil, ferr
		}
		if hl.Bias {
			l.B = tensor.Zeros[T](1, hl.Units)
			if ferr := param(l.B, i+1, "b"); ferr != nil {
				return nil, ferr
			}
		}
		net.Layers = append(net.Layers, l)
		in = hl.Units
	}
	var extra []Extra[T]
	for _, he := range h.Extra {
		e := Extra[T]{Name: he.Name, Values: make([]T, he.Len)} // parse checked that the bytes are there
		if ferr := get(e.Values, func(k int) string { return fmt.Sprintf("extra %q: value %d", he.Name, k) }); ferr != nil {
			return nil, ferr
		}
		extra = append(extra, e)
	}
	return &Model[T]{
		Network: net, Task: h.Task, Classes: h.Classes, LabelType: h.LabelType,
		Features: h.Features, Target: h.Target, Scaler: h.Scaling, TargetScaler: h.TargetScaling,
		Training: h.Training, Metrics: h.Metrics, Extra: extra, Preprocessing: h.Preprocessing,
	}, nil
}

// jsonKind names what a JSON value of Go type t is, as a header's reader
// would say it: "an array", "an object", "a string", "a number" …
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 && t.Name() == "RawMessage" {
			return "a JSON object"
		}
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return t.String()
}
