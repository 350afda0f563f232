//go:build ignore

// Tables_nerve trains a nerve classifier (or, with -regression, a
// regressor) with default options on a raw CSV table and prints its test
// accuracy (R²) and the epochs it trained: what bench/tables.sh compares
// with scikit-learn's pipeline.
//
// Usage:
//
//	go run bench/tables_nerve.go -train train.csv -test test.csv -target COL -seed N [-regression]
//
// The model is nerve.NewClassifier[string](nerve.Options{Seed: N}) (or
// nerve.NewRegressor) fitted with FitTable: every column but the target,
// types detected, missing cells and categories handled by the fitted
// preprocessing, training until the loss converges.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"strconv"

	"github.com/nerve-ml/nerve"
	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/metrics"
)

func main() {
	trainPath := flag.String("train", "", "training CSV (with a header)")
	testPath := flag.String("test", "", "test CSV (with a header)")
	target := flag.String("target", "", "target column")
	seed := flag.Uint("seed", 0, "seed")
	regression := flag.Bool("regression", false, "fit a regressor and print R²")
	flag.Parse()
	train, err := data.LoadTable(*trainPath, data.TableOptions{})
	if err != nil {
		log.Fatal(err)
	}
	test, err := data.LoadTable(*testPath, data.TableOptions{})
	if err != nil {
		log.Fatal(err)
	}
	if *regression {
		fitRegressor(train, test, *target, uint32(*seed))
		return
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

// fitRegressor fits a regressor with default options on train and prints
// its R² on test and the epochs it trained.
func fitRegressor(train, test *data.Table, target string, seed uint32) {
	reg := nerve.NewRegressor(nerve.Options{Seed: seed})
	hist, err := reg.FitTable(context.Background(), train, data.PrepOptions{Target: target})
	if err != nil {
		log.Fatal(err)
	}
	pred, _, err := reg.PredictTable(test)
	if err != nil {
		log.Fatal(err)
	}
	j := test.Column(target)
	y := make([]float64, test.Len())
	for i, row := range test.Rows {
		if y[i], err = strconv.ParseFloat(row[j], 64); err != nil {
			log.Fatalf("%s: row %d: target %q: %v", test.Name, i+1, row[j], err)
		}
	}
	fmt.Printf("%.4f %d\n", metrics.R2(y, pred.Data()), len(hist.Epochs))
}
