package data_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/nerve-ml/nerve/data"
)

func ExampleFitPreprocessing() {
	const train = `sex,age,deck,survived
male,22,NA,no
female,38,C,yes
female,,E,yes
male,35,,no
`
	t, err := data.ReadTable(strings.NewReader(train), "train.csv", data.TableOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := data.FitPreprocessing(t, data.PrepOptions{Target: "survived"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(p)
	fmt.Println(p.Features())

	// The same steps on new rows: columns by name, an unseen category
	// gives zeros and is counted.
	rows, _ := data.NewTable("new", []string{"deck", "age", "sex"}, [][]string{{"B", "", "female"}})
	X, rep, err := p.Transform(rows)
	fmt.Printf("%.3f %v %v\n", X.Row(0), rep.Unseen, err)

	// Bad data names the file, line and column.
	t, _ = data.ReadTable(strings.NewReader("x,y\n1,a\n2,\n"), "bad.csv", data.TableOptions{})
	_, err = data.FitPreprocessing(t, data.PrepOptions{Target: "y"})
	fmt.Println(err)
	// Output:
	// sex: categorical, 2 categories (female, male), missing → "female" (most frequent)
	// age: numeric, missing → 35, (x − 32.5) / 6.18466
	// deck: categorical, 2 categories (C, E), missing → (missing)
	// [sex=female sex=male age deck=C deck=E deck=(missing)]
	// [1.000 0.000 0.404 0.000 0.000 0.000] map[deck:1] <nil>
	// bad.csv:3:2 (y): missing target (""): drop the rows without a target
}

func ExamplePreprocessing_MissingTokens() {
	p := &data.Preprocessing{NA: []string{" -- ", "na"}}
	fmt.Printf("%q\n", p.MissingTokens())
	// Output:
	// ["" "NA" "N/A" "NaN" "null" "?" "--"]
}

// A column of sample weights, read for a weighted fit: a bad cell names
// its line and column.
func ExampleTable_SampleWeights() {
	t, err := data.ReadTable(strings.NewReader("x,y,w\n1,a,1\n2,b,0.5\n3,a,2\n"), "runs.csv", data.TableOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.SampleWeights("w"))
	bad, _ := data.ReadTable(strings.NewReader("x,y,w\n1,a,1\n2,b,-1\n"), "bad.csv", data.TableOptions{})
	_, err = bad.SampleWeights("w")
	fmt.Println(err)
	// Output:
	// [1 0.5 2] <nil>
	// bad.csv:3:3 (w): invalid data: a sample weight must be a number ≥ 0, not -1
}
