package model

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/tensor"
)

// withExtra returns a copy of m (sharing its network) with the extra
// blocks of an Adam checkpoint: two moments the size of the parameters,
// a one-value step count and an empty block. The values include −0, a
// float32 subnormal and numbers that float32 must round.
func withExtra[T tensor.Float](m *Model[T]) *Model[T] {
	c := *m
	p := m.Network.NumParams()
	mom, vel := make([]T, p), make([]T, p)
	for i := range p {
		mom[i] = T(float64(i)/3 - 5)
		vel[i] = T(math.Exp(-float64(i)))
	}
	mom[0] = T(math.Copysign(0, -1))
	vel[p-1] = T(1e-40)
	c.Extra = []Extra[T]{
		{Name: "adam.m", Values: mom},
		{Name: "adam.v", Values: vel},
		{Name: "steps", Values: []T{1234}},
		{Name: "empty Δ", Values: []T{}},
	}
	return &c
}

func TestExtraRoundTrip(t *testing.T) {
	t.Run("float32", testExtraRoundTrip[float32])
	t.Run("float64", testExtraRoundTrip[float64])
}

func testExtraRoundTrip[T tensor.Float](t *testing.T) {
	dir := t.TempDir()
	dt, size := tensor.DType[T]()
	for _, tc := range testModels[T](t) {
		m := withExtra(tc.m)
		b := encode(t, m)
		got, err := Read[T](bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: Read: %v", tc.name, err)
		}
		if err := sameModel(t, got, m); err != nil {
			t.Errorf("%s: WriteTo then Read: %v", tc.name, err)
		}
		if !math.Signbit(float64(got.Extra[0].Values[0])) {
			t.Errorf("%s: −0 in an extra block read back as %v", tc.name, got.Extra[0].Values[0])
		}
		if again := encode(t, got); !bytes.Equal(again, b) {
			t.Errorf("%s: writing the model read back gives different bytes", tc.name)
		}
		path := filepath.Join(dir, tc.name+".nerve")
		if err := Save(path, m); err != nil {
			t.Fatalf("%s: Save: %v", tc.name, err)
		}
		loaded, err := Load[T](path)
		if err != nil {
			t.Fatalf("%s: Load: %v", tc.name, err)
		}
		if err := sameModel(t, loaded, m); err != nil {
			t.Errorf("%s: Save then Load: %v", tc.name, err)
		}

		// The header lists the blocks; params stays the parameter count.
		h, err := ReadHeader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: ReadHeader: %v", tc.name, err)
		}
		P := m.Network.NumParams()
		wantExtra := []HeaderExtra{{"adam.m", P}, {"adam.v", P}, {"steps", 1}, {"empty Δ", 0}}
		if h.DType != dt || h.Params != P || !reflect.DeepEqual(h.Extra, wantExtra) {
			t.Errorf("%s: header dtype %s, params %d, extra %+v; want %s, %d, %+v", tc.name, h.DType, h.Params, h.Extra, dt, P, wantExtra)
		}
		// The layout: parameters, then the blocks in order, then the CRC.
		hlen := int(binary.LittleEndian.Uint32(b[12:]))
		if got, want := len(b), 20+hlen+(3*P+1)*size; got != want {
			t.Errorf("%s: file is %d bytes; want %d", tc.name, got, want)
		}
		at := func(i int) float64 {
			off := 16 + hlen + i*size
			if size == 4 {
				return float64(math.Float32frombits(binary.LittleEndian.Uint32(b[off:])))
			}
			return math.Float64frombits(binary.LittleEndian.Uint64(b[off:]))
		}
		last := m.Network.Layers[len(m.Network.Layers)-1]
		lastParam := last.W.Data()[len(last.W.Data())-1]
		if last.B != nil {
			lastParam = last.B.Data()[len(last.B.Data())-1]
		}
		for _, c := range []struct {
			i    int
			want T
		}{{P - 1, lastParam}, {P, m.Extra[0].Values[0]}, {P + 1, m.Extra[0].Values[1]}, {2 * P, m.Extra[1].Values[0]}, {3 * P, 1234}} {
			if got := at(c.i); math.Float64bits(got) != math.Float64bits(float64(c.want)) {
				t.Errorf("%s: value %d of the file is %v; want %v", tc.name, c.i, got, c.want)
			}
		}
	}
}

