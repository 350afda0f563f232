package data

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/nerve-ml/nerve/tensor"
)

// IDX magic numbers of the MNIST files: two zero bytes, the element type
// 0x08 (unsigned byte) and the number of dimensions.
const (
	idxImagesMagic = 0x00000803 // images×rows×columns
	idxLabelsMagic = 0x00000801 // labels
)

// idxMaxBytes is the largest IDX data ReadIDX accepts.
const idxMaxBytes = 1 << 31

// idxTypes names the element types of the IDX format.
var idxTypes = map[byte]string{
	0x08: "unsigned byte",
	0x09: "signed byte",
	0x0B: "int16",
	0x0C: "int32",
	0x0D: "float32",
	0x0E: "float64",
}

// ReadIDX reads an IDX file of unsigned bytes (element type 0x08), the
// format of the MNIST and Fashion-MNIST files, from r: a big-endian
// header (the magic number 0x000008NN, where NN is the number of
// dimensions, then each dimension as a uint32) followed by the values,
// row-major. Input that starts with the gzip magic bytes is decompressed
// first, whatever its name. name is the file path, for messages.
//
// It returns the dimensions and the values, product(dims) of them. It
// returns a *ParseError (wrapping ErrData) for input that is not such a
// file: a bad magic number, another element type, no dimensions, a
// header or data shorter than the header says (truncated), bytes after
// the data (trailing), more than 2 GiB of data, corrupt gzip data. The
// values are read as they arrive, so a header that claims more data than
// the input holds allocates no more than the input.
func ReadIDX(r io.Reader, name string) (dims []int, values []byte, err error) {
	src, err := decompress(r, name)
	if err != nil {
		return nil, nil, err
	}
	fail := func(format string, args ...any) ([]int, []byte, error) {
		return nil, nil, &ParseError{Path: name, Err: fmt.Errorf(format, args...)}
	}
	var head [4]byte
	if n, err := io.ReadFull(src, head[:]); err != nil {
		if n == 0 && err == io.EOF {
			return fail("empty file: want an IDX file, which starts with a 4-byte magic number")
		}
		if err == io.ErrUnexpectedEOF {
			return fail("truncated header: %d bytes, want at least 4 (the magic number)", n)
		}
		return nil, nil, readError(name, err)
	}
	magic := binary.BigEndian.Uint32(head[:])
	if head[0] != 0 || head[1] != 0 {
		return fail("bad magic number 0x%08x: not an IDX file (want 0x%08x for images, 0x%08x for labels)", magic, idxImagesMagic, idxLabelsMagic)
	}
	if head[2] != 0x08 {
		kind, ok := idxTypes[head[2]]
		if !ok {
			kind = "unknown"
		}
		return fail("magic number 0x%08x: element type 0x%02x (%s) is not supported: want 0x08 (unsigned byte), as in 0x%08x for images and 0x%08x for labels", magic, head[2], kind, idxImagesMagic, idxLabelsMagic)
	}
	nd := int(head[3])
	if nd == 0 {
		return fail("magic number 0x%08x: 0 dimensions (want 0x%08x for images, 0x%08x for labels)", magic, idxImagesMagic, idxLabelsMagic)
	}
	raw := make([]byte, 4*nd)
	if n, err := io.ReadFull(src, raw); err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return fail("truncated header: magic number 0x%08x declares %d dimensions, %d header bytes, found %d", magic, nd, 4+4*nd, 4+n)
		}
		return nil, nil, readError(name, err)
	}
	dims = make([]int, nd)
	size := uint64(1)
	for i := range dims {
		d := binary.BigEndian.Uint32(raw[4*i:])
		if size != 0 {
			size *= uint64(d)
		}
		if size > idxMaxBytes || size > math.MaxInt || uint64(d) > math.MaxInt32 {
			return fail("dimensions %s are too large: this reader accepts at most %d bytes of data", dimString(raw), idxMaxBytes)
		}
		dims[i] = int(d)
	}
	values, err = readFull(src, int(size))
	if err != nil {
		var pe *ParseError
		if errors.As(err, &pe) || !errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, nil, readError(name, err)
		}
		return fail("truncated data: dimensions %s need %d bytes after the %d-byte header, found %d", dimString(raw), size, 4+4*nd, len(values))
	}
	const most = 1 << 20
	extra, err := io.Copy(io.Discard, io.LimitReader(src, most))
	if err != nil {
		return nil, nil, readError(name, err)
	}
	if extra > 0 {
		more := strconv.FormatInt(extra, 10)
		if extra == most {
			more = "at least " + more
		}
		return fail("trailing data: dimensions %s need %d bytes after the %d-byte header, found %s more", dimString(raw), size, 4+4*nd, more)
	}
	return dims, values, nil
}

