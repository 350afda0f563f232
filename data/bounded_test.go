package data

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestFieldErrors checks that each field-level failure of ReadCSV is the
// exported sentinel it documents, as well as ErrData.
func TestFieldErrors(t *testing.T) {
	long := strings.Repeat("7", MaxFieldBytes+1)
	tests := []struct {
		name, csv string
		want      error
	}{
		{"ragged row", "a,b,y\n1,2,x\n3,x\n", ErrFieldCount},
		{"text feature", "a,b,y\n1,2,x\n3,foo,y\n", ErrNotNumber},
		{"NaN feature", "a,b,y\n1,2,x\n3,NaN,y\n", ErrEmptyCell}, // missing, as in a Table
		{"NA target", "a,b,y\n1,2,x\n3,4,NA\n", ErrEmptyCell},
		{"Inf feature", "a,b,y\n1,2,x\n3,-Inf,y\n", ErrNotFinite},
		{"huge feature", "a,b,y\n1,2,x\n3,1e999,y\n", ErrNotFinite},
		{"empty feature", "a,b,y\n1,2,x\n,4,y\n", ErrEmptyCell},
		{"empty target", "a,b,y\n1,2,x\n3,4,\n", ErrEmptyCell},
		{"long field", "a,b,y\n1,2,x\n3," + long + ",y\n", ErrFieldTooLong},
		{"non-UTF-8 column name", "a,\xff\xfe,y\n1,2,x\n3,4,y\n", ErrEncoding},
		{"non-UTF-8 class label", "a,b,y\n1,2,x\n3,4,\xff\n", ErrEncoding},
	}
	for _, tt := range tests {
		_, err := ReadCSV(strings.NewReader(tt.csv), "t.csv", CSVOptions{})
		if !errors.Is(err, tt.want) || !errors.Is(err, ErrData) {
			t.Errorf("%s: error %v; want one wrapping %v and ErrData", tt.name, err, tt.want)
		}
		if err != nil && len(err.Error()) > 300 {
			t.Errorf("%s: the error is %d bytes long; want a short line", tt.name, len(err.Error()))
		}
	}
}

// TestReadCSVGzipCorrupt flips a byte inside a gzipped table: the error
// must say the gzip data are corrupt, not blame a row the flip garbled.
func TestReadCSVGzipCorrupt(t *testing.T) {
	var plain strings.Builder
	plain.WriteString("a,b,label\n")
	for i := range 2000 {
		plain.WriteString(strings.Repeat("1", i%7+1) + ",2,x\n")
	}
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(plain.String()))
	zw.Close()
	z := b.Bytes()
	for _, at := range []int{len(z) / 3, len(z) / 2, 2 * len(z) / 3} {
		bad := bytes.Clone(z)
		bad[at] ^= 0x10
		_, err := ReadCSV(bytes.NewReader(bad), "t.csv.gz", CSVOptions{})
		if !errors.Is(err, ErrGzip) {
			t.Errorf("byte %d flipped: error %v; want one wrapping ErrGzip", at, err)
		}
	}
}

// TestReadCSVBoundedOnSparseFile reads a 1 GiB file of zero bytes (sparse,
// so it takes no disk) and measures what the reader allocates with the
// runtime's allocation counter (the total the heap profile reports): it
// must stop at the first MaxLineBytes with ErrLineTooLong, allocating a
// small multiple of that (encoding/csv grows its line buffer by doubling
// and copies the line once), not the gigabyte.
func TestReadCSVBoundedOnSparseFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "zeros.csv")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(1 << 30); err != nil {
		t.Skipf("cannot make a sparse file here: %v", err)
	}
	f.Close()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err = LoadCSV(path, CSVOptions{})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrLineTooLong) {
		t.Fatalf("LoadCSV(1 GiB of zeros): %v; want an error wrapping ErrLineTooLong", err)
	}
	const most = 10 * MaxLineBytes
	if got := after.TotalAlloc - before.TotalAlloc; got > most {
		t.Errorf("LoadCSV(1 GiB of zeros) allocated %d MiB; want at most %d MiB", got>>20, most>>20)
	}
}
