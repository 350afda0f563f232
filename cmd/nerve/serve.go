package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/nerve-ml/nerve/serve"
)

type serveConfig struct {
	model, addr, name, logFormat string
	maxBatch, workers, maxRows   int
	maxBody                      int
	batchWait, poll, drain       time.Duration
}

func (c *serveConfig) flags(f *flagSet) {
	f.String(&c.model, "model", "the model `FILE` written by nerve train; reloaded when replaced, or on SIGHUP")
	f.String(&c.addr, "addr", "listen on `HOST:PORT`")
	f.String(&c.name, "name", "the model's `NAME` in /v2/models/NAME (default: the file's name without extension)")
	f.Var(atLeast(&c.maxBatch, 1), "max-batch", "gather up to `ROWS` rows of concurrent requests into one batch; 1 turns micro-batching off")
	f.Var(durationValue{&c.batchWait}, "batch-wait", "how long a batch waits for more requests after its first (`DURATION`)")
	f.Var(atLeast(&c.workers, 1), "workers", "`N` batches computed at once")
	f.Var(atLeast(&c.maxBody, 1), "max-body", "the largest request body in `BYTES` (413 beyond)")
	f.Var(atLeast(&c.maxRows, 1), "max-rows", "the most `ROWS` one request may carry")
	f.Var(choiceValue{&c.logFormat, []string{"text", "json"}}, "log-format", "access and reload log on stderr as `FORMAT`: text or json")
	f.Var(durationValue{&c.poll}, "poll", "check this often whether the model file was replaced (`DURATION`; 0 never)")
	f.Var(durationValue{&c.drain}, "drain", "at shutdown, answer with Connection: close and failing readiness this long before no longer accepting connections (`DURATION`)")
}

func defaultServeConfig() serveConfig {
	return serveConfig{addr: "127.0.0.1:8080", logFormat: "text", maxBatch: serve.DefaultMaxBatch, workers: 1,
		maxBody: serve.DefaultMaxBody, maxRows: serve.DefaultMaxRows, batchWait: time.Millisecond,
		poll: serve.DefaultPollInterval, drain: 500 * time.Millisecond}
}

func serveAbout(w io.Writer) {
	fmt.Fprint(w, `Serve answers predictions from a trained model over HTTP until SIGTERM or
Ctrl-C, then finishes the requests in flight and exits 0. It speaks the
Open Inference Protocol (KServe V2, Triton's HTTP API) under /v2, takes
rows by feature name (JSON) or CSV at POST /predict, and exposes
Prometheus metrics at /metrics. Concurrent requests are gathered into
micro-batches. A replaced model file (or SIGHUP) is loaded and checked
off the request path and swapped in whole; a broken one is logged and the
old model keeps serving.

	curl -s localhost:8080/predict -H 'Content-Type: application/json' \
		-d '[{"sepal_length":5.1,"sepal_width":3.5,"petal_length":1.4,"petal_width":0.2}]'
`)
}

func (c *serveConfig) run(ctx context.Context, _ []string, stdout, stderr io.Writer) error {
	if c.model == "" {
		return usagef("serve: --model is required")
	}
	var h slog.Handler = slog.NewTextHandler(stderr, nil)
	if c.logFormat == "json" {
		h = slog.NewJSONHandler(stderr, nil)
	}
	poll, drain := c.poll, c.drain
	if poll == 0 {
		poll = -1 // serve.Options: negative is never
	}
	if drain == 0 {
		drain = -1
	}
	s, err := serve.New(c.model, serve.Options{
		Name: c.name, MaxBatch: c.maxBatch, BatchWait: c.batchWait, Workers: c.workers,
		MaxBody: int64(c.maxBody), MaxRows: c.maxRows, Logger: slog.New(h), PollInterval: poll, Drain: drain,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		s.Close()
		return fmt.Errorf("--addr %s: %w", c.addr, err)
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for {
			select {
			case <-hup:
				s.Reload() //nolint:errcheck // logged by Reload; the old model keeps serving
			case <-ctx.Done():
				return
			}
		}
	}()
	fmt.Fprintf(stdout, "serving %s at http://%s/\n", s.Name(), ln.Addr())
	return s.Serve(ctx, ln)
}

// durationValue is a flag holding a time.Duration ≥ 0.
type durationValue struct{ p *time.Duration }

func (v durationValue) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return fmt.Errorf("%q is not a duration ≥ 0 such as 2ms or 1s", s)
	}
	*v.p = d
	return nil
}

func (v durationValue) String() string {
	if v.p == nil {
		return ""
	}
	return v.p.String()
}
