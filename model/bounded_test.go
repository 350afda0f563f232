package model

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// zeros is an endless input of zero bytes, like /dev/zero.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// counting counts the bytes read through it.
type counting struct {
	r io.Reader
	n int64
}

func (c *counting) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// TestReadStopsEarly checks that the reader looks at the preamble and the
// header before it reads on: an endless input stops after what they say,
// with the error that names what is wrong.
func TestReadStopsEarly(t *testing.T) {
	var good bytes.Buffer
	if _, err := readerModel[float32](t).WriteTo(&good); err != nil {
		t.Fatal(err)
	}
	badVersion := bytes.Clone(good.Bytes()[:preambleBytes])
	badVersion[8] = 9
	hugeHeader := bytes.Clone(good.Bytes()[:preambleBytes])
	hugeHeader[15] = 0x7f
	tests := []struct {
		name string
		head []byte // what comes before the endless zeros
		most int64  // bytes the reader may take
		want string
	}{
		{"zeros", nil, preambleBytes, "not a nerve model file"},
		{"another version", badVersion, preambleBytes, "unsupported format version 9"},
		{"header too long", hugeHeader, preambleBytes, "header length"},
		{"a model, then zeros", good.Bytes(), int64(good.Len()) + 1<<20, "trailing bytes"},
	}
	for _, tt := range tests {
		for _, read := range []func(io.Reader) error{
			func(r io.Reader) error { _, err := Read[float32](r); return err },
			func(r io.Reader) error { _, err := ReadHeader(r); return err },
		} {
			c := &counting{r: io.MultiReader(bytes.NewReader(tt.head), zeros{})}
			err := read(c)
			if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s: error %v; want ErrFormat saying %q", tt.name, err, tt.want)
			}
			if c.n > tt.most {
				t.Errorf("%s: read %d bytes; want at most %d", tt.name, c.n, tt.most)
			}
		}
	}
}