// A model without extra blocks writes "extra": null; a header with an
// empty list, or without the key, reads as a plain model.
func TestExtraAbsent(t *testing.T) {
	m := testModels[float32](t)[2].m
	b := encode(t, m)
	hdr, _ := fileParts(b)
	if !bytes.Contains(hdr, []byte("\n  \"params\": 109,\n  \"extra\": null,\n")) {
		t.Errorf("header of a plain model:\n%s", hdr)
	}
	// editHeader reorders the training object's keys: use a model without.
	xor := testModels[float32](t)[0].m
	for name, f := range map[string]func(h map[string]any){
		"empty list": func(h map[string]any) { h["extra"] = []any{} },
		"no key":     func(h map[string]any) { delete(h, "extra") },
	} {
		got, err := Read[float32](bytes.NewReader(editHeader(t, encode(t, xor), f)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got.Extra != nil {
			t.Errorf("%s: Extra %v; want nil", name, got.Extra)
		}
		if err := sameModel(t, got, xor); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	// An empty Extra is written as none.
	e := *m
	e.Extra = []Extra[float32]{}
	if !bytes.Equal(encode(t, &e), b) {
		t.Error("a model with an empty Extra writes other bytes than one with a nil Extra")
	}
}

func TestExtraConvertsDType(t *testing.T) {
	for _, tc := range testModels[float64](t) {
		m := withExtra(tc.m)
		// float64 file, float32 model: every value rounds to nearest.
		got, err := Read[float32](bytes.NewReader(encode(t, m)))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if err := sameModel(t, got, m); err != nil {
			t.Errorf("%s: float64 file read as float32: %v", tc.name, err)
		}
	}
	for _, tc := range testModels[float32](t) {
		m := withExtra(tc.m)
		// float32 file, float64 model: exact.
		got, err := Read[float64](bytes.NewReader(encode(t, m)))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if err := sameModel(t, got, m); err != nil {
			t.Errorf("%s: float32 file read as float64: %v", tc.name, err)
		}
	}
	// An extra value beyond float32's range cannot be read as float32.
	m := withExtra(testModels[float64](t)[5].m)
	m.Extra[1].Values[1] = -1e300
	b := encode(t, m)
	if _, err := Read[float64](bytes.NewReader(b)); err != nil {
		t.Fatal(err)
	}
	_, err := Read[float32](bytes.NewReader(b))
	if want := `extra "adam.v": value 1 is -1e+300, beyond the range of float32`; !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), want) {
		t.Errorf("-1e300 read as float32: %v; want %q", err, want)
	}
}

// extraAt returns header h's extra block i, for editHeader.
func extraAt(h map[string]any, i int) map[string]any {
	return h["extra"].([]any)[i].(map[string]any)
}

func TestExtraReadRejects(t *testing.T) {
	m := withExtra(testModels[float32](t)[0].m) // xor: 17 parameters, 4 blocks
	good := encode(t, m)
	hdr, values := fileParts(good)
	P := m.Network.NumParams()
	// The edited header has another length: n is the size of a file
	// with the blocks as written and the header edited.
	n := len(editHeader(t, good, func(map[string]any) {}))
	edit := func(f func(h map[string]any)) []byte { return editHeader(t, good, f) }
	withValue := func(i int, v float32) []byte {
		p := bytes.Clone(values)
		binary.LittleEndian.PutUint32(p[4*i:], math.Float32bits(v))
		return assemble(1, hdr, p)
	}
	huge := json.Number(fmt.Sprint(int64(1) << 62))
	for _, tc := range []struct {
		name   string
		b      []byte
		want   string
		values bool // only Read sees it: ReadHeader does not decode values
	}{
		{"duplicate name", edit(func(h map[string]any) { extraAt(h, 2)["name"] = "adam.m" }), `header field extra[2].name: "adam.m" appears twice`, false},
		{"empty name", edit(func(h map[string]any) { extraAt(h, 1)["name"] = "" }), "header field extra[1].name: empty, want a name", false},
		{"name missing", edit(func(h map[string]any) { delete(extraAt(h, 0), "name") }), "header field extra[0].name: empty", false},
		{"name a number", edit(func(h map[string]any) { extraAt(h, 0)["name"] = 7 }), "header field extra.name: number, want a string", false},
		{"negative len", edit(func(h map[string]any) { extraAt(h, 3)["len"] = -1 }), "header field extra[3].len: -1, want ≥ 0", false},
		{"fractional len", edit(func(h map[string]any) { extraAt(h, 2)["len"] = 1.5 }), "header field extra.len: number 1.5, want an integer", false},
		{"len too long", edit(func(h map[string]any) { extraAt(h, 2)["len"] = 2 }), fmt.Sprintf("truncated: the header describes a %d-byte file, %d bytes are present", n+4, n), false},
		{"len too short", edit(func(h map[string]any) { extraAt(h, 0)["len"] = P - 1 }), fmt.Sprintf("trailing bytes after the end of the model: the header describes a %d-byte file, %d bytes are present (at byte %d)", n-4, n, n-4), false},
		{"block added", edit(func(h map[string]any) {
			h["extra"] = append(h["extra"].([]any), map[string]any{"name": "more", "len": 1})
		}), "truncated: the header describes a", false},
		{"blocks dropped", edit(func(h map[string]any) { h["extra"] = nil }), "trailing bytes after the end of the model", false},
		{"len huge", edit(func(h map[string]any) { extraAt(h, 0)["len"] = huge }), "header field extra[0].len: 4611686018427387904: the parameters and extra values would not fit in a file of MaxModelBytes (1073741824 bytes)", false},
		{"len MaxInt64", edit(func(h map[string]any) { extraAt(h, 1)["len"] = json.Number(fmt.Sprint(math.MaxInt64)) }), "header field extra[1].len: 9223372036854775807: the parameters and extra values would not fit", false},
		{"lens add up past the limit", edit(func(h map[string]any) {
			extraAt(h, 0)["len"] = 1 << 27 // 2^28 float32 values fill 1 GiB
			extraAt(h, 1)["len"] = 1 << 27
		}), "header field extra[1].len: 134217728: the parameters and extra values would not fit", false},
		{"len overflows int", edit(func(h map[string]any) { extraAt(h, 0)["len"] = json.Number("1e30") }), "header field extra.len", false},
		{"extra an object", edit(func(h map[string]any) { h["extra"] = map[string]any{"adam.m": P} }), "header field extra: object, want an array", false},
		{"NaN in a block", withValue(P+3, float32(math.NaN())), fmt.Sprintf(`extra "adam.m": value 3 is NaN (at byte %d)`, 16+len(hdr)+4*(P+3)), true},
		{"Inf in the last block", withValue(3*P, float32(math.Inf(1))), `extra "steps": value 0 is +Inf`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reads := map[string]func([]byte) error{
				"Read[float32]": func(b []byte) error { _, err := Read[float32](bytes.NewReader(b)); return err },
				"Read[float64]": func(b []byte) error { _, err := Read[float64](bytes.NewReader(b)); return err },
				"ReadHeader":    func(b []byte) error { _, err := ReadHeader(bytes.NewReader(b)); return err },
			}
			for name, read := range reads {
				err := read(tc.b)
				if tc.values && name == "ReadHeader" {
					if err != nil {
						t.Errorf("ReadHeader: %v; want no error: it does not decode the values", err)
					}
					continue
				}
				var fe *FormatError
				if !errors.Is(err, ErrFormat) || !errors.As(err, &fe) || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("%s: error %v; want a *FormatError containing %q", name, err, tc.want)
				}
			}
		})
	}
}

