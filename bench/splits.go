//go:build ignore

// Splits writes the train/test splits that bench/compare_sklearn.sh
// gives to both nerve and scikit-learn, so that the two see identical
// samples.
//
// Usage:
//
//	go run bench/splits.go -data ../shared/data -out DIR
//
// (The ignore build tag keeps this program out of ./..., and so out of
// the library's layering table; go run, go vet and staticcheck take the
// file by name.)
//
// It writes, for scikit-learn's digits and breast-cancer tables, a
// stratified split with a quarter of the samples held out, drawn from
// seed 1 by data.(*Dataset).Split — the split cmd/nerve's real-data tests
// use:
//
//	DIR/digits_train.csv, DIR/digits_test.csv                (no header; 64 pixels, then the digit)
//	DIR/breast_cancer_train.csv, DIR/breast_cancer_test.csv  (header col1…col30,class; class is malignant or benign)
//
// MNIST needs no split: both tools read its IDX files, 60000 training and
// 10000 test images.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/nerve-ml/nerve/data"
)

// Split parameters, the same as cmd/nerve/realdata_test.go's.
const (
	testFraction = 0.25
	splitSeed    = 1
)

func main() {
	dataDir := flag.String("data", "../shared/data", "the shared data `DIR` (with sklearn/ inside)")
	out := flag.String("out", "", "write the split CSV files to `DIR` (created if missing)")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: go run bench/splits.go -data DIR -out DIR")
		os.Exit(2)
	}
	if err := run(*dataDir, *out); err != nil {
		fmt.Fprintf(os.Stderr, "splits: %v\n", err)
		os.Exit(1)
	}
}

func run(dataDir, out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	tables := []struct {
		file, name string
		header     bool
	}{
		{"digits.csv.gz", "digits", false},
		{"breast_cancer.csv", "breast_cancer", true},
	}
	for _, tb := range tables {
		d, err := data.LoadSklearn(filepath.Join(dataDir, "sklearn", tb.file))
		if err != nil {
			return err
		}
		tr, te, err := d.Split(testFraction, splitSeed)
		if err != nil {
			return err
		}
		for _, side := range []struct {
			name string
			d    *data.Dataset
		}{{"train", tr}, {"test", te}} {
			path := filepath.Join(out, tb.name+"_"+side.name+".csv")
			if err := writeCSV(path, side.d, tb.header); err != nil {
				return err
			}
			fmt.Printf("%s: %d samples × %d features\n", path, side.d.Len(), side.d.X.Cols())
		}
	}
	return nil
}

// writeCSV writes d to path with data.WriteCSV.
func writeCSV(path string, d *data.Dataset, header bool) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := data.WriteCSV(f, d, header); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
