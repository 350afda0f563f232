package serve

import (
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/nerve-ml/nerve/tensor"
)

// predict runs the model on rows raw samples x (rows×inputs, row-major)
// and returns its outputs, rows×width, row-major.
func (l *loaded) predict(x []float64, rows int) ([]float64, error) {
	P, err := l.m.Predict(tensor.New(rows, l.inputs(), x))
	if err != nil {
		return nil, err
	}
	return P.Data(), nil
}

// errClosed answers a request that arrives after Close.
var errClosed = &RequestError{Status: http.StatusServiceUnavailable, Msg: "the server is shutting down"}

// job is one request's rows waiting for a batch.
type job struct {
	mod  *loaded
	x    []float64 // rows×inputs of mod
	rows int
	out  []float64 // rows×width, set before done is closed
	err  error
	done chan struct{}
}

// batcher gathers concurrent requests' rows into micro-batches, as
// Triton's dynamic batcher does: a batch starts with the first waiting
// request, takes more for up to wait while other requests are on their
// way (read and parsed by their handlers: a lone client never waits), and
// keeps taking more while every worker is busy, up to maxRows rows. A batch holds requests for one
// model only, and a request is never split across batches, so every
// answer comes wholly from one model.
type batcher struct {
	jobs    chan *job
	ready   chan []*job
	maxRows int
	wait    time.Duration
	rowsObs prometheus.Observer

	arriving atomic.Int64  // requests between arrive and leave
	nudge    chan struct{} // a request left without rows

	mu     sync.RWMutex // guards closed against sends on jobs
	closed bool
	done   sync.WaitGroup // the collector and the workers
}

func newBatcher(maxRows int, wait time.Duration, workers int, rowsObs prometheus.Observer) *batcher {
	b := &batcher{
		jobs:    make(chan *job, maxRows),
		ready:   make(chan []*job),
		nudge:   make(chan struct{}, 1),
		maxRows: maxRows,
		wait:    wait,
		rowsObs: rowsObs,
	}
	b.done.Add(1 + workers)
	go b.collect()
	for range workers {
		go b.work()
	}
	return b
}

// arrival is a request on its way to the batcher, from its handler's
// start until it submits its rows or gives up.
type arrival struct {
	b    *batcher
	left bool
}

// arrive counts a request on its way; its handler must call leave (or
// submit) once. A nil batcher gives a nil arrival, which does nothing.
func (b *batcher) arrive() *arrival {
	if b == nil {
		return nil
	}
	b.arriving.Add(1)
	return &arrival{b: b}
}

// leave uncounts the request, once; the batcher stops waiting for it.
func (a *arrival) leave() {
	if a == nil || a.left {
		return
	}
	a.left = true
	a.b.arriving.Add(-1)
	select {
	case a.b.nudge <- struct{}{}:
	default:
	}
}

// submit queues j and waits for its answer; a is j's request.
func (b *batcher) submit(j *job, a *arrival) error {
	a.leave()
	j.done = make(chan struct{})
	b.mu.RLock()
	if b.closed {
		b.mu.RUnlock()
		return errClosed
	}
	b.jobs <- j
	b.mu.RUnlock()
	<-j.done
	return j.err
}

// close stops the batcher once every submitted job is answered.
func (b *batcher) close() {
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		close(b.jobs)
	}
	b.mu.Unlock()
	b.done.Wait()
}

// collect forms batches from b.jobs and hands them to the workers.
func (b *batcher) collect() {
	defer b.done.Done()
	defer close(b.ready)
	var next *job // the first job of the next batch
	for {
		first := next
		next = nil
		if first == nil {
			var ok bool
			if first, ok = <-b.jobs; !ok {
				return
			}
		}
		batch, rows, open := []*job{first}, first.rows, true
		// take adds j to the batch, or keeps it for the next one when it
		// is for another model or would make the batch too big; it
		// reports whether the batch can take more.
		take := func(j *job, ok bool) bool {
			switch {
			case !ok:
				open = false
				return false
			case j.mod != first.mod || rows+j.rows > b.maxRows:
				next = j
				return false
			}
			batch = append(batch, j)
			rows += j.rows
			return rows < b.maxRows
		}
		if b.wait > 0 && rows < b.maxRows {
			timer := time.NewTimer(b.wait)
		waiting:
			for b.arriving.Load() > 0 || len(b.jobs) > 0 {
				select {
				case j, ok := <-b.jobs:
					if !take(j, ok) {
						break waiting
					}
				case <-b.nudge:
				case <-timer.C:
					break waiting
				}
			}
			timer.Stop()
		}
		// Hand the batch over, taking more while every worker is busy.
		for full := next != nil || !open || rows >= b.maxRows; !full; {
			select {
			case b.ready <- batch:
				batch = nil
				full = true
			case j, ok := <-b.jobs:
				full = !take(j, ok)
			}
		}
		if batch != nil {
			b.ready <- batch
		}
		if !open && next == nil {
			return
		}
	}
}

// work computes batches until the collector stops.
func (b *batcher) work() {
	defer b.done.Done()
	for batch := range b.ready {
		b.run(batch)
	}
}

// run computes one batch and answers its jobs.
func (b *batcher) run(batch []*job) {
	mod := batch[0].mod
	rows := 0
	for _, j := range batch {
		rows += j.rows
	}
	b.rowsObs.Observe(float64(rows))
	x := batch[0].x
	if len(batch) > 1 {
		x = make([]float64, 0, rows*mod.inputs())
		for _, j := range batch {
			x = append(x, j.x...)
		}
	}
	out, err := mod.predict(x, rows)
	w := mod.width()
	off := 0
	for _, j := range batch {
		if err != nil {
			j.err = err
		} else {
			j.out = out[off*w : (off+j.rows)*w : (off+j.rows)*w]
		}
		off += j.rows
		close(j.done)
	}
}
