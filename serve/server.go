// Package serve puts a trained nerve model behind HTTP: the Open Inference
// Protocol (KServe V2, also Triton's HTTP API), a plain /predict endpoint
// for rows by feature name or CSV, dynamic micro-batching, Prometheus
// metrics, structured access logs, hot reload and graceful shutdown.
//
// A Server is an http.Handler, so it can be mounted in any server:
//
//	s, err := serve.New("iris.nerve", serve.Options{})
//	defer s.Close()
//	http.Handle("/", s)
//
// or run on its own with Serve, which sets timeouts, watches the model
// file and shuts down gracefully when its context ends. The endpoints:
//
//	GET  /v2                          server metadata
//	GET  /v2/health/live              200 while the process runs
//	GET  /v2/health/ready             200 while a model is loaded and the server is not draining
//	GET  /v2/models/NAME              model metadata: inputs, outputs, classes, features
//	GET  /v2/models/NAME/ready        as /v2/health/ready, for the model
//	POST /v2/models/NAME/infer        V2 inference (also under /versions/VERSION/)
//	POST /predict                     JSON rows by feature name, or a text/csv body
//	GET  /metrics                     Prometheus text format
//
// The V2 input is one tensor named "input", FP32 or FP64, of shape
// [rows, features], holding the raw features (the model's standardisation
// is applied here, as nerve predict applies it). The outputs are named as
// the ONNX export names them: "label" (BYTES for string class labels,
// INT64 for integer ones) and "probabilities" (FP32, [rows, classes]) for a
// classifier, "predictions" (FP32, [rows, outputs]) for a regressor.
//
// A model trained on a raw table (text categories, missing cells: its
// Preprocessing) takes its rows only as a text/csv body on /predict, raw
// as nerve predict reads them; JSON rows and V2 requests for it are
// refused with a 400 that says so.
//
// Every bad request gets a 4xx status and a JSON body {"error": "..."}
// whose message names the field at fault.
package serve

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/nerve-ml/nerve/data"
	"github.com/nerve-ml/nerve/model"
)

// Defaults for the zero values of Options.
const (
	DefaultMaxBatch     = 64
	DefaultMaxBody      = 16 << 20
	DefaultMaxRows      = 100_000
	DefaultPollInterval = time.Second
)

// Options configure a Server. The zero value of every field is the
// documented default; New never writes to the Options it is given.
type Options struct {
	// Name is the model's name in /v2/models/NAME; "" means the model
	// file's base name without its extension.
	Name string
	// MaxBatch is the most rows one micro-batch gathers from concurrent
	// requests (a request with more rows runs alone); 0 means
	// DefaultMaxBatch, and 1 turns batching off: every request is then
	// predicted on its own, in its own goroutine.
	MaxBatch int
	// BatchWait is how long a batch waits for more requests after its
	// first one arrived, as Triton's max_queue_delay, but only while
	// other requests are being read and parsed (so a lone client never
	// waits); 0 means no waiting (a batch still gathers every request
	// that arrives while the previous batch is being computed).
	BatchWait time.Duration
	// Workers is the number of batches computed at once; 0 means 1
	// (each batch's matrix multiplies already use every thread the
	// kernels are allowed).
	Workers int
	// MaxBody is the largest request body in bytes (413 beyond it); 0
	// means DefaultMaxBody.
	MaxBody int64
	// MaxRows is the most rows one request may carry (400 beyond it); 0
	// means DefaultMaxRows.
	MaxRows int
	// Logger receives the access log (one record per request) and the
	// reload log; nil means no logging.
	Logger *slog.Logger
	// Registry is where the Server registers its metrics, which /metrics
	// serves; nil means a registry of its own, with the Go runtime and
	// process collectors.
	Registry *prometheus.Registry
	// PollInterval is how often Serve checks whether the model file was
	// replaced; 0 means DefaultPollInterval, a negative value turns
	// polling off (Reload, on SIGHUP for instance, still works).
	PollInterval time.Duration
	// ReadHeaderTimeout, ReadTimeout, WriteTimeout and IdleTimeout are
	// the http.Server timeouts Serve sets; 0 means 5 s, 30 s, 30 s and
	// 120 s.
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// Drain is how long Serve keeps answering at shutdown, with
	// "Connection: close" and /v2/health/ready failing, before it stops
	// accepting connections, so that clients and load balancers move off
	// without a request lost in flight; 0 means 500 ms, a negative value
	// none.
	Drain time.Duration
	// ShutdownTimeout bounds how long Serve waits for requests in
	// flight at shutdown; 0 means 30 s.
	ShutdownTimeout time.Duration
}

// ErrModel is wrapped by the errors of New and Reload about the model
// file: one that cannot be read, is not a valid model, or has a shape
// the server cannot serve.
var ErrModel = errors.New("cannot serve model")

