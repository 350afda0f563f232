package onnx

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/model"
)

// This file writes the front end of a model with table preprocessing
// (data.Preprocessing): one graph input per raw column and the nodes that
// do what Preprocessing.Transform does, ending in the [N, width] matrix
// the first Gemm reads.
//
// A numeric column k arrives as x, float [N, 1], with NaN for a missing
// cell:
//
//	x′ = (Where(IsNaN(x), median, x) − mean) / scale
//
// A categorical column arrives as s, string [N, 1]. Its one-hot block is
// a TfIdfVectorizer (default domain, opset 9) counting 1-grams from a
// pool of the column's categories: each row holds one string, so the
// count of category j is 1 if s equals it and 0 otherwise, and a string
// in no pool (an unseen category) gives all zeros, as Transform does.
// Equal, the obvious operator, takes strings only from opset 19, and
// python3-onnx 1.12's checker (which knows opsets up to 17) refuses it.
// When the column has a "(missing)" input (PrepColumn.Missing), a second
// TfIdfVectorizer counts matches against every string that
// strings.EqualFold matches to a missing-cell token
// (data.Preprocessing.MissingTokens: "" NA N/A NaN null ? and the model's
// own), and ReduceSum over axis 1 gives that input, m [N, 1]. When a
// missing cell takes a category instead (PrepColumn.Fill, category j),
// the same m is added to the one-hot block through a mask that is 1 at j
// only, onehot + m · mask with mask [1, categories]: exact, as m and the
// counts are 0 or 1 and a missing token is never a category. Enumerating the case variants (the product of each
// rune's unicode.SimpleFold orbit: "null" has 16) matches exactly as Go's
// EqualFold does, where StringNormalizer's LOWER depends on the runtime's
// locale: ONNX Runtime 1.30 refuses to load a StringNormalizer where
// en_US.UTF-8 is not installed. No category is a missing token (Export
// checks), so a missing cell never counts as a category. For a float64
// graph each categorical block is Cast to double (TfIdfVectorizer
// outputs float).
//
// The blocks are Concat-ed along axis 1 in Preprocessing.Features order.
// Strings are compared as given: nerve trims a cell's surrounding white
// space when it reads a table, and the graph expects cells trimmed the
// same way. ONNX Runtime needs a batch of at least one row for the
// string operators.

// MetaInputs is the metadata_props key of a table model's graph inputs:
// a JSON array with one object per raw column, in input order, such as
// {"input": "weight kg", "column": "weight kg", "type": "numeric",
// "elem": "float32"}. "input" is the graph input's name: the column's,
// unless the graph uses that name already (then "column:" and the name);
// "type" is "numeric" (feed NaN for a missing cell) or "categorical"
// (feed the cell's text); "elem" is the input's element type, "float32",
// "float64" or "string".
const MetaInputs = "nerve.inputs"

// tableInput is one element of MetaInputs.
type tableInput struct {
	Input  string `json:"input"`
	Column string `json:"column"`
	Type   string `json:"type"`
	Elem   string `json:"elem"`
}

// maxMissingVariants bounds the case variants of the missing-cell tokens
// one categorical column's pool holds.
const maxMissingVariants = 1 << 15

// placeholder is the name of column k's graph input until nameInputs
// gives it its own.
func placeholder(k int) string { return "\x00column " + strconv.Itoa(k) }

