//go:build ignore

// Tables_nerve trains a nerve classifier with default options on a raw
// CSV table and prints its test accuracy: what bench/tables.sh compares
// with scikit-learn's pipeline.
//
// Usage:
//
//	go run bench/tables_nerve.go -train train.csv -test test.csv -target COL -seed N
//
// The classifier is nerve.NewClassifier[string](nerve.Options{Seed: N})
// fitted with FitTable: every column but the target, types detected,
// missing cells and categories handled by the fitted preprocessing,
// training until the loss converges.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"

	"github.com/nerve-ml/nerve"
	"github.com/nerve-ml/nerve/data"
)

func main() {
	trainPath := flag.String("train", "", "training CSV (with a header)")
	testPath := flag.String("test", "", "test CSV (with a header)")
	target := flag.String("target", "", "target column")
	seed := flag.Uint("seed", 0, "seed")
	flag.Parse()
	train, err := data.LoadTable(*trainPath, data.TableOptions{})
	if err != nil {
		log.Fatal(err)
	}
	test, err := data.LoadTable(*testPath, data.TableOptions{})
	if err != nil {
		log.Fatal(err)
	}
	clf := nerve.NewClassifier[string](nerve.Options{Seed: uint32(*seed)})
	hist, err := clf.FitTable(context.Background(), train, data.PrepOptions{Target: *target})
	if err != nil {
		log.Fatal(err)
	}
	pred, _, err := clf.PredictTable(test)
	if err != nil {
		log.Fatal(err)
	}
	j := test.Column(*target)
	right := 0
	for i, row := range test.Rows {
		if pred[i] == row[j] {
			right++
		}
	}
	fmt.Printf("%.4f %d\n", float64(right)/float64(test.Len()), len(hist.Epochs))
}
