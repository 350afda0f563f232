package data_test

import (
	"fmt"
	"strings"

	"github.com/nerve-ml/nerve/data"
)

// A table for a model trained on features a, b, c with target y: the
// target column is dropped and the features are picked by name, in the
// model's order.
func ExampleColumns_ReadFeatures() {
	cols := data.Columns{Features: []string{"a", "b", "c"}, Target: "y", Task: data.TaskClassification}
	table := "c,y,a,b\n3,yes,1,2\n6,no,4,5\n"
	d, err := cols.ReadFeatures("table.csv", func(opt data.CSVOptions) (*data.Dataset, error) {
		return data.ReadCSV(strings.NewReader(table), "table.csv", opt)
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Features, d.X.Data())
	// Output: [a b c] [1 2 3 4 5 6]
}
