package model_test

import (
	"bytes"
	"fmt"
	"log"
	"strings"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/rng"
)

// A model that carries the preprocessing of a raw table predicts from raw
// rows: columns by name, text categories and missing cells included.
func ExampleModel_PredictTable() {
	const train = "sex,age,deck,survived\nmale,22,NA,no\nfemale,38,C,yes\nfemale,,E,yes\nmale,35,,no\n"
	t, err := data.ReadTable(strings.NewReader(train), "train.csv", data.TableOptions{})
	if err != nil {
		log.Fatal(err)
	}
	p, err := data.FitPreprocessing(t, data.PrepOptions{Target: "survived"})
	if err != nil {
		log.Fatal(err)
	}
	net, err := nn.New[float32](nn.Config{Inputs: p.Width(), Loss: loss.CrossEntropy, Layers: []nn.LayerSpec{
		{Units: 8, Activation: activation.ReLU}, {Units: 2, Activation: activation.Softmax}}}, rng.New(1))
	if err != nil {
		log.Fatal(err)
	}
	// (train the network on p's inputs here; see package train)
	m := &model.Model[float32]{Network: net, Task: model.Classification, Classes: []string{"no", "yes"},
		LabelType: model.LabelString, Features: p.Features(), Target: "survived", Preprocessing: p}
	var file bytes.Buffer
	if _, err := m.WriteTo(&file); err != nil {
		log.Fatal(err)
	}
	back, err := model.Read[float32](&file)
	if err != nil {
		log.Fatal(err)
	}
	rows, _ := data.NewTable("new", []string{"age", "deck", "sex", "name"},
		[][]string{{"40", "C", "female", "Ann"}, {"", "G", "male", "Bob"}})
	probs, rep, err := back.PredictTable(rows)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(probs.Shape(), "unseen:", rep.Unseen)
	// Output:
	// (2, 2) unseen: map[deck:1]
}
