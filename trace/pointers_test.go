package trace

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// root is the module's root, relative to this package.
const root = ".."

// decls maps what a package declares at top level ("New", "Dense",
// "Layer.Forward" for a method) to the file, relative to root, that
// declares it, reading each package's non-test Go files once.
type decls struct {
	dirs map[string]string            // package name → directory
	pkgs map[string]map[string]string // directory → declarations
}

// newDecls finds the module's packages: each directory below root with
// non-test Go files, named by its last element (kernel for
// internal/kernel).
func newDecls(t *testing.T) *decls {
	d := &decls{dirs: map[string]string{}, pkgs: map[string]map[string]string{}}
	err := filepath.WalkDir(root, func(dir string, e os.DirEntry, err error) error {
		if err != nil || !e.IsDir() {
			return err
		}
		if n := e.Name(); n == "testdata" || n == "node_modules" || strings.HasPrefix(n, ".") && dir != root {
			return filepath.SkipDir
		}
		if files, _ := filepath.Glob(filepath.Join(dir, "*.go")); len(files) > 0 {
			rel, _ := filepath.Rel(root, dir)
			d.dirs[filepath.Base(rel)] = filepath.ToSlash(rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// lookup returns the file that declares name (a function, type, constant
// or variable, or Type.Method) in package pkg, or "" if none does.
func (d *decls) lookup(t *testing.T, pkg, name string) string {
	dir, ok := d.dirs[pkg]
	if !ok {
		return ""
	}
	if d.pkgs[dir] == nil {
		d.pkgs[dir] = parseDecls(t, dir)
	}
	return d.pkgs[dir][name]
}

// parseDir parses the non-test Go files in dir, keyed by base name.
func parseDir(t *testing.T, dir string) map[string]*ast.File {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*ast.File{}
	fset := token.NewFileSet()
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(file)] = f
	}
	return out
}

func parseDecls(t *testing.T, dir string) map[string]string {
	m := map[string]string{}
	for name, f := range parseDir(t, filepath.Join(root, dir)) {
		rel := dir + "/" + name
		for _, decl := range f.Decls {
			switch decl := decl.(type) {
			case *ast.FuncDecl:
				name := decl.Name.Name
				if decl.Recv != nil {
					name = recvType(decl.Recv.List[0].Type) + "." + name
				}
				m[name] = rel
			case *ast.GenDecl:
				for _, spec := range decl.Specs {
					switch spec := spec.(type) {
					case *ast.TypeSpec:
						m[spec.Name.Name] = rel
					case *ast.ValueSpec:
						for _, n := range spec.Names {
							m[n.Name] = rel
						}
					}
				}
			}
		}
	}
	return m
}

// recvType returns the name of a method's receiver type: Layer for
// (l *Layer[T]).
func recvType(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}

var (
	// pointerRef matches a method, (*pkg.Type).Name, with the methods of
	// the same type named after it (", Backward and Update"), or a
	// qualified name, pkg.Name; then a list of files in brackets,
	// "(nn/network.go, nn/init.go)".
	pointerRef = regexp.MustCompile(`\(\*(\w+)\.(\w+)\)\.(\w+)((?:(?:,| and) [A-Z]\w*\b)*)|\b([a-z]\w*)\.([A-Z]\w*)|\(((?:[\w/]+\.go)(?:, [\w/]+\.go)*)\)`)
	sameType   = regexp.MustCompile(`[A-Z]\w*`)
)

// checkPointers returns a message for each Go function, method, type or
// value that text names but that does not exist, or that the files it
// gives do not declare. Names qualified by something other than one of
// the module's packages (cache.Layers, np.dot) are not checked; a list of
// files applies to the names between it and the list before that are in
// the packages of those files. It also returns how many names it
// checked.
func checkPointers(t *testing.T, d *decls, text string) (problems []string, checked int) {
	type ref struct{ pkg, name string }
	var pending []ref // the names since the last list of files
	for _, m := range pointerRef.FindAllStringSubmatch(text, -1) {
		var refs []ref
		switch {
		case m[1] != "":
			refs = append(refs, ref{m[1], m[2] + "." + m[3]})
			for _, more := range sameType.FindAllString(m[4], -1) {
				refs = append(refs, ref{m[1], m[2] + "." + more})
			}
		case m[5] != "":
			if _, ok := d.dirs[m[5]]; ok {
				refs = append(refs, ref{m[5], m[6]})
			}
		default:
			files := strings.Split(m[7], ", ")
			for _, f := range files {
				if _, err := os.Stat(filepath.Join(root, f)); err != nil {
					problems = append(problems, fmt.Sprintf("%q: no file %s", text, f))
				}
			}
			for _, r := range pending {
				file := d.lookup(t, r.pkg, r.name)
				inDir := func(f string) bool { return path.Dir(f) == path.Dir(file) }
				if file != "" && slices.ContainsFunc(files, inDir) && !slices.Contains(files, file) {
					problems = append(problems, fmt.Sprintf("%q: %s.%s is declared in %s, not in %s", text, r.pkg, r.name, file, m[7]))
				}
			}
			pending = pending[:0]
		}
		for _, r := range refs {
			checked++
			if d.lookup(t, r.pkg, r.name) == "" {
				problems = append(problems, fmt.Sprintf("%q: package %s declares no %s", text, r.pkg, r.name))
			}
		}
		pending = append(pending, refs...)
	}
	return problems, checked
}

// goStrings returns every string constant in package trace's non-test
// source that names a Go file or a qualified name: the "Go" lines of the
// steps and the format strings they are made from, whichever options
// select them.
func goStrings(t *testing.T) []string {
	var out []string
	for _, f := range parseDir(t, ".") {
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatal(err)
			}
			if pointerRef.MatchString(s) {
				out = append(out, s)
			}
			return true
		})
	}
	return out
}

