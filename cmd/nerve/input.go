package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/model"
)

// stdinName is the file name that stands for standard input in --data
// and for standard output in --out.
const stdinName = "-"

// readInput reads the data file at path ("-" for standard input) once,
// whole, so that a pipe, a FIFO or standard input can be parsed more than
// one way. It stays bounded on any input: text (not gzip, not IDX) with a
// line longer than data.MaxLineBytes stops the reading with an error
// wrapping data.ErrLineTooLong, and a cancelled ctx (Ctrl-C) stops it
// with ctx's error, even while a pipe keeps it waiting.
func readInput(ctx context.Context, path string) ([]byte, error) {
	return cancellable(ctx, func() ([]byte, error) { return readBounded(ctx, path) })
}

// readBounded does readInput's reading.
func readBounded(ctx context.Context, path string) ([]byte, error) {
	var r io.Reader = os.Stdin
	if path != stdinName {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil && fi.IsDir() {
			return nil, &fs.PathError{Op: "open", Path: path, Err: errors.New("is a directory, not a data file")}
		}
		r = f
	}
	var b bytes.Buffer
	chunk := make([]byte, 1<<20)
	run, line := 0, 1 // bytes in the current line, its number
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n, err := r.Read(chunk)
		b.Write(chunk[:n])
		if p := chunk[:n]; !isBinary(b.Bytes()) {
			first := bytes.IndexByte(p, '\n')
			if first < 0 {
				first = n
			}
			if run+first > data.MaxLineBytes {
				return nil, &data.ParseError{Path: path, Line: line, Err: fmt.Errorf("%w: longer than %d MiB: not a table, or a broken one", data.ErrLineTooLong, data.MaxLineBytes>>20)}
			}
			if last := bytes.LastIndexByte(p, '\n'); last >= 0 {
				line += bytes.Count(p, []byte{'\n'})
				run = n - last - 1
			} else {
				run += n
			}
		}
		if err == io.EOF {
			return b.Bytes(), nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", path, err)
		}
	}
}

// isBinary reports whether b starts like gzip or IDX data (of unsigned
// bytes, the only kind nerve reads), which have no lines to bound.
func isBinary(b []byte) bool {
	return len(b) >= 3 && (b[0] == 0x1f && b[1] == 0x8b || b[0] == 0 && b[1] == 0 && b[2] == 0x08)
}

// cancellable runs f in its own goroutine and returns its result, or
// ctx's error as soon as ctx is done: Ctrl-C need not wait for a long
// parse (the process ends, and f with it).
func cancellable[T any](ctx context.Context, f func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := f()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// namedPath is a file named on the command line, with its flag.
type namedPath struct{ flag, path string }

// checkDistinct refuses, with a *usageError naming both flags, an output
// that is also an input or another output: writing it would destroy what
// the run reads, or one output would replace the other. Files are
// compared by identity (os.SameFile), so that two spellings of one file
// (a link, ./x and x) are caught; a file that does not exist yet is
// compared by its absolute path. Empty paths and "-" are skipped.
func checkDistinct(cmd string, outputs, inputs []namedPath) error {
	for i, out := range outputs {
		if out.path == "" || out.path == stdinName {
			continue
		}
		others := append(slices.Clone(outputs[:i]), inputs...)
		for _, in := range others {
			if in.path == "" || in.path == stdinName {
				continue
			}
			if isSameFile(out.path, in.path) {
				return usagef("%s: --%s %s and --%s %s are the same file: writing one would destroy the other", cmd, out.flag, out.path, in.flag, in.path)
			}
		}
	}
	return nil
}

// isSameFile reports whether the paths a and b name one file.
func isSameFile(a, b string) bool {
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(fa, fb)
	}
	return absPath(a) == absPath(b)
}

// absPath returns path made absolute, with the links of its directory
// resolved.
func absPath(path string) string {
	dir, base := filepath.Split(path)
	if d, err := filepath.EvalSymlinks(filepath.Clean(dir + ".")); err == nil {
		dir = d
	}
	abs, err := filepath.Abs(filepath.Join(dir, base))
	if err != nil {
		return path
	}
	return abs
}

// readModelFile reads the model file at path, opening it once (so that a
// FIFO or <(cat m.nerve) works), and returns its header and the file's
// bytes, for model.Read to decode. The model reader bounds what it reads.
func readModelFile(path string) (*model.Header, *bytes.Buffer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("load model: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, nil, fmt.Errorf("load model %s: is a directory, not a model file", path)
	}
	var file bytes.Buffer // what ReadHeader reads: the whole file
	h, err := model.ReadHeader(io.TeeReader(f, &file))
	if err != nil {
		return nil, nil, namedModelError(path, err)
	}
	return h, &file, nil
}

// namedModelError returns err, an error of the model reader, naming path.
func namedModelError(path string, err error) error {
	var fe *model.FormatError
	if errors.As(err, &fe) {
		fe.Path = path
		return fe
	}
	return fmt.Errorf("%s: %w", path, err)
}

// checkModelOut checks the --model and --out of a command that converts
// one model file into another: both given, distinct, and --out writable.
func checkModelOut(cmd, modelPath, out string) error {
	if modelPath == "" || out == "" {
		return usagef("%s: --model and --out are required", cmd)
	}
	if err := checkDistinct(cmd, []namedPath{{"out", out}}, []namedPath{{"model", modelPath}}); err != nil {
		return err
	}
	return checkOutPath("out", out)
}
