package playground

import (
	"context"
	"encoding/json"
	"testing"
)

// BenchmarkEpochFrame is one press of Step as the page sees it: one epoch
// of a 2-8-8-1 tanh network on 500 training points in batches of 10, then
// the frame (the output and all 16 hidden neurons over the plane) encoded
// as JSON.
func BenchmarkEpochFrame(b *testing.B) {
	s := mustSession(b, "dataset=spiral&samples=1000&ratio=50&features=x1,x2&hidden=8,8&activation=tanh&lr=0.03&batch=10")
	if s.nTrain != 500 {
		b.Fatalf("%d training points; want 500", s.nTrain)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Step(ctx); err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(s.Frame()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEpoch is the epoch of BenchmarkEpochFrame alone.
func BenchmarkEpoch(b *testing.B) {
	s := mustSession(b, "dataset=spiral&samples=1000&ratio=50&features=x1,x2&hidden=8,8&activation=tanh&lr=0.03&batch=10")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Step(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
