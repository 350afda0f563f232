package nerve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// module is nerve's module path.
const module = "github.com/nerve-ml/nerve"

// layers gives every package of the module its layer, by path relative to
// the module root ("" is the root package, the high-level Classifier and
// Regressor). A package may import nerve packages only from strictly lower
// layers.
var layers = map[string]int{
	"":                    6,
	"internal/kernel":     0,
	"internal/atomicfile": 0,
	"rng":                 0,
	"tensor":              1,
	"activation":          2,
	"loss":                2,
	"optim":               2,
	"data":                2,
	"metrics":             2,
	"nn":                  3,
	"train":               4,
	"gradcheck":           4,
	"model":               5,
	"trace":               5,
	"plot":                6,
	"onnx":                6,
	"tutorials":           5,
	"serve":               6,
	"playground":          6,
	"cmd/nerve":           7,
}

// layer0Allowed are the packages outside the standard library that a
// layer-0 package may import.
var layer0Allowed = []string{"golang.org/x/sys/cpu"}

// forbidden are imports no nerve package may have outside its tests:
// every random draw comes from package rng, seeded explicitly.
var forbidden = map[string]string{
	"math/rand":    "draw random numbers from package rng",
	"math/rand/v2": "draw random numbers from package rng",
}

// notIn lists, for some packages, imports they must not have although
// the layers allow them: nn is the network and its steps; files, JSON and
// checksums are package model's business.
var notIn = map[string][]string{
	"nn": {"encoding/json", "hash/crc32", "os", module + "/data", module + "/internal/atomicfile"},
}

// pkgInfo is the part of "go list -json" that the layering check reads.
type pkgInfo struct {
	ImportPath string
	Imports    []string // non-test imports only
}

// checkLayers returns one message per violation of the layering rules
// among pkgs, sorted.
func checkLayers(pkgs []pkgInfo) []string {
	var problems []string
	report := func(format string, a ...any) {
		problems = append(problems, fmt.Sprintf(format, a...))
	}
	for _, p := range pkgs {
		rel, inModule := relPath(p.ImportPath)
		if !inModule {
			report("%s is not in module %s", p.ImportPath, module)
			continue
		}
		for _, imp := range p.Imports {
			if why, ok := forbidden[imp]; ok {
				report("%s imports %s: %s", p.ImportPath, imp, why)
			}
		}
		layer, ok := layers[rel]
		if !ok {
			report("package %s is not in the layering table: add %q with its layer to layers in layering_test.go (and to the table in doc.go and README.md)", p.ImportPath, rel)
			continue
		}
		for _, imp := range p.Imports {
			if slices.Contains(notIn[rel], imp) {
				report("%s imports %s, which it must not (see notIn in layering_test.go)", p.ImportPath, imp)
			}
			irel, ok := relPath(imp)
			if !ok {
				if layer == 0 && !isStd(imp) && !slices.Contains(layer0Allowed, imp) {
					report("%s (layer 0) imports %s: layer 0 may import only the standard library and %s", p.ImportPath, imp, strings.Join(layer0Allowed, ", "))
				}
				continue
			}
			ilayer, ok := layers[irel]
			switch {
			case !ok:
				report("%s imports %s, which is not in the layering table in layering_test.go", p.ImportPath, imp)
			case ilayer >= layer:
				report("%s (layer %d) imports %s (layer %d): a package may import nerve packages only from lower layers", p.ImportPath, layer, imp, ilayer)
			}
		}
	}
	slices.Sort(problems)
	return slices.Compact(problems)
}

// relPath returns path relative to the module root ("" for the root
// package) and whether path is in the module at all.
func relPath(path string) (string, bool) {
	if path == module {
		return "", true
	}
	rel, ok := strings.CutPrefix(path, module+"/")
	return rel, ok
}

// isStd reports whether path is in the standard library: its first
// element has no dot, as for every std package and never for a module
// path that can be downloaded. cgo's "C" (rng's -tags libmlog build calls
// the C library's log) counts as standard.
func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// listPackages runs "go list -e -json ./..." with the given extra
// arguments and environment and decodes its output.
func listPackages(t *testing.T, gotool string, env, args []string) []pkgInfo {
	t.Helper()
	cmd := exec.Command(gotool, append(append([]string{"list", "-e", "-json"}, args...), "./...")...)
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %s (%s): %v\n%s", strings.Join(args, " "), strings.Join(env, " "), err, stderr.Bytes())
	}
	var pkgs []pkgInfo
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			pkgInfo
			Error *struct{ Err string }
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("decoding go list output: %v", err)
		}
		if p.Error != nil {
			// A package that does not build fails its own tests; check
			// the imports go list could read.
			t.Logf("go list: %s: %s", p.ImportPath, p.Error.Err)
		}
		pkgs = append(pkgs, p.pkgInfo)
	}
	return pkgs
}

