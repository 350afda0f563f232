package serve

import (
	"fmt"
	"math"
	"strconv"
)

// parseNumbers appends to dst the numbers of the JSON array b, which may
// nest arrays (V2 accepts a tensor's data flat or nested, row-major). It
// reads the numbers without building a tree of JSON values, so a request
// costs at most 8 bytes per value beyond its body. Every value must be a
// finite JSON number; the error names the first one that is not, counted
// from 0 in row-major order.
func parseNumbers(b []byte, dst []float64) ([]float64, error) {
	p := numParser{b: b, dst: dst}
	p.space()
	if err := p.array(0); err != nil {
		return nil, err
	}
	p.space()
	if p.i != len(p.b) {
		return nil, fmt.Errorf("unexpected %q after the array", p.b[p.i])
	}
	return p.dst, nil
}

// maxNesting bounds how deeply arrays may nest in a tensor's data.
const maxNesting = 32

type numParser struct {
	b   []byte
	i   int
	dst []float64
}

func (p *numParser) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// array reads one array at p.i.
func (p *numParser) array(depth int) error {
	if depth > maxNesting {
		return fmt.Errorf("arrays nested more than %d deep", maxNesting)
	}
	if p.i >= len(p.b) || p.b[p.i] != '[' {
		return p.unexpected("an array")
	}
	p.i++
	p.space()
	if p.i < len(p.b) && p.b[p.i] == ']' {
		p.i++
		return nil
	}
	for {
		p.space()
		if p.i < len(p.b) && p.b[p.i] == '[' {
			if err := p.array(depth + 1); err != nil {
				return err
			}
		} else if err := p.number(); err != nil {
			return err
		}
		p.space()
		if p.i >= len(p.b) {
			return p.unexpected("',' or ']'")
		}
		switch p.b[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			return nil
		default:
			return p.unexpected("',' or ']'")
		}
	}
}

// number reads one JSON number at p.i.
func (p *numParser) number() error {
	start := p.i
	for p.i < len(p.b) && isNumberByte(p.b[p.i]) {
		p.i++
	}
	tok := p.b[start:p.i]
	k := len(p.dst)
	if len(tok) == 0 || !(tok[0] == '-' || tok[0] >= '0' && tok[0] <= '9') {
		p.i = start
		return fmt.Errorf("value %d: %w", k, p.unexpected("a number"))
	}
	v, err := strconv.ParseFloat(string(tok), 64)
	if err != nil || math.IsInf(v, 0) {
		return fmt.Errorf("value %d: %s is not a finite number", k, tok)
	}
	p.dst = append(p.dst, v)
	return nil
}

func isNumberByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'
}

// unexpected describes what stands at p.i instead of want.
func (p *numParser) unexpected(want string) error {
	if p.i >= len(p.b) {
		return fmt.Errorf("the data end where %s was expected", want)
	}
	end := min(p.i+12, len(p.b))
	return fmt.Errorf("%q at byte %d where %s was expected", p.b[p.i:end], p.i, want)
}
