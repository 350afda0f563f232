package onnx

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// FuzzImport feeds Import arbitrary bytes, starting from every export of
// the test models (table models among them) and every PyTorch fixture: it must never panic, must
// allocate no more than a constant factor of the input's size, and what it
// accepts must be a valid model.
func FuzzImport(f *testing.F) {
	for _, m := range testModels[float32](f) {
		f.Add(export(f, m, Options{}))
		f.Add(export(f, m, Options{Opset: 21, DType: "float64"}))
	}
	for _, m := range tableModels[float32](f) {
		f.Add(export(f, m, Options{}))
		f.Add(export(f, m, Options{Opset: 21, DType: "float64"}))
	}
	paths, _ := filepath.Glob("testdata/torch/*.onnx")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		m, err := importBytes(b)
		runtime.ReadMemStats(&after)
		if limit := 1<<20 + 512*uint64(len(b)); after.TotalAlloc-before.TotalAlloc > limit {
			t.Errorf("Import of %d bytes allocated %d bytes, more than %d", len(b), after.TotalAlloc-before.TotalAlloc, limit)
		}
		if err != nil {
			return
		}
		if err := m.Validate(); err != nil {
			t.Errorf("Import accepted an invalid model: %v", err)
		}
		if _, err := m.Predict(nil); err == nil {
			t.Errorf("Predict(nil) gave no error")
		}
	})
}
