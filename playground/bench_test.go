package playground

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// benchSession returns the run the benchmarks train: 2-8-8-1 tanh on
// 500 training points of the spiral, batch 10.
func benchSession(b *testing.B) *Session {
	s := mustSession(b, "dataset=spiral&samples=1000&ratio=50&features=x1,x2&hidden=8,8&activation=tanh&lr=0.03&batch=10")
	if s.nTrain != 500 {
		b.Fatalf("%d training points; want 500", s.nTrain)
	}
	return s
}

// BenchmarkEpochFrame is one press of Step as the page sees it: one epoch
// of a 2-8-8-1 tanh network on 500 training points in batches of 10, then
// the frame (the output and all 16 hidden neurons over the plane) encoded
// as JSON.
func BenchmarkEpochFrame(b *testing.B) { benchEpoch(b, true) }

// BenchmarkEpoch is the epoch of BenchmarkEpochFrame alone.
func BenchmarkEpoch(b *testing.B) { benchEpoch(b, false) }

// benchEpoch times one epoch of the benchmarks' run, with the frame if
// asked, and reports the process's CPU time per operation beside it: on a
// machine shared with other work, ns/op counts the waiting too.
func benchEpoch(b *testing.B, frame bool) {
	s := benchSession(b)
	ctx := context.Background()
	b.ReportAllocs()
	cpu := processCPU()
	for b.Loop() {
		if err := s.Step(ctx); err != nil {
			b.Fatal(err)
		}
		if !frame {
			continue
		}
		if _, err := json.Marshal(s.Frame()); err != nil {
			b.Fatal(err)
		}
	}
	if c := processCPU(); c > 0 && cpu > 0 {
		b.ReportMetric(float64(c-cpu)/1e6/float64(b.N), "cpu-ms/op")
	}
}

// BenchmarkPlayStream plays the spiral run of the end-to-end test (all
// seven features, 8-8 tanh) and reads its frames from the Server-Sent
// Events stream as a page does, reporting the frames per second that
// reach the client; the server paces them at one per FrameInterval.
func BenchmarkPlayStream(b *testing.B) {
	srv := NewServer()
	ts := httptest.NewServer(srv)
	defer func() { srv.Close(); ts.Close() }()
	post := func(path, body string) {
		resp, err := http.Post(ts.URL+path, "text/plain", strings.NewReader(body))
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("%s: %v %v", path, err, resp)
		}
		resp.Body.Close()
	}
	post("/api/reset?s=b", "dataset=spiral&features=x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2&hidden=8,8&activation=tanh")
	resp, err := http.Get(ts.URL + "/api/events?s=b")
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	frame := func() {
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "data: ") {
				return
			}
		}
		b.Fatal("the stream ended")
	}
	frame() // the current one, sent on subscribing
	post("/api/play?s=b&on=1", "")
	frame()
	start := time.Now()
	for b.Loop() {
		frame()
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "frames/s")
	post("/api/play?s=b&on=0", "")
}
