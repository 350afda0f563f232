package onnx

import (
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// checkerScript runs onnx.checker.check_model(full_check=True) on every
// file named on its command line and prints one line per file.
const checkerScript = `
import sys, onnx
for p in sys.argv[1:]:
    onnx.checker.check_model(onnx.load(p), full_check=True)
    print("ok", p)
`

// TestONNXChecker has Debian's python3-onnx (1.12) check every export,
// table models among them, each model at opsets 13 to 17 (the newest 1.12 knows) in both dtypes.
// It skips when python3 or its onnx module is missing.
func TestONNXChecker(t *testing.T) {
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		if py, err = exec.LookPath("python3"); err != nil {
			t.Skip("no python3: install python3-onnx to run onnx.checker on the exports")
		}
	}
	if out, err := exec.Command(py, "-c", "import onnx").CombinedOutput(); err != nil {
		t.Skipf("%s cannot import onnx (install python3-onnx): %v\n%s", py, err, out)
	}
	dir := t.TempDir()
	var files []string
	models := testModels[float32](t)
	maps.Copy(models, tableModels[float32](t))
	for name, m := range models {
		for opset := 13; opset <= 17; opset++ {
			for _, dt := range []string{"float32", "float64"} {
				p := filepath.Join(dir, fmt.Sprintf("%s-%d-%s.onnx", strings.ReplaceAll(name, " ", "_"), opset, dt))
				if err := os.WriteFile(p, export(t, m, Options{Opset: opset, DType: dt}), 0o644); err != nil {
					t.Fatal(err)
				}
				files = append(files, p)
			}
		}
	}
	out, err := exec.Command(py, append([]string{"-c", checkerScript}, files...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("onnx.checker refused an export: %v\n%s", err, out)
	}
	if n := strings.Count(string(out), "ok "); n != len(files) {
		t.Fatalf("checker passed %d files of %d:\n%s", n, len(files), out)
	}
	t.Logf("onnx.checker.check_model(full_check=True) accepted %d exports", len(files))
}
