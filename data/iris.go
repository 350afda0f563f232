package data

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/nerve-ml/nerve/tensor"
)

//go:embed embedded/iris.csv
var irisCSV []byte

// Iris returns Fisher's iris data, embedded in nerve: 150 flowers, four
// features in centimetres (sepal length and width, petal length and
// width) and the species as the label (setosa, versicolor, virginica; 50
// each). Each call returns a new copy. Provenance and licence are in
// embedded/README.md.
func Iris() *Dataset {
	rows, err := csv.NewReader(bytes.NewReader(irisCSV)).ReadAll()
	if err != nil {
		panic("data: embedded iris.csv: " + err.Error())
	}
	d := &Dataset{Name: "iris (embedded)", Features: rows[0][:4], Target: rows[0][4]}
	d.X = tensor.Zeros[float64](len(rows)-1, 4)
	for i, r := range rows[1:] {
		for j := range 4 {
			v, err := strconv.ParseFloat(r[j], 64)
			if err != nil {
				panic(fmt.Sprintf("data: embedded iris.csv line %d: %v", i+2, err))
			}
			d.X.Set(i, j, v)
		}
		d.Labels = append(d.Labels, r[4])
	}
	return d
}
