package data

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// idxBytes encodes an IDX file: magic, the dimensions, the values.
func idxBytes(magic uint32, dims []uint32, values []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, magic)
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, d)
	}
	return append(b, values...)
}

func TestReadIDX(t *testing.T) {
	images := make([]byte, 3*2*4)
	for i := range images {
		images[i] = byte(i * 11)
	}
	tests := []struct {
		name   string
		file   []byte
		dims   []int
		values []byte
	}{
		{"images", idxBytes(0x803, []uint32{3, 2, 4}, images), []int{3, 2, 4}, images},
		{"labels", idxBytes(0x801, []uint32{5}, []byte{0, 9, 255, 1, 2}), []int{5}, []byte{0, 9, 255, 1, 2}},
		{"no values", idxBytes(0x802, []uint32{0, 7}, nil), []int{0, 7}, []byte{}},
		{"four dims", idxBytes(0x804, []uint32{1, 1, 2, 1}, []byte{1, 2}), []int{1, 1, 2, 1}, []byte{1, 2}},
	}
	for _, tt := range tests {
		for _, gz := range []bool{false, true} {
			file := tt.file
			if gz {
				file = gzipBytes(t, file)
			}
			for _, r := range []io.Reader{bytes.NewReader(file), iotest.OneByteReader(bytes.NewReader(file))} {
				dims, values, err := ReadIDX(r, "t.idx")
				if err != nil {
					t.Fatalf("%s (gzip %v): %v", tt.name, gz, err)
				}
				if !slices.Equal(dims, tt.dims) || !bytes.Equal(values, tt.values) || values == nil {
					t.Errorf("%s (gzip %v): dims %v, values %v; want %v, %v", tt.name, gz, dims, values, tt.dims, tt.values)
				}
			}
		}
	}
}

// TestReadIDXLarge reads data that takes several growths of the buffer.
func TestReadIDXLarge(t *testing.T) {
	values := make([]byte, 5<<20+3)
	for i := range values {
		values[i] = byte(i*7 + i>>12)
	}
	file := idxBytes(0x802, []uint32{5<<20 + 3, 1}, values)
	for _, f := range [][]byte{file, gzipBytes(t, file)} {
		dims, got, err := ReadIDX(bytes.NewReader(f), "t.idx")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(dims, []int{5<<20 + 3, 1}) || !bytes.Equal(got, values) {
			t.Errorf("dims %v, %d values: not what was written", dims, len(got))
		}
	}
}

