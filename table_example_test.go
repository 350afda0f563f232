package nerve_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/nerve-ml/nerve"
	"github.com/nerve-ml/nerve/data"
)

// A classifier trained on a table as it comes: a text column, missing
// cells, an unknown category at prediction time.
func ExampleClassifier_FitTable() {
	const csv = `pet,legs,sound,weight
cat,4,meow,4.1
dog,4,woof,30
cat,4,purr,3.8
dog,NA,woof,25
bird,2,tweet,0.3
bird,2,,0.2
cat,,meow,4.5
dog,4,growl,28
`
	t, err := data.ReadTable(strings.NewReader(csv), "pets.csv", data.TableOptions{})
	if err != nil {
		log.Fatal(err)
	}
	clf := nerve.NewClassifier[string](nerve.Options{Seed: 1})
	if _, err := clf.FitTable(context.Background(), t, data.PrepOptions{Target: "pet"}); err != nil {
		log.Fatal(err)
	}
	fmt.Println(clf.Model().Features)

	rows, _ := data.NewTable("new", []string{"sound", "weight", "legs"},
		[][]string{{"woof", "27", "4"}, {"hiss", "4", "?"}, {"tweet", "0.25", "2"}})
	pets, rep, err := clf.PredictTable(rows)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(pets, "unseen:", rep.Unseen)
	// Output:
	// [legs sound=growl sound=meow sound=purr sound=tweet sound=woof sound=(missing) weight]
	// [dog cat bird] unseen: map[sound:1]
}

// A warm start: PartialFit continues from the weights the first fit
// reached, with the same classes and scaling.
func ExampleClassifier_PartialFit() {
	iris := data.Iris()
	clf := nerve.NewClassifier[string](nerve.Options{Epochs: 10, WeightDecay: 1e-4, Seed: 1})
	first, err := clf.Fit(context.Background(), iris.X, iris.Labels)
	if err != nil {
		log.Fatal(err)
	}
	more, err := clf.PartialFit(context.Background(), iris.X, iris.Labels)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(first.Epochs), len(more.Epochs), more.Epochs[0].Loss < first.Epochs[0].Loss)
	// Output:
	// 10 10 true
}

// Sample weights with a table: each row's loss counts as often as its
// weight says; here the rare birds count three times.
func ExampleClassifier_FitTableWeighted() {
	const csv = `pet,legs,sound,weight
cat,4,meow,4.1
dog,4,woof,30
cat,4,purr,3.8
dog,NA,woof,25
bird,2,tweet,0.3
cat,,meow,4.5
dog,4,growl,28
`
	t, err := data.ReadTable(strings.NewReader(csv), "pets.csv", data.TableOptions{})
	if err != nil {
		log.Fatal(err)
	}
	weights := []float64{1, 1, 1, 1, 3, 1, 1}
	clf := nerve.NewClassifier[string](nerve.Options{Seed: 1})
	if _, err := clf.FitTableWeighted(context.Background(), t, data.PrepOptions{Target: "pet"}, weights); err != nil {
		log.Fatal(err)
	}
	pets, _, err := clf.PredictTable(t)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(pets)
	// Output:
	// [cat dog cat dog bird cat dog]
}