// TestGoPointersExist checks that every function, method, type and file
// that a step's "Go" line names (in every variant steps.go can print) and
// that docs/backprop.md names or links to exists, in the file given.
func TestGoPointersExist(t *testing.T) {
	d := newDecls(t)
	total := 0
	for _, s := range goStrings(t) {
		problems, n := checkPointers(t, d, s)
		total += n
		for _, p := range problems {
			t.Errorf("trace: %s", p)
		}
	}
	if total < 20 {
		t.Errorf("checked %d names in trace's Go lines; want at least 20", total)
	}
	doc, err := os.ReadFile(filepath.Join(root, "docs", "backprop.md"))
	if err != nil {
		t.Fatal(err)
	}
	problems, n := checkPointers(t, d, docPointers(string(doc)))
	for _, p := range problems {
		t.Errorf("docs/backprop.md: %s", p)
	}
	if n < 15 {
		t.Errorf("checked %d names in docs/backprop.md; want at least 15", n)
	}
	t.Logf("checked %d names in trace's Go lines, %d in docs/backprop.md", total, n)
}

// docLink is a Markdown link to Go source: [`name`](../dir/file.go).
var docLink = regexp.MustCompile("\\[`([^`]+)`\\]\\(\\.\\./((?:[\\w/]+/)?(\\w+)/\\w+\\.go)\\)")

// docPointers rewrites backprop.md's links to Go source in the form the
// trace's Go lines take, "(*nn.Layer).Forward (nn/layer.go)": a method
// linked without its package, [`(*Layer).Forward`](../nn/layer.go), is in
// the linked file's package.
func docPointers(doc string) string {
	return docLink.ReplaceAllStringFunc(doc, func(link string) string {
		m := docLink.FindStringSubmatch(link)
		name, file, pkg := m[1], m[2], m[3]
		if rest, ok := strings.CutPrefix(name, "(*"); ok && !strings.Contains(strings.SplitN(rest, ")", 2)[0], ".") {
			name = "(*" + pkg + "." + rest
		}
		return name + " (" + file + ")"
	})
}

// TestCheckPointersFails checks that checkPointers finds a misspelt or
// missing name, a name in the wrong file and a missing file.
func TestCheckPointersFails(t *testing.T) {
	d := newDecls(t)
	for _, text := range []string{
		"(*nn.Layer).Forwad (nn/layer.go): Z = A_prev·W",
		"(*nn.Layer).Backward and LinearBackwards (nn/layer.go)",
		"(*nn.Network).Forward, Backward and Updat (nn/network.go)",
		"loss.Gradient (loss/loss.go), called by tensor.MatMult",
		"(*nn.Network).ForwardInto (nn/network.go)",
		"nn.New draws W (nn/network.go, nn/init.go, nn/nothing.go)",
		docPointers("[`(*Layer).LinearBackward`](../nn/fused.go)"),
	} {
		if problems, _ := checkPointers(t, d, text); len(problems) != 1 {
			t.Errorf("%q: problems %q; want one", text, problems)
		}
	}
	for _, text := range []string{
		"(*nn.Layer).Backward and LinearBackward (nn/layer.go): dA_prev = dZ·Wᵀ by tensor.MatMul",
		"nn.New draws every layer's W from an rng.Source (nn/network.go, nn/init.go)",
		docPointers("[`(*Dense).SumRows`](../tensor/elementwise.go) and [`activation.Backward`](../activation/activation.go)"),
	} {
		if problems, n := checkPointers(t, d, text); len(problems) != 0 || n < 2 {
			t.Errorf("%q: %d names checked, problems %q; want at least 2 and none", text, n, problems)
		}
	}
}
