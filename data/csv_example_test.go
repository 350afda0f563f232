package data_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nerve-ml/nerve/data"
)

func ExampleReadCSV() {
	const pets = `height;weight;"kind, in words"
0.25; 4.1;cat
0.60;30.2;dog
0.23; 3.8;cat
`
	d, err := data.ReadCSV(strings.NewReader(pets), "pets.csv", data.CSVOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Features, "→", d.Target)
	fmt.Println(d.X.Dims())
	fmt.Println(d.X.Row(1), d.Labels)

	// A problem with the data names the file, line and column.
	_, err = data.ReadCSV(strings.NewReader("a,b,y\n1,2,3.5\n4,x,6\n"), "t.csv", data.CSVOptions{})
	fmt.Println(err)
	fmt.Println(errors.Is(err, data.ErrData))
	// Output:
	// [height weight] → kind, in words
	// 3 2
	// [0.6 30.2] [cat dog cat]
	// t.csv:3:2 (b): "x" is not a number: every column except the target (y) must be numeric
	// true
}