// A header that announces a block of 2^28 float32 values, 1 GiB, in a
// small file is rejected before anything is allocated for it.
func TestExtraNoAllocationBeforeBytes(t *testing.T) {
	m := withExtra(testModels[float32](t)[0].m)
	P := m.Network.NumParams()
	b := editHeader(t, encode(t, m), func(h map[string]any) {
		extraAt(h, 1)["len"] = (MaxModelBytes-4096)/4 - 2*int64(P) - 1
	})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Read[float32](bytes.NewReader(b))
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "truncated: the header describes a") {
		t.Fatalf("Read: %v; want a truncated error", err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
		t.Errorf("Read allocated %d bytes for a %d-byte file", got, len(b))
	}
}

// Every prefix of a file with extra blocks is truncated, and every single
// flipped bit is caught.
func TestExtraEveryTruncationAndBitFlip(t *testing.T) {
	m := withExtra(testModels[float32](t)[5].m) // tiny: 2 parameters
	b := encode(t, m)
	for i := range len(b) {
		if _, err := Read[float32](bytes.NewReader(b[:i])); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "truncated") {
			t.Fatalf("first %d of %d bytes: %v; want a truncated error", i, len(b), err)
		}
	}
	for i := range len(b) {
		for bit := range 8 {
			c := bytes.Clone(b)
			c[i] ^= 1 << bit
			if _, err := Read[float32](bytes.NewReader(c)); !errors.Is(err, ErrFormat) {
				t.Fatalf("bit %d of byte %d flipped: %v; want ErrFormat", bit, i, err)
			}
		}
	}
}

