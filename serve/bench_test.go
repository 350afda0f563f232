package serve

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/nerve-ml/nerve/activation"
	"github.com/nerve-ml/nerve/loss"
	"github.com/nerve-ml/nerve/model"
	"github.com/nerve-ml/nerve/nn"
	"github.com/nerve-ml/nerve/rng"
	"github.com/nerve-ml/nerve/tensor"
)

// mnistModel is an untrained 784-256-128-10 classifier: the shape of the
// load benchmark in bench/serve.sh.
func mnistModel(b *testing.B) *model.Model[float32] { return mnistModelT(b) }

func mnistModelT(b testing.TB) *model.Model[float32] {
	net, err := nn.New[float32](nn.Config{Inputs: 784, Loss: loss.CrossEntropy, Layers: []nn.LayerSpec{
		{Units: 256, Activation: activation.ReLU}, {Units: 128, Activation: activation.ReLU}, {Units: 10, Activation: activation.Softmax}}}, rng.New(1))
	if err != nil {
		b.Fatal(err)
	}
	classes := make([]string, 10)
	for k := range classes {
		classes[k] = fmt.Sprint(k)
	}
	return &model.Model[float32]{Network: net, Task: model.Classification, Classes: classes, LabelType: model.LabelInt}
}

// mnistRows returns n rows of 784 pixel values in [0, 1].
func mnistRows(n int) *tensor.Dense[float64] {
	src := rng.New(2)
	X := tensor.Zeros[float64](n, 784)
	for i := range X.Data() {
		X.Data()[i] = float64(src.Interval(255)) / 255
	}
	return X
}

// BenchmarkInfer answers one-row V2 requests for the MNIST-shaped model
// through the handler (no network), from 64 goroutines at once, with
// micro-batching off and on: the in-process twin of bench/serve.sh at
// concurrency 64.
func BenchmarkInfer(b *testing.B) {
	body := inferBody(mnistRows(1))
	for _, mb := range []int{1, 64} {
		b.Run(fmt.Sprintf("max-batch=%d", mb), func(b *testing.B) {
			s, _ := newServer(b, mnistModel(b), Options{MaxBatch: mb, BatchWait: 1e6})
			b.ReportAllocs()
			b.SetParallelism(32) // × GOMAXPROCS goroutines
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req := httptest.NewRequest("POST", "/v2/models/model/infer", strings.NewReader(body))
					rec := httptest.NewRecorder()
					s.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK {
						b.Fatalf("%d %s", rec.Code, rec.Body)
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkParseRow parses one 784-value row of V2 data.
func BenchmarkParseRow(b *testing.B) {
	body := inferBody(mnistRows(1))
	data := []byte(body[strings.Index(body, `"data":`)+7 : strings.Index(body, `],"datatype"`)+1])
	dst := make([]float64, 0, 784)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseNumbers(data, dst[:0]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPredict runs Model.Predict on batches of 1 and 64 rows of the
// MNIST-shaped model, reporting rows/s: the most micro-batching can gain
// in compute.
func BenchmarkPredict(b *testing.B) {
	m := mnistModel(b)
	for _, n := range []int{1, 64} {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			X := mnistRows(n)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.Predict(X); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