// table appends the inputs, initializers and nodes of p's front end and
// returns the name of its output, [N, p.Width()]. The inputs are named
// by placeholder until nameInputs renames them.
func (b *builder) table(p *data.Preprocessing) (string, error) {
	var missing []string // the case variants of the missing tokens, once
	blocks := make([]string, 0, len(p.Columns))
	for k, c := range p.Columns {
		if !utf8.ValidString(c.Name) {
			return "", fmt.Errorf("%w: column %d: name %q is not valid UTF-8, which ONNX names must be", ErrExport, k+1, c.Name)
		}
		in, pre := placeholder(k), fmt.Sprintf("c%d_", k+1)
		if c.Type == data.Numeric { // x′ = (Where(IsNaN(x), median, x) − mean) / scale
			b.g.inputs = append(b.g.inputs, b.tensorInfo(in, b.dtype, 1))
			nan := b.node("IsNaN", pre+"isnan", []string{in})
			x := b.node("Where", pre+"imputed", []string{nan, b.floats(pre+"median", []float64{c.Median}), in})
			x = b.node("Sub", pre+"centred", []string{x, b.floats(pre+"mean", []float64{c.Mean})})
			blocks = append(blocks, b.node("Div", pre+"standardised", []string{x, b.floats(pre+"scale", []float64{c.Scale})}))
			continue
		}
		b.g.inputs = append(b.g.inputs, b.tensorInfo(in, typeString, 1))
		if missing == nil {
			var err error
			if missing, err = missingVariants(p.MissingTokens()); err != nil {
				return "", err
			}
		}
		var parts []string
		if len(c.Categories) > 0 { // [N, categories]: 1 where s is category j
			for _, s := range c.Categories {
				if _, found := slices.BinarySearch(missing, s); found {
					return "", fmt.Errorf("%w: column %q: category %q is a missing-cell token, which Transform never one-hot encodes", ErrExport, c.Name, s)
				}
			}
			parts = append(parts, b.node("TfIdfVectorizer", pre+"onehot", []string{in}, unigramCounts(c.Categories)...))
		}
		var isMissing string // [N, 1]: 1 where s is a missing token
		if c.Missing || c.Fill != "" {
			matches := b.node("TfIdfVectorizer", pre+"missing_matches", []string{in}, unigramCounts(missing)...)
			isMissing = b.node("ReduceSum", pre+"missing", []string{matches, b.axis1()}, intAttribute("keepdims", 1))
		}
		if c.Missing {
			parts = append(parts, isMissing)
		}
		x := parts[0]
		if len(parts) > 1 {
			x = b.node("Concat", pre+"onehot_missing", parts, intAttribute("axis", 1))
		}
		if c.Fill != "" { // onehot + isMissing · mask, mask [1, categories] 1 at Fill
			j, found := slices.BinarySearch(c.Categories, c.Fill)
			if !found || c.Missing {
				return "", fmt.Errorf("%w: column %q: fill %q is not one of its categories, or comes with missing", ErrExport, c.Name, c.Fill)
			}
			mask := make([]float64, len(c.Categories))
			mask[j] = 1
			fill := b.node("Mul", pre+"fill", []string{isMissing, b.floatsOf(typeFloat, pre+"fill_mask", mask, 1, int64(len(mask)))})
			x = b.node("Add", pre+"onehot_filled", []string{x, fill})
		}
		if b.dtype == typeDouble {
			x = b.node("Cast", pre+"double", []string{x}, intAttribute("to", typeDouble))
		}
		blocks = append(blocks, x)
	}
	return b.node("Concat", "features", blocks, intAttribute("axis", 1)), nil
}

// axis1 returns the name of the int64 initializer [1], adding it once.
func (b *builder) axis1() string {
	const name = "axis_1"
	for _, t := range b.g.initializers {
		if t.name == name {
			return name
		}
	}
	b.g.initializers = append(b.g.initializers, &tensorProto{name: name, dims: []int64{1}, dataType: typeInt64, int64Data: []int64{1}})
	return name
}

// unigramCounts returns the attributes of a TfIdfVectorizer that counts,
// in each row, the occurrences of pool[j] as output column j.
func unigramCounts(pool []string) []*attribute {
	idx := make([]int64, len(pool))
	strs := make([][]byte, len(pool))
	for j, s := range pool {
		idx[j], strs[j] = int64(j), []byte(s)
	}
	return []*attribute{
		intAttribute("max_gram_length", 1),
		intAttribute("min_gram_length", 1),
		intAttribute("max_skip_count", 0),
		{name: "mode", typ: attrString, s: []byte("TF")},
		{name: "ngram_counts", typ: attrInts, ints: []int64{0}},
		{name: "ngram_indexes", typ: attrInts, ints: idx},
		{name: "pool_strings", typ: attrStrings, strings: strs},
	}
}