func TestExtraValidate(t *testing.T) {
	base := func() *Model[float64] { return withExtra(testModels[float64](t)[0].m) }
	empty, dup, utf, nan, inf := base(), base(), base(), base(), base()
	empty.Extra[2].Name = ""
	dup.Extra[3].Name = "adam.v"
	utf.Extra[1].Name = "adam\xff"
	nan.Extra[0].Values[5] = math.NaN()
	inf.Extra[2].Values[0] = math.Inf(-1)
	for _, tc := range []struct {
		m    *Model[float64]
		want string
	}{
		{empty, "Extra[2]: empty name"},
		{dup, `Extra[3]: name "adam.v" appears twice`},
		{utf, `Extra[1]: name "adam\xff" is not valid UTF-8`},
		{nan, `Extra[0] "adam.m": value 5 is NaN`},
		{inf, `Extra[2] "steps": value 0 is -Inf`},
	} {
		err := tc.m.Validate()
		if !errors.Is(err, nn.ErrConfig) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate: %v; want ErrConfig containing %q", err, tc.want)
		}
		if _, werr := tc.m.WriteTo(io.Discard); werr == nil || werr.Error() != err.Error() {
			t.Errorf("WriteTo: %v; want Validate's error", werr)
		}
		// Predict does not need the extra blocks.
		if _, err := tc.m.Predict(tensor.Zeros[float64](1, 2)); err != nil {
			t.Errorf("Predict: %v", err)
		}
	}
}

// MaxModelBytes counts the extra values too.
func TestExtraSizeLimit(t *testing.T) {
	m := withExtra(testModels[float64](t)[0].m)
	b := encode(t, m)
	defer func(old int64) { MaxModelBytes = old }(MaxModelBytes)
	MaxModelBytes = int64(len(b))
	if _, err := Read[float64](bytes.NewReader(b)); err != nil {
		t.Errorf("file of exactly MaxModelBytes: %v", err)
	}
	MaxModelBytes = int64(len(b) - 8)
	if _, err := m.WriteTo(io.Discard); !errors.Is(err, nn.ErrConfig) || !strings.Contains(err.Error(), fmt.Sprintf("the model file would be %d bytes, more than MaxModelBytes", len(b))) {
		t.Errorf("WriteTo: %v; want a too-large error", err)
	}
	if _, err := m.WriteTo(io.Discard); err == nil {
		t.Error("WriteTo accepted a file over MaxModelBytes")
	}
	// A header whose blocks alone could not fit is rejected by the count,
	// before the size of the file is compared.
	MaxModelBytes = 1 << 30
	big := editHeader(t, b, func(h map[string]any) { extraAt(h, 3)["len"] = 1 << 27 })
	if _, err := ReadHeader(bytes.NewReader(big)); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "header field extra[3].len: 134217728: the parameters and extra values would not fit") {
		t.Errorf("ReadHeader: %v", err)
	}
}

// The numpy reader, which knows nothing of extra blocks, reads the
// parameters of a file that has them.
func TestReaderMatchesWriterWithExtra(t *testing.T) {
	if err := exec.Command(python, "-c", "import numpy").Run(); err != nil {
		t.Skipf("no %s with numpy (%v)", python, err)
	}
	t.Run("classifier/float64", func(t *testing.T) { runReader(t, withExtra(readerModel[float64](t)), 1e-6) })
	t.Run("regressor/float32", func(t *testing.T) { runReader(t, withExtra(readerRegressor[float32](t)), 1e-4) })
}