func TestReadIDXErrors(t *testing.T) {
	good := idxBytes(0x803, []uint32{2, 2, 2}, []byte{1, 2, 3, 4, 5, 6, 7, 8})
	tests := []struct {
		name string
		file []byte
		want string
	}{
		{"empty", nil, `t.idx: empty file: want an IDX file, which starts with a 4-byte magic number`},
		{"short magic", []byte{0, 0, 8}, `t.idx: truncated header: 3 bytes, want at least 4 (the magic number)`},
		{"bad magic", idxBytes(0x12345678, nil, nil), `t.idx: bad magic number 0x12345678: not an IDX file (want 0x00000803 for images, 0x00000801 for labels)`},
		{"text", []byte("a,b,c\n1,2,3\n"), `t.idx: bad magic number 0x612c622c: not an IDX file (want 0x00000803 for images, 0x00000801 for labels)`},
		{"float32", idxBytes(0x0D03, []uint32{1, 1, 1}, []byte{0, 0, 0, 0}), `t.idx: magic number 0x00000d03: element type 0x0d (float32) is not supported: want 0x08 (unsigned byte), as in 0x00000803 for images and 0x00000801 for labels`},
		{"unknown type", idxBytes(0x0F01, []uint32{1}, []byte{0}), `t.idx: magic number 0x00000f01: element type 0x0f (unknown) is not supported: want 0x08 (unsigned byte), as in 0x00000803 for images and 0x00000801 for labels`},
		{"no dims", idxBytes(0x800, nil, []byte{1}), `t.idx: magic number 0x00000800: 0 dimensions (want 0x00000803 for images, 0x00000801 for labels)`},
		{"truncated dims", good[:9], `t.idx: truncated header: magic number 0x00000803 declares 3 dimensions, 16 header bytes, found 9`},
		{"truncated data", good[:len(good)-3], `t.idx: truncated data: dimensions 2×2×2 need 8 bytes after the 16-byte header, found 5`},
		{"no data", good[:16], `t.idx: truncated data: dimensions 2×2×2 need 8 bytes after the 16-byte header, found 0`},
		{"trailing data", append(slices.Clone(good), 9, 9), `t.idx: trailing data: dimensions 2×2×2 need 8 bytes after the 16-byte header, found 2 more`},
		{"much trailing data", append(slices.Clone(good), make([]byte, 3<<20)...), `t.idx: trailing data: dimensions 2×2×2 need 8 bytes after the 16-byte header, found at least 1048576 more`},
		{"oversized", idxBytes(0x803, []uint32{60000, 65536, 65536}, []byte{1, 2, 3}), `t.idx: dimensions 60000×65536×65536 are too large: this reader accepts at most 2147483648 bytes of data`},
		{"just over 2 GiB", idxBytes(0x802, []uint32{1 << 16, 1<<15 + 1}, nil), `t.idx: dimensions 65536×32769 are too large: this reader accepts at most 2147483648 bytes of data`},
		{"huge dim after zero", idxBytes(0x802, []uint32{0, 1 << 31}, nil), `t.idx: dimensions 0×2147483648 are too large: this reader accepts at most 2147483648 bytes of data`},
		{"2 GiB, truncated", idxBytes(0x802, []uint32{1 << 16, 1 << 15}, []byte{1}), `t.idx: truncated data: dimensions 65536×32768 need 2147483648 bytes after the 12-byte header, found 1`},
		{"gzip truncated", gzipBytes(t, good)[:30], `t.idx: truncated gzip data`},
		{"gzip checksum", badChecksum(t, good), `t.idx: corrupt gzip data: gzip: invalid checksum`},
		{"gzip then garbage", append(gzipBytes(t, good), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), `t.idx: corrupt gzip data: gzip: invalid header`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dims, values, err := ReadIDX(bytes.NewReader(tt.file), "t.idx")
			if err == nil {
				t.Fatalf("no error; dims %v, %d values", dims, len(values))
			}
			var pe *ParseError
			if !errors.As(err, &pe) || !errors.Is(err, ErrData) {
				t.Errorf("%v (%T): want a *ParseError wrapping ErrData", err, err)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n  %s\nwant\n  %s", err, tt.want)
			}
		})
	}
}

func TestReadIDXReaderError(t *testing.T) {
	boom := errors.New("boom")
	good := idxBytes(0x801, []uint32{4}, []byte{1, 2, 3, 4})
	for cut := range len(good) {
		for _, f := range [][]byte{good, gzipBytes(t, good)} {
			if cut >= len(f) {
				continue
			}
			r := io.MultiReader(bytes.NewReader(f[:cut]), iotest.ErrReader(boom))
			_, _, err := ReadIDX(r, "t.idx")
			if !errors.Is(err, boom) || errors.Is(err, ErrData) || err.Error() != "reading t.idx: boom" {
				t.Errorf("cut %d: %v; want reading t.idx: boom, without ErrData", cut, err)
			}
		}
	}
}

