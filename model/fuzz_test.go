package model

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/rng"

	"github.com/nerve-ml/nerve/tensor"
)

// FuzzRead feeds arbitrary bytes to Read and ReadHeader, each input twice:
// as it is, and with its last 4 bytes replaced by the right CRC-32, so
// that mutations of the header and parameters get past the checksum.
// Neither may panic; every error must be a *FormatError; a model that
// reads must be valid, predict, and write back to a file that reads as
// the same model.
func FuzzRead(f *testing.F) {
	// The seed corpus is in testdata/fuzz/FuzzRead (go test -update
	// rewrites it from fuzzSeeds).
	f.Fuzz(func(t *testing.T, b []byte) {
		checkRead(t, b)
		if len(b) >= preambleBytes+crcBytes {
			c := bytes.Clone(b)
			binary.LittleEndian.PutUint32(c[len(c)-crcBytes:], crc32.ChecksumIEEE(c[:len(c)-crcBytes]))
			checkRead(t, c)
		}
	})
}

func checkRead(t *testing.T, b []byte) {
	h, herr := ReadHeader(bytes.NewReader(b))
	m64, err64 := Read[float64](bytes.NewReader(b))
	m32, err32 := Read[float32](bytes.NewReader(b))
	for _, err := range []error{herr, err64, err32} {
		var fe *FormatError
		if err != nil && (!errors.Is(err, ErrFormat) || !errors.As(err, &fe)) {
			t.Fatalf("error %v (%T) is not a *FormatError", err, err)
		}
	}
	if herr != nil {
		if err64 == nil || err32 == nil {
			t.Fatalf("ReadHeader: %v, but Read succeeds", herr)
		}
		return
	}
	if err64 != nil {
		// Only the parameter and extra values are left to be wrong.
		if msg := err64.Error(); !strings.HasPrefix(msg, "model file: layer ") && !strings.HasPrefix(msg, "model file: extra ") {
			t.Fatalf("ReadHeader succeeds but Read fails with %v", err64)
		}
		return
	}
	if h.Params != m64.Network.NumParams() {
		t.Fatalf("header says %d parameters, the model has %d", h.Params, m64.Network.NumParams())
	}
	roundTrip(t, m64)
	if err32 != nil {
		if !strings.Contains(err32.Error(), "beyond the range of float32") {
			t.Fatalf("reads as float64 but not as float32: %v", err32)
		}
		return
	}
	roundTrip(t, m32)
}

// roundTrip checks that a model Read returned is valid, predicts, and
// writes to a file that reads back as the same model and the same bytes.
func roundTrip[T tensor.Float](t *testing.T, m *Model[T]) {
	if err := m.Validate(); err != nil {
		t.Fatalf("Read returned an invalid model: %v", err)
	}
	if _, err := m.Predict(tensor.Zeros[float64](1, m.Network.Inputs())); err != nil {
		t.Fatalf("Predict: %v", err)
	}
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		t.Fatalf("WriteTo: %v", err)
	}
	m2, err := Read[T](bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("reading the model written back: %v", err)
	}
	if err := sameModel(t, m2, m); err != nil {
		t.Fatalf("written back and read: %v", err)
	}
	var buf2 bytes.Buffer
	m2.WriteTo(&buf2)
	if !bytes.Equal(buf.Bytes(), buf2.Bytes()) {
		t.Fatal("writing a model twice gives different bytes")
	}
}

// fuzzSeeds returns FuzzRead's seed corpus by name: valid files of
// several shapes and both dtypes, and broken variants of them.
func fuzzSeeds(t testing.TB) map[string][]byte {
	m32, m64 := testModels[float32](t), testModels[float64](t)
	xor, classifier := encode(t, m32[0].m), encode(t, m32[2].m)
	seeds := map[string][]byte{
		"valid-xor-float32":        xor,
		"valid-no-bias-float64":    encode(t, m64[1].m),
		"valid-classifier-float32": classifier,
		"valid-int-labels-float64": encode(t, m64[3].m),
		"valid-regression-float64": encode(t, m64[4].m),
		"valid-tiny-float32":       encode(t, m32[5].m),
		"truncated-classifier":     classifier[:len(classifier)/2],
		"flipped-parameter":        func() []byte { c := bytes.Clone(xor); c[len(c)-9] ^= 4; return c }(),
		"version-2":                func() []byte { c := bytes.Clone(xor); c[8] = 2; return c }(),
		"huge-header-length":       func() []byte { c := bytes.Clone(xor); binary.LittleEndian.PutUint32(c[12:], math.MaxUint32); return c }(),
		"unknown-activation": editHeader(t, xor, func(h map[string]any) {
			layer0(h)["activation"] = "swish"
		}),
		"params-mismatch": editHeader(t, classifier, func(h map[string]any) { h["params"] = 1 }),
		"nan-parameter": func() []byte {
			hdr, p := fileParts(xor)
			p = bytes.Clone(p)
			binary.LittleEndian.PutUint32(p, math.Float32bits(float32(math.NaN())))
			return assemble(1, hdr, p)
		}(),
		"valid-extra-float64": encode(t, withExtra(testModels[float64](t)[2].m)),
		"extra-duplicate-name": editHeader(t, encode(t, withExtra(m32[0].m)), func(h map[string]any) {
			h["extra"].([]any)[1].(map[string]any)["name"] = "adam.m"
		}),
		"valid-preprocessing-float32": func() []byte { m, _ := prepModel[float32](t); return encode(t, m) }(),
		"float64-beyond-float32": func() []byte {
			m := testModels[float64](t)[5].m
			m.Network.Layers[0].W.Set(0, 0, -3e200)
			return encode(t, m)
		}(),
	}
	return seeds
}

// corpusFile is a seed in the format of go test's fuzzing corpus.
func corpusFile(b []byte) []byte {
	return []byte("go test fuzz v1\n[]byte(" + strconv.Quote(string(b)) + ")\n")
}

// The committed seed corpus is what fuzzSeeds makes with the current
// writer.
func TestFuzzCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzRead")
	seeds := fuzzSeeds(t)
	if *update {
		os.MkdirAll(dir, 0o755)
		for name, b := range seeds {
			if err := os.WriteFile(filepath.Join(dir, name), corpusFile(b), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name, b := range seeds {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%v (go test ./nn/ -run TestFuzzCorpus -update writes it)", err)
			continue
		}
		// Seeds with normal-drawn weights come out 1 ulp apart in a few
		// places under -tags libmlog; the committed ones are the default
		// build's.
		if !bytes.Equal(got, corpusFile(b)) && !rng.ExactLog {
			t.Errorf("%s: committed seed differs from what the writer makes now (go test ./nn/ -run TestFuzzCorpus -update rewrites it)", name)
		}
		_, err = Read[float32](bytes.NewReader(b))
		if valid := strings.HasPrefix(name, "valid-"); valid != (err == nil) {
			t.Errorf("%s: Read: %v", name, err)
		}
		t.Run(name, func(t *testing.T) { checkRead(t, b) })
	}
}