// Server serves one model over HTTP. It is safe for concurrent use; its
// model can be replaced at any time by Reload, and every response comes
// wholly from one model.
type Server struct {
	path string
	name string
	opt  Options // with defaults filled in
	log  *slog.Logger

	cur      atomic.Pointer[loaded]
	draining atomic.Bool
	closed   atomic.Bool

	reloadMu   sync.Mutex // serialises Reload
	lastFailed fileStamp  // the file a failed reload read, not to be retried until it changes

	batch   *batcher // nil when batching is off
	mux     *http.ServeMux
	metrics *metrics
}

// loaded is one model as the server serves it; never modified once
// published.
type loaded struct {
	m       *model.Model[float32]
	version string // the first 12 hex digits of the file's SHA-256
	stamp   fileStamp
	cols    data.Columns
	outputs []string // the output tensors, in the order answered
}

// fileStamp tells whether a file was replaced: its size, modification
// time and identity.
type fileStamp struct {
	info os.FileInfo
}

func (a fileStamp) same(b fileStamp) bool {
	if a.info == nil || b.info == nil {
		return a.info == b.info
	}
	return os.SameFile(a.info, b.info) && a.info.Size() == b.info.Size() && a.info.ModTime().Equal(b.info.ModTime())
}

// New loads the model file at path and returns a Server for it. Its
// batching goroutines run until Close. The error wraps ErrModel when the
// model file cannot be served.
func New(path string, opt Options) (*Server, error) {
	o := opt
	if o.MaxBatch <= 0 {
		o.MaxBatch = DefaultMaxBatch
	}
	if o.BatchWait < 0 {
		o.BatchWait = 0
	}
	if o.Workers <= 0 {
		o.Workers = 1
	}
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	if o.MaxRows <= 0 {
		o.MaxRows = DefaultMaxRows
	}
	if o.PollInterval == 0 {
		o.PollInterval = DefaultPollInterval
	}
	for _, d := range []struct {
		p   *time.Duration
		def time.Duration
	}{{&o.ReadHeaderTimeout, 5 * time.Second}, {&o.ReadTimeout, 30 * time.Second}, {&o.WriteTimeout, 30 * time.Second}, {&o.IdleTimeout, 120 * time.Second}, {&o.Drain, 500 * time.Millisecond}, {&o.ShutdownTimeout, 30 * time.Second}} {
		if *d.p == 0 {
			*d.p = d.def
		}
	}
	if o.Drain < 0 {
		o.Drain = 0
	}
	s := &Server{path: path, name: o.Name, opt: o, log: o.Logger}
	if s.name == "" {
		s.name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	reg := o.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	var err error
	if s.metrics, err = newMetrics(reg); err != nil {
		return nil, err
	}
	l, err := load(path)
	if err != nil {
		return nil, err
	}
	s.cur.Store(l)
	s.log.Info("model loaded", "model", s.name, "version", l.version, "path", path)
	if o.MaxBatch > 1 {
		s.batch = newBatcher(o.MaxBatch, o.BatchWait, o.Workers, s.metrics.batchRows)
	}
	s.routes(reg)
	return s, nil
}

// Name returns the model's name in the URLs.
func (s *Server) Name() string { return s.name }

// Version returns the version of the model being served: the first 12 hex
// digits of its file's SHA-256.
func (s *Server) Version() string { return s.cur.Load().version }

// Close stops the batching goroutines once the batches already submitted
// are answered. Call it after the HTTP server in front stopped handing
// requests to s; a request that arrives afterwards is answered 503.
func (s *Server) Close() {
	s.closed.Store(true)
	if s.batch != nil {
		s.batch.close()
	}
}

// Reload reads the model file again and, if it holds a valid model that
// is not the one being served, swaps it in atomically: requests already
// under way finish with the old model, later ones use the new one. On
// any error the old model keeps serving; the error (wrapping ErrModel)
// is logged and returned. Reload is safe to call at any time, from any
// goroutine (Serve calls it when the file changes).
func (s *Server) Reload() error {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	return s.reloadLocked()
}

func (s *Server) reloadLocked() error {
	old := s.cur.Load()
	l, err := load(s.path)
	if err != nil {
		if fi, serr := os.Stat(s.path); serr == nil {
			s.lastFailed = fileStamp{fi}
		}
		s.metrics.reloads.WithLabelValues("error").Inc()
		s.log.Error("model reload failed; the old model keeps serving", "model", s.name, "version", old.version, "error", err.Error())
		return err
	}
	s.lastFailed = fileStamp{}
	if l.version == old.version {
		// The same bytes: keep the model, remember the file's new stamp.
		cp := *old
		cp.stamp = l.stamp
		s.cur.Store(&cp)
		return nil
	}
	s.cur.Store(l)
	s.metrics.reloads.WithLabelValues("ok").Inc()
	s.log.Info("model reloaded", "model", s.name, "version", l.version, "previous", old.version, "path", s.path)
	return nil
}

// reloadIfChanged reloads when the model file's stamp differs from the
// served model's and from the last file that failed to load.
func (s *Server) reloadIfChanged() {
	fi, err := os.Stat(s.path)
	if err != nil {
		return // being replaced, or gone: keep serving what we have
	}
	st := fileStamp{fi}
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	if st.same(s.cur.Load().stamp) || st.same(s.lastFailed) {
		return
	}
	s.reloadLocked() //nolint:errcheck // logged by reloadLocked
}

// watch polls the model file until ctx is done.
func (s *Server) watch(ctx context.Context) {
	if s.opt.PollInterval < 0 {
		return
	}
	t := time.NewTicker(s.opt.PollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.reloadIfChanged()
		}
	}
}