// writeIDXPair writes an images and a labels file into a new folder.
func writeIDXPair(t *testing.T, images, labels []byte) (imagesPath, labelsPath string) {
	t.Helper()
	dir := t.TempDir()
	imagesPath, labelsPath = filepath.Join(dir, "images"), filepath.Join(dir, "labels")
	if err := os.WriteFile(imagesPath, images, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(labelsPath, labels, 0o644); err != nil {
		t.Fatal(err)
	}
	return imagesPath, labelsPath
}

func TestLoadIDX(t *testing.T) {
	pixels := []byte{0, 255, 51, 102, 1, 2, 3, 4, 5, 6, 7, 8}
	images := idxBytes(0x803, []uint32{3, 2, 2}, pixels)
	labels := idxBytes(0x801, []uint32{3}, []byte{7, 0, 12})
	for _, gz := range []bool{false, true} {
		im, lb := images, labels
		if gz {
			im, lb = gzipBytes(t, im), gzipBytes(t, lb)
		}
		ip, lp := writeIDXPair(t, im, lb)
		d, err := LoadIDX(ip, lp)
		if err != nil {
			t.Fatal(err)
		}
		want := make([][]float64, 3)
		for i := range want {
			for _, p := range pixels[4*i : 4*i+4] {
				want[i] = append(want[i], float64(p)/255)
			}
		}
		checkDataset(t, d, ip, csvWant{[]string{"px1", "px2", "px3", "px4"}, "label", want, []string{"7", "0", "12"}, nil})
		if d.X.At(0, 1) != 1 || d.X.At(0, 0) != 0 || d.X.At(0, 2) != 0.2 {
			t.Errorf("row 0 = %v; want 0, 1, 0.2, 0.4", d.X.Row(0))
		}
	}
}

func TestLoadIDXErrors(t *testing.T) {
	images := idxBytes(0x803, []uint32{3, 2, 2}, make([]byte, 12))
	labels := idxBytes(0x801, []uint32{3}, []byte{1, 2, 3})
	tests := []struct {
		name           string
		images, labels []byte
		want           string // with {I} for the images path and {L} for the labels path
	}{
		{"swapped", labels, images, `{L}: magic number 0x00000803: 3 dimensions, want 0x00000801 (labels, 1 dimension): is it an images file?`},
		{"labels as images", labels, labels, `{I}: magic number 0x00000801: 1 dimensions, want 0x00000803 (images×rows×columns, 3 dimensions): is it a labels file?`},
		{"2-d labels", images, idxBytes(0x802, []uint32{3, 1}, []byte{1, 2, 3}), `{L}: magic number 0x00000802: 2 dimensions, want 0x00000801 (labels, 1 dimension)`},
		{"2-d images", idxBytes(0x802, []uint32{3, 4}, make([]byte, 12)), labels, `{I}: magic number 0x00000802: 2 dimensions, want 0x00000803 (images×rows×columns, 3 dimensions)`},
		{"count differs", images, idxBytes(0x801, []uint32{2}, []byte{1, 2}), `{L}: 2 labels, but {I} has 3 images`},
		{"no images", idxBytes(0x803, []uint32{0, 28, 28}, nil), idxBytes(0x801, []uint32{0}, nil), `{I}: no pixels: 0 images of 28×28`},
		{"no pixels", idxBytes(0x803, []uint32{3, 0, 28}, nil), labels, `{I}: no pixels: 3 images of 0×28`},
		{"bad images", images[:20], labels, `{I}: truncated data: dimensions 3×2×2 need 12 bytes after the 16-byte header, found 4`},
		{"bad labels", images, []byte("nope"), `{L}: bad magic number 0x6e6f7065: not an IDX file (want 0x00000803 for images, 0x00000801 for labels)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ip, lp := writeIDXPair(t, tt.images, tt.labels)
			_, err := LoadIDX(ip, lp)
			if !errors.Is(err, ErrData) {
				t.Errorf("%v: does not wrap ErrData", err)
			}
			want := strings.NewReplacer("{I}", ip, "{L}", lp).Replace(tt.want)
			if err == nil || err.Error() != want {
				t.Errorf("error\n  %v\nwant\n  %s", err, want)
			}
		})
	}

	ip, lp := writeIDXPair(t, images, labels)
	dir := filepath.Dir(ip)
	missing := filepath.Join(dir, "missing")
	for _, c := range []struct{ images, labels, bad string }{
		{dir, lp, dir}, {ip, dir, dir}, {missing, lp, missing}, {ip, missing, missing},
	} {
		_, err := LoadIDX(c.images, c.labels)
		var pe *fs.PathError
		if !errors.As(err, &pe) || pe.Path != c.bad || errors.Is(err, ErrData) {
			t.Errorf("LoadIDX(%s, %s): %v; want a *fs.PathError for %s", c.images, c.labels, err, c.bad)
		}
	}
}

// FuzzReadIDX checks that ReadIDX never panics, fails only with a
// *ParseError and returns what re-encodes to its input.
func FuzzReadIDX(f *testing.F) {
	f.Add(idxBytes(0x803, []uint32{2, 2, 2}, []byte{1, 2, 3, 4, 5, 6, 7, 8}))
	f.Add(idxBytes(0x801, []uint32{3}, []byte{1, 2, 3}))
	f.Add(gzipBytes(f, idxBytes(0x801, []uint32{3}, []byte{1, 2, 3})))
	f.Add(idxBytes(0x803, []uint32{1 << 20, 1 << 20, 1}, nil))
	f.Fuzz(func(t *testing.T, in []byte) {
		dims, values, err := ReadIDX(bytes.NewReader(in), "f.idx")
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || !errors.Is(err, ErrData) {
				t.Fatalf("%v (%T): not a *ParseError wrapping ErrData", err, err)
			}
			return
		}
		if len(dims) == 0 {
			t.Fatalf("no dims")
		}
		n := 1
		for _, d := range dims {
			n *= d
		}
		if n != len(values) {
			t.Fatalf("dims %v and %d values", dims, len(values))
		}
		if len(in) > 0 && in[0] == 0x1f {
			return // gzipped: the compressed bytes need not match
		}
		u := make([]uint32, len(dims))
		for i, d := range dims {
			u[i] = uint32(d)
		}
		if again := idxBytes(0x800|uint32(len(dims)), u, values); !bytes.Equal(again, in) {
			t.Fatalf("re-encoded %x; read %x", again, in)
		}
	})
}

// sharedData returns the folder of the shared public datasets,
// ../shared/data from the module root, or skips the test when it is
// absent.
func sharedData(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "data")
	if _, err := os.Stat(filepath.Join(dir, "README.md")); err != nil {
		t.Skipf("the shared datasets are not here (%v): a fresh clone has no ../shared/data", err)
	}
	return dir
}

func TestLoadIDXMNIST(t *testing.T) {
	dir := filepath.Join(sharedData(t), "mnist")
	if loaderRace {
		t.Log("race detector on: the 60000 training images are checked without it, the 10000 test images here")
	} else {
		start := time.Now()
		d, err := LoadIDX(filepath.Join(dir, "train-images-idx3-ubyte.gz"), filepath.Join(dir, "train-labels-idx1-ubyte.gz"))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("LoadIDX(MNIST train) took %v", time.Since(start))
		checkMNIST(t, d, 60000, "5 0 4 1 9 2 1 3 1 4", "5923 6742 5958 6131 5842 5421 5918 6265 5851 5949", 33.3)
	}
	d, err := LoadIDX(filepath.Join(dir, "t10k-images-idx3-ubyte.gz"), filepath.Join(dir, "t10k-labels-idx1-ubyte.gz"))
	if err != nil {
		t.Fatal(err)
	}
	checkMNIST(t, d, 10000, "7 2 1 0 4 1 4 9 5 9", "980 1135 1032 1010 982 892 958 1028 974 1009", 33.8)
}

func TestLoadIDXFashion(t *testing.T) {
	dir := filepath.Join(sharedData(t), "fashion-mnist")
	images, labels := "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"
	n, each := 60000, "6000"
	if loaderRace {
		images, labels = "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"
		n, each = 10000, "1000"
	}
	d, err := LoadIDX(filepath.Join(dir, images), filepath.Join(dir, labels))
	if err != nil {
		t.Fatal(err)
	}
	checkMNIST(t, d, n, "", strings.TrimSpace(strings.Repeat(each+" ", 10)), 0)
}

// checkMNIST checks the shape, the first labels, the count of each label
// and the mean pixel value (0–255) of an MNIST-like dataset.
func checkMNIST(t *testing.T, d *Dataset, n int, first, counts string, mean float64) {
	t.Helper()
	if r, c := d.X.Dims(); r != n || c != 784 || len(d.Labels) != n || len(d.Features) != 784 || d.Features[783] != "px784" {
		t.Fatalf("X is %s with %d labels; want (%d, 784)", d.X.Shape(), len(d.Labels), n)
	}
	if first != "" {
		if got := strings.Join(d.Labels[:10], " "); got != first {
			t.Errorf("first labels %s; want %s", got, first)
		}
	}
	count := make([]int, 10)
	for _, l := range d.Labels {
		k, err := strconv.Atoi(l)
		if err != nil || k < 0 || k > 9 {
			t.Fatalf("label %q", l)
		}
		count[k]++
	}
	if got := fmtInts(count); got != counts {
		t.Errorf("label counts %s; want %s", got, counts)
	}
	lo, hi, sum := 1.0, 0.0, 0.0
	for _, v := range d.X.Data() {
		lo, hi, sum = min(lo, v), max(hi, v), sum+v
	}
	if lo != 0 || hi != 1 {
		t.Errorf("pixels in [%v, %v]; want [0, 1]", lo, hi)
	}
	if got := sum / float64(len(d.X.Data())) * 255; mean != 0 && (got < mean-0.05 || got > mean+0.05) {
		t.Errorf("mean pixel %.2f; want about %.1f", got, mean)
	}
}

func fmtInts(v []int) string {
	s := make([]string, len(v))
	for i, k := range v {
		s[i] = strconv.Itoa(k)
	}
	return strings.Join(s, " ")
}

func BenchmarkLoadIDX(b *testing.B) {
	dir := filepath.Join(sharedData(b), "mnist")
	images, labels := filepath.Join(dir, "train-images-idx3-ubyte.gz"), filepath.Join(dir, "train-labels-idx1-ubyte.gz")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadIDX(images, labels); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(60000*float64(b.N)/b.Elapsed().Seconds(), "samples/s")
}