// missingVariants returns, sorted, every string strings.EqualFold matches
// to one of tokens.
func missingVariants(tokens []string) ([]string, error) {
	var all []string
	for _, tok := range tokens {
		if !utf8.ValidString(tok) {
			return nil, fmt.Errorf("%w: missing-cell token %q is not valid UTF-8", ErrExport, tok)
		}
		v, ok := foldVariants(tok, maxMissingVariants-len(all))
		if !ok {
			return nil, fmt.Errorf("%w: the missing-cell tokens have more than %d case variants (%q adds too many): the graph lists each one", ErrExport, maxMissingVariants, tok)
		}
		all = append(all, v...)
	}
	slices.Sort(all)
	return slices.Compact(all), nil
}

// foldVariants returns every string that strings.EqualFold matches to
// the valid UTF-8 string tok: one rune of each rune's case-fold orbit
// (unicode.SimpleFold) in turn. ok is false if there would be more than
// limit of them.
func foldVariants(tok string, limit int) (v []string, ok bool) {
	v = []string{""}
	for _, r := range tok {
		orbit := []rune{r}
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			orbit = append(orbit, f)
		}
		if len(v)*len(orbit) > limit {
			return nil, false
		}
		next := make([]string, 0, len(v)*len(orbit))
		for _, s := range v {
			for _, f := range orbit {
				next = append(next, s+string(f))
			}
		}
		v = next
	}
	return v, len(v) <= limit
}

// countVariants returns the number of strings that missingVariants
// returns for tokens (distinct without regard to case, as
// Preprocessing.MissingTokens gives them), or more than
// maxMissingVariants, without building them.
func countVariants(tokens []string) int {
	total := 0
	for _, tok := range tokens {
		n := 1
		for _, r := range tok {
			k := 1
			for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
				k++
			}
			if n *= k; n > maxMissingVariants {
				return maxMissingVariants + 1
			}
		}
		if total += n; total > maxMissingVariants {
			return maxMissingVariants + 1
		}
	}
	return total
}

// nameInputs gives the table inputs their names, once the whole graph
// is built: each column's own name, or, where a value of the graph (or an
// earlier input) has that name, "column:" and the name, with "#2", "#3" …
// until it is free. It rewrites the placeholders and returns the inputs'
// descriptions.
func (b *builder) nameInputs(p *data.Preprocessing) []tableInput {
	used := map[string]bool{}
	for _, n := range b.g.nodes {
		for _, o := range n.outputs {
			used[o] = true
		}
	}
	for _, t := range b.g.initializers {
		used[t.name] = true
	}
	for _, o := range b.g.outputs {
		used[o.name] = true
	}
	rename := map[string]string{}
	inputs := make([]tableInput, len(p.Columns))
	for k, c := range p.Columns {
		name := c.Name
		for i := 1; used[name]; i++ {
			name = "column:" + c.Name
			if i > 1 {
				name += "#" + strconv.Itoa(i)
			}
		}
		used[name] = true
		rename[placeholder(k)] = name
		in := tableInput{Input: name, Column: c.Name, Type: c.Type.String(), Elem: "string"}
		if c.Type == data.Numeric {
			in.Elem = map[int64]string{typeFloat: "float32", typeDouble: "float64"}[b.dtype]
		}
		inputs[k] = in
	}
	b.renameInputs(rename)
	return inputs
}

// renameInputs replaces the graph inputs' names, and the node inputs that
// read them, by rename's.
func (b *builder) renameInputs(rename map[string]string) {
	for _, in := range b.g.inputs {
		if to, ok := rename[in.name]; ok {
			in.name = to
		}
	}
	for _, n := range b.g.nodes {
		for i, s := range n.inputs {
			if to, ok := rename[s]; ok {
				n.inputs[i] = to
			}
		}
	}
}