// load reads and checks the model file at path, off the request path.
func load(path string) (*loaded, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrModel, err)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrModel, err)
	}
	defer f.Close()
	h := sha256.New()
	m, err := model.Read[float32](io.TeeReader(f, h))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrModel, path, err)
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrModel, path, err)
	}
	l := &loaded{m: m, version: hex.EncodeToString(h.Sum(nil))[:12], stamp: fileStamp{fi}}
	l.cols = data.Columns{Features: m.Features, Target: m.Target, Task: data.TaskRegression}
	if len(m.Classes) > 0 {
		l.cols.Task = data.TaskClassification
		l.outputs = []string{outLabel, outProbabilities}
	} else {
		l.outputs = []string{outPredictions}
	}
	// A smoke test: one row of zeros must go through.
	if _, err := l.predict(make([]float64, m.Network.Inputs()), 1); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrModel, path, err)
	}
	return l, nil
}

// The output tensors, named as the ONNX export names them.
const (
	outLabel         = "label"
	outProbabilities = "probabilities"
	outPredictions   = "predictions"
	inputName        = "input"
)

// inputs is the number of features the model reads.
func (l *loaded) inputs() int { return l.m.Network.Inputs() }

// width is the number of values per row of the model's output.
func (l *loaded) width() int { return l.m.Network.Outputs() }

// routes builds the request multiplexer.
func (s *Server) routes(reg *prometheus.Registry) {
	mux := http.NewServeMux()
	h := func(pattern, name, method string, f func(http.ResponseWriter, *http.Request) error) {
		mux.Handle(pattern, s.instrument(name, method, f))
	}
	h("/v2", "server_metadata", http.MethodGet, s.serverMetadata)
	h("/v2/health/live", "live", http.MethodGet, s.live)
	h("/v2/health/ready", "ready", http.MethodGet, s.ready)
	for _, prefix := range []string{"/v2/models/{name}", "/v2/models/{name}/versions/{version}"} {
		h(prefix, "model_metadata", http.MethodGet, s.modelMetadata)
		h(prefix+"/ready", "model_ready", http.MethodGet, s.modelReady)
		h(prefix+"/infer", "infer", http.MethodPost, s.infer)
	}
	h("/predict", "predict", http.MethodPost, s.predictRows)
	mux.Handle("/metrics", s.instrument("metrics", http.MethodGet, func(w http.ResponseWriter, r *http.Request) error {
		s.metricsHandler(reg).ServeHTTP(w, r)
		return nil
	}))
	h("/", "not_found", "", func(w http.ResponseWriter, r *http.Request) error {
		return &RequestError{Status: http.StatusNotFound, Msg: fmt.Sprintf("no endpoint %s", r.URL.Path)}
	})
	s.mux = mux
}

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.draining.Load() {
		w.Header().Set("Connection", "close")
	}
	s.mux.ServeHTTP(w, r)
}

// readBody reads the request body, at most MaxBody bytes.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.ContentLength > s.opt.MaxBody {
		return nil, &RequestError{Status: http.StatusRequestEntityTooLarge, Field: "body", Msg: fmt.Sprintf("%d bytes, more than the limit of %d", r.ContentLength, s.opt.MaxBody)}
	}
	var buf bytes.Buffer
	if r.ContentLength > 0 {
		buf.Grow(int(r.ContentLength))
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, s.opt.MaxBody))
	var mbe *http.MaxBytesError
	var ne net.Error
	switch {
	case errors.As(err, &mbe):
		return nil, &RequestError{Status: http.StatusRequestEntityTooLarge, Field: "body", Msg: fmt.Sprintf("more than the limit of %d bytes", s.opt.MaxBody)}
	case errors.As(err, &ne) && ne.Timeout():
		return nil, &RequestError{Status: http.StatusRequestTimeout, Field: "body", Msg: "not received within the read timeout"}
	case err != nil:
		return nil, &RequestError{Status: http.StatusBadRequest, Field: "body", Msg: "cannot be read: " + err.Error()}
	}
	return buf.Bytes(), nil
}
