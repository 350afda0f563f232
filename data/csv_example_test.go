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

// The field-level errors tell what is wrong with a cell or line, as
// encoding/csv's ErrFieldCount does, beside ErrData for any bad data.
func ExampleErrFieldCount() {
	_, err := data.ReadCSV(strings.NewReader("a,b,y\n1,2,x\n3,y\n"), "t.csv", data.CSVOptions{})
	fmt.Println(err)
	fmt.Println(errors.Is(err, data.ErrFieldCount), errors.Is(err, data.ErrNotNumber), errors.Is(err, data.ErrData))
	// Output:
	// t.csv:3: 2 fields, but the header has 3
	// true false true
}

func ExampleReadIDXPair() {
	// Two 1×2 images and their labels, as MNIST stores them.
	images := "\x00\x00\x08\x03\x00\x00\x00\x02\x00\x00\x00\x01\x00\x00\x00\x02\x00\xff\x80\x10"
	labels := "\x00\x00\x08\x01\x00\x00\x00\x02\x03\x05"
	d, err := data.ReadIDXPair(strings.NewReader(images), "images", strings.NewReader(labels), "labels")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.X.Dims())
	fmt.Printf("%.3f %v\n", d.X.Row(1), d.Labels)
	// Output:
	// 2 2
	// [0.502 0.063] [3 5]
}

func ExampleIDXOptions() {
	// Two 1×2 images and their labels, stored in float32 only.
	images := "\x00\x00\x08\x03\x00\x00\x00\x02\x00\x00\x00\x01\x00\x00\x00\x02\x00\xff\x80\x10"
	labels := "\x00\x00\x08\x01\x00\x00\x00\x02\x03\x05"
	d, err := data.ReadIDXPairWith(strings.NewReader(images), "images", strings.NewReader(labels), "labels", data.IDXOptions{Float32: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.X == nil, d.Len(), d.Cols())
	fmt.Printf("%.3f %v\n", d.X32.Row(1), d.Labels)
	// Output:
	// true 2 2
	// [0.502 0.063] [3 5]
}

func ExampleDataset_Float32() {
	// Features read in float32 for float32 training: X is nil, X32 holds them.
	d, err := data.ReadCSV(strings.NewReader("x1,x2,y\n0.5,2,a\n1.25,-3,b\n"), "t.csv", data.CSVOptions{Float32: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.X == nil, d.Float32() == d.X32)
	fmt.Println(d.Float64().Row(1), d.Labels)
	// Output:
	// true true
	// [1.25 -3] [a b]
}
