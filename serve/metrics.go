package serve

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the Server's Prometheus collectors.
type metrics struct {
	requests  *prometheus.CounterVec   // by handler and code
	latency   *prometheus.HistogramVec // seconds, by handler
	inFlight  prometheus.Gauge
	batchRows prometheus.Histogram // rows per micro-batch
	rows      prometheus.Counter   // rows predicted
	reloads   *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "nerve_serve_requests_total", Help: "HTTP requests answered, by handler and status code.",
		}, []string{"handler", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "nerve_serve_request_duration_seconds", Help: "Time from a request's arrival to its answer, by handler.",
			Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"handler"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "nerve_serve_in_flight_requests", Help: "Requests being answered now.",
		}),
		batchRows: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "nerve_serve_batch_rows", Help: "Rows in each micro-batch the network computed.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 12),
		}),
		rows: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "nerve_serve_rows_total", Help: "Rows predicted.",
		}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "nerve_serve_reloads_total", Help: "Model reloads that swapped in a new model (ok) or kept the old one (error).",
		}, []string{"result"}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.latency, m.inFlight, m.batchRows, m.rows, m.reloads} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("registering metrics: %w", err)
		}
	}
	m.reloads.WithLabelValues("ok")
	m.reloads.WithLabelValues("error")
	return m, nil
}

func (s *Server) metricsHandler(reg *prometheus.Registry) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
}

// recorder remembers the status and size of an answer.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// instrument wraps a handler that returns an error: it checks the method
// (any when method is ""), answers errors as JSON, counts and times the
// request and writes one access-log record.
func (s *Server) instrument(name, method string, f func(http.ResponseWriter, *http.Request) error) http.Handler {
	latency := s.metrics.latency.WithLabelValues(name)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		s.metrics.inFlight.Inc()
		rec := &recorder{ResponseWriter: w}
		var err error
		if method != "" && r.Method != method && !(method == http.MethodGet && r.Method == http.MethodHead) {
			w.Header().Set("Allow", method)
			err = &RequestError{Status: http.StatusMethodNotAllowed, Field: "method", Msg: fmt.Sprintf("%s is not allowed on %s (want %s)", r.Method, r.URL.Path, method)}
		} else {
			err = f(rec, r)
		}
		if err != nil {
			writeError(rec, err)
		}
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		d := time.Since(start)
		s.metrics.inFlight.Dec()
		latency.Observe(d.Seconds())
		s.metrics.requests.WithLabelValues(name, strconv.Itoa(rec.status)).Inc()
		attrs := []any{"method", r.Method, "path", r.URL.Path, "status", rec.status, "bytes", rec.bytes,
			"duration_ms", float64(d.Microseconds()) / 1000, "remote", r.RemoteAddr}
		if err != nil {
			attrs = append(attrs, "error", err.Error())
		}
		s.log.Info("request", attrs...)
	})
}