// headerPreprocessing returns the table preprocessing in the nerve.model
// metadata, or nil (none, or metadata build will refuse).
func headerPreprocessing(md []entry) *data.Preprocessing {
	for _, kv := range md {
		if kv.key == MetaModel {
			var h model.Header
			if json.Unmarshal([]byte(kv.value), &h) == nil {
				return h.Preprocessing
			}
		}
	}
	return nil
}

// tableFront checks that the graph starts with exactly the front end
// Export writes for prep: the same inputs (any names), nodes and
// initializers, in the precision of the graph's float output. It makes
// the front end's output the running value and returns the number of
// its nodes.
func (m *matcher) tableFront(gp *graphProto, inputs []*valueInfo, prep *data.Preprocessing) (int, error) {
	g := m.g
	if g.opset < MinOpset {
		return 0, unsupported("a table model's graph at opset %d: nerve export writes them at opsets %d to %d", g.opset, MinOpset, MaxOpset)
	}
	g.dtype = typeFloat
	for _, o := range gp.outputs {
		if o.elemType == typeDouble {
			g.dtype = typeDouble
		}
	}
	// The front end lists every category and missing-token variant in
	// its pools: metadata asking for more strings than the graph holds
	// cannot match, and is refused before they are built.
	pool, need, variants := 0, 0, countVariants(prep.MissingTokens())
	for _, n := range gp.nodes {
		for _, a := range n.attrs {
			pool += len(a.strings)
		}
	}
	for _, c := range prep.Columns {
		if c.Type != data.Numeric {
			need += len(c.Categories)
			if c.Missing || c.Fill != "" {
				need += variants
			}
		}
	}
	if need > pool {
		return 0, unsupported("the preprocessing in metadata %s needs %d category and missing-token strings, the graph's nodes hold %d", MetaModel, need, pool)
	}
	want := &builder{g: &graphProto{}, dtype: g.dtype}
	out, err := want.table(prep)
	if err != nil {
		return 0, unsupported("metadata %s: its preprocessing: %v", MetaModel, err)
	}
	if len(inputs) != len(want.g.inputs) {
		return 0, unsupported("the graph has %d inputs, the table model's preprocessing in metadata %s has %d columns", len(inputs), MetaModel, len(prep.Columns))
	}
	rename := map[string]string{}
	for k, in := range inputs {
		rename[in.name] = placeholder(k)
		got := *in
		got.name = placeholder(k)
		if !bytes.Equal(encoded(got.encode), encoded(want.g.inputs[k].encode)) {
			return 0, unsupported("input %d %q: want column %q as %s [N, 1]", k, in.name, prep.Columns[k].Name, map[bool]string{true: "float", false: "string"}[prep.Columns[k].Type == data.Numeric])
		}
	}
	for i, w := range want.g.nodes {
		if i >= len(gp.nodes) {
			return 0, unsupported("the graph ends inside the table front end")
		}
		n := *gp.nodes[i]
		n.inputs = slices.Clone(n.inputs)
		for j, s := range n.inputs {
			if to, ok := rename[s]; ok {
				n.inputs[j] = to
			}
		}
		if !bytes.Equal(encoded(n.encode), encoded(w.encode)) {
			return 0, unsupported("node %d %q (%s): not the table front end nerve export writes for the preprocessing in metadata %s", i, n.name, n.opType, MetaModel)
		}
	}
	have := map[string]*tensorProto{}
	for _, t := range gp.initializers {
		have[t.name] = t
	}
	for _, w := range want.g.initializers {
		t, ok := have[w.name]
		if !ok || !bytes.Equal(encoded(t.encode), encoded(w.encode)) {
			return 0, unsupported("initializer %q: not the one nerve export writes for the preprocessing in metadata %s", w.name, MetaModel)
		}
	}
	g.features = prep.Width()
	m.cur = out
	return len(want.g.nodes), nil
}

// encoded returns the bytes a message's encode method writes.
func encoded(encode func(*enc)) []byte {
	var e enc
	encode(&e)
	return e.b
}