// TestLayering checks the module's packages against the layering table,
// for the native build, with the optional build tags (noasm, libmlog) and
// for the two architectures with kernels, so that files behind build
// constraints are checked too.
func TestLayering(t *testing.T) {
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	configs := []struct {
		env, args []string
	}{
		{nil, nil},
		{[]string{"CGO_ENABLED=1"}, []string{"-tags", "noasm,libmlog"}},
		{[]string{"GOOS=linux", "GOARCH=amd64", "CGO_ENABLED=0"}, nil},
		{[]string{"GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0"}, nil},
	}
	var problems []string
	for _, c := range configs {
		pkgs := listPackages(t, gotool, c.env, c.args)
		if len(pkgs) == 0 {
			t.Fatalf("go list %s (%s) found no packages", strings.Join(c.args, " "), strings.Join(c.env, " "))
		}
		problems = append(problems, checkLayers(pkgs)...)
	}
	slices.Sort(problems)
	for _, p := range slices.Compact(problems) {
		t.Error(p)
	}
}

func TestCheckLayers(t *testing.T) {
	m := func(rel string) string {
		if rel == "" {
			return module
		}
		return module + "/" + rel
	}
	tests := []struct {
		name string
		pkgs []pkgInfo
		want []string // one substring per expected problem, in sorted order of the problems
	}{
		{
			name: "clean",
			pkgs: []pkgInfo{
				{m(""), []string{m("nn"), m("train"), m("data")}},
				{m("rng"), []string{"math", "golang.org/x/sys/cpu"}},
				{m("internal/kernel"), []string{"unsafe"}},
				{m("tensor"), []string{"fmt", m("internal/kernel")}},
				{m("nn"), []string{m("activation"), m("loss"), m("rng"), m("tensor")}},
				{m("tutorials"), []string{m("nn"), m("gradcheck"), "io"}},
				{m("cmd/nerve"), []string{m(""), m("tutorials"), m("trace"), "flag", "github.com/example/other"}},
			},
		},
		{
			name: "upward import",
			pkgs: []pkgInfo{{m("tensor"), []string{m("nn")}}},
			want: []string{"tensor (layer 1) imports " + m("nn") + " (layer 3)"},
		},
		{
			name: "same layer",
			pkgs: []pkgInfo{{m("loss"), []string{m("activation")}}},
			want: []string{"loss (layer 2) imports " + m("activation") + " (layer 2)"},
		},
		{
			name: "layer 0 importing layer 0",
			pkgs: []pkgInfo{{m("rng"), []string{m("internal/kernel")}}},
			want: []string{"rng (layer 0) imports " + m("internal/kernel") + " (layer 0)"},
		},
		{
			name: "unknown package",
			pkgs: []pkgInfo{{m("optimizers"), []string{m("tensor")}}},
			want: []string{`add "optimizers" with its layer`},
		},
		{
			name: "import of an unknown package",
			pkgs: []pkgInfo{{m("nn"), []string{m("mystery")}}},
			want: []string{m("mystery") + ", which is not in the layering table"},
		},
		{
			name: "math/rand",
			pkgs: []pkgInfo{
				{m("nn"), []string{"math/rand"}},
				{m("cmd/nerve"), []string{"math/rand/v2"}},
			},
			want: []string{"cmd/nerve imports math/rand/v2", "nn imports math/rand:"},
		},
		{
			name: "layer 0 third-party",
			pkgs: []pkgInfo{{m("internal/kernel"), []string{"github.com/klauspost/cpuid/v2"}}},
			want: []string{"internal/kernel (layer 0) imports github.com/klauspost/cpuid/v2"},
		},
		{
			name: "root imports a layer-6 package",
			pkgs: []pkgInfo{{m(""), []string{m("nn"), m("plot")}}},
			want: []string{"nerve (layer 6) imports " + m("plot") + " (layer 6)"},
		},
		{
			name: "root imported below it",
			pkgs: []pkgInfo{{m("train"), []string{m("")}}},
			want: []string{"train (layer 4) imports " + m("") + " (layer 6)"},
		},
		{
			name: "nn imports JSON",
			pkgs: []pkgInfo{{m("nn"), []string{"encoding/json", m("tensor")}}},
			want: []string{"nn imports encoding/json, which it must not"},
		},
		{
			name: "outside the module",
			pkgs: []pkgInfo{{"example.com/other", nil}},
			want: []string{"example.com/other is not in module"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := checkLayers(tt.pkgs)
			if len(got) != len(tt.want) {
				t.Fatalf("checkLayers: %d problems %q; want %d", len(got), got, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("problem %d: %q; want it to contain %q", i, got[i], w)
				}
			}
		})
	}
}

func TestIsStd(t *testing.T) {
	for path, want := range map[string]bool{
		"fmt":                  true,
		"C":                    true,
		"math/rand/v2":         true,
		"unsafe":               true,
		"golang.org/x/sys/cpu": false,
		"github.com/a/b":       false,
	} {
		if got := isStd(path); got != want {
			t.Errorf("isStd(%q) = %v; want %v", path, got, want)
		}
	}
}