// readFull reads n bytes from r, growing its buffer as data arrives. It
// returns what it read and io.ErrUnexpectedEOF when r ends early.
func readFull(r io.Reader, n int) ([]byte, error) {
	buf := make([]byte, 0, min(n, 1<<20))
	for len(buf) < n {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), min(2*cap(buf), n))
			copy(grown, buf)
			buf = grown
		}
		k, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+k]
		if err == io.EOF {
			if len(buf) < n {
				return buf, io.ErrUnexpectedEOF
			}
			break
		}
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// dimString formats the big-endian uint32 dimensions in raw as "a×b×c".
func dimString(raw []byte) string {
	var b strings.Builder
	for i := 0; i+4 <= len(raw); i += 4 {
		if i > 0 {
			b.WriteString("×")
		}
		b.WriteString(strconv.FormatUint(uint64(binary.BigEndian.Uint32(raw[i:])), 10))
	}
	return b.String()
}

// LoadIDX reads a pair of MNIST-style IDX files: images (magic
// 0x00000803: count×rows×columns unsigned bytes) and their labels (magic
// 0x00000801: count unsigned bytes). Either may be gzipped. The dataset
// has one row per image, its pixels row-major and scaled to [0, 1]
// (v/255), named "px1" … "pxN"; the labels are the label bytes as decimal
// strings ("0" … "9" for MNIST) and the target is named "label".
//
// Besides the errors of ReadIDX, LoadIDX returns a *ParseError (wrapping
// ErrData) when a file has the wrong number of dimensions (such as the
// files given the other way round), the counts differ or there are no
// images, and a *fs.PathError when a file cannot be opened or is a
// directory.
func LoadIDX(imagesPath, labelsPath string) (*Dataset, error) {
	ldims, labels, err := loadIDXFile(labelsPath)
	if err != nil {
		return nil, err
	}
	if err := checkLabels(labelsPath, ldims, labels); err != nil {
		return nil, err
	}
	idims, pixels, err := loadIDXFile(imagesPath)
	if err != nil {
		return nil, err
	}
	return idxDataset(imagesPath, idims, pixels, labelsPath, ldims, labels, IDXOptions{})
}

// ReadIDXPair is LoadIDX for images and labels read from readers, such
// as a pipe or standard input; the names are for messages. It reads the
// labels first.
func ReadIDXPair(images io.Reader, imagesName string, labels io.Reader, labelsName string) (*Dataset, error) {
	return ReadIDXPairWith(images, imagesName, labels, labelsName, IDXOptions{})
}

// IDXOptions say how ReadIDXPairWith stores the images.
type IDXOptions struct {
	// Float32 stores the pixels in Dataset.X32, each float32(v/255)
	// (the float64 value rounded once), and leaves X nil: the images
	// take half the memory, and float32 training uses them without a
	// copy.
	Float32 bool
}

// ReadIDXPairWith is ReadIDXPair with options.
func ReadIDXPairWith(images io.Reader, imagesName string, labels io.Reader, labelsName string, opt IDXOptions) (*Dataset, error) {
	ldims, lv, err := ReadIDX(labels, labelsName)
	if err != nil {
		return nil, err
	}
	if err := checkLabels(labelsName, ldims, lv); err != nil {
		return nil, err
	}
	idims, pixels, err := ReadIDX(images, imagesName)
	if err != nil {
		return nil, err
	}
	return idxDataset(imagesName, idims, pixels, labelsName, ldims, lv, opt)
}

// checkLabels checks that an IDX labels file has one dimension.
func checkLabels(labelsPath string, ldims []int, labels []byte) error {
	if len(ldims) != 1 {
		hint := ""
		if len(ldims) == 3 {
			hint = ": is it an images file?"
		}
		return &ParseError{Path: labelsPath, Err: fmt.Errorf("magic number 0x%08x: %d dimensions, want 0x%08x (labels, 1 dimension)%s", 0x800+len(ldims), len(ldims), idxLabelsMagic, hint)}
	}
	return nil
}

// idxDataset checks the images against their labels and returns them as
// a Dataset.
func idxDataset(imagesPath string, idims []int, pixels []byte, labelsPath string, ldims []int, labels []byte, opt IDXOptions) (*Dataset, error) {
	if len(idims) != 3 {
		hint := ""
		if len(idims) == 1 {
			hint = ": is it a labels file?"
		}
		return nil, &ParseError{Path: imagesPath, Err: fmt.Errorf("magic number 0x%08x: %d dimensions, want 0x%08x (images×rows×columns, 3 dimensions)%s", 0x800+len(idims), len(idims), idxImagesMagic, hint)}
	}
	n, npx := idims[0], idims[1]*idims[2]
	if n != ldims[0] {
		return nil, &ParseError{Path: labelsPath, Err: fmt.Errorf("%d labels, but %s has %d images", ldims[0], imagesPath, n)}
	}
	if n == 0 || npx == 0 {
		return nil, &ParseError{Path: imagesPath, Err: fmt.Errorf("no pixels: %d images of %d×%d", n, idims[1], idims[2])}
	}
	if bytes.Count(labels, labels[:1]) == n {
		return nil, &ParseError{Path: labelsPath, Err: fmt.Errorf("every label is %d: classification needs at least two classes", labels[0])}
	}

	var names [256]string
	d := &Dataset{
		Name:     imagesPath,
		Features: make([]string, npx),
		Target:   "label",
		Labels:   make([]string, n),
	}
	if opt.Float32 {
		d.X32 = tensor.New(n, npx, scalePixels[float32](pixels, npx))
	} else {
		d.X = tensor.New(n, npx, scalePixels[float64](pixels, npx))
	}
	for j := range d.Features {
		d.Features[j] = "px" + strconv.Itoa(j+1)
	}
	for i, l := range labels {
		if names[l] == "" {
			names[l] = strconv.Itoa(int(l))
		}
		d.Labels[i] = names[l]
	}
	return d, nil
}

// scalePixels returns the pixels scaled to [0, 1], T(v/255) computed in
// float64, for images of npx pixels each.
func scalePixels[T tensor.Float](pixels []byte, npx int) []T {
	var scale [256]T
	for v := range scale {
		scale[v] = T(float64(v) / 255)
	}
	// The conversion is in parallel: most of its time is the first
	// touch of the new memory, which the kernel serves page by page.
	x := make([]T, len(pixels))
	chunk := max(npx, (len(pixels)/runtime.GOMAXPROCS(0)+npx-1)/npx*npx)
	var wg sync.WaitGroup
	for lo := 0; lo < len(pixels); lo += chunk {
		hi := min(lo+chunk, len(pixels))
		wg.Go(func() {
			for i, p := range pixels[lo:hi] {
				x[lo+i] = scale[p]
			}
		})
	}
	wg.Wait()
	return x
}

// LoadIDXFile reads the IDX file at path (gzipped or not) with ReadIDX:
// for images to predict on, which have no labels file.
func LoadIDXFile(path string) (dims []int, values []byte, err error) {
	return loadIDXFile(path)
}

func loadIDXFile(path string) ([]int, []byte, error) {
	f, err := openFile(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	return ReadIDX(f, path)
}
