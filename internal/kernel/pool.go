package kernel

import (
	"runtime"
	"sync/atomic"
	"time"
)

// A small pool of persistent helper goroutines for multi-threaded GEMM.
//
// Waking an idle core with a fresh goroutine costs ~100 µs on the VMs this
// was measured on, longer than most MLP-sized multiplies. So a helper that
// finishes a job spins for spinTime watching for the next one (a hand-off
// then takes well under a microsecond), parks on a channel after that, and
// exits after idleExit without work. The caller never waits for a helper to
// start: a job is a list of parts that whoever comes first takes, so a
// helper that is slow to wake simply finds nothing left to do.

const (
	maxThreads = 64
	spinTime   = 200 * time.Microsecond
	idleExit   = 50 * time.Millisecond
)

var threadSetting atomic.Int32

// SetThreads sets how many threads a large matrix multiply may use; n ≤ 0
// means runtime.GOMAXPROCS(0). The count is further capped by GOMAXPROCS.
// Results do not depend on it: every element of C is computed the same way
// whichever thread computes it.
func SetThreads(n int) {
	threadSetting.Store(int32(min(max(n, 0), maxThreads)))
}

// Threads returns the number of threads a large matrix multiply uses now.
func Threads() int {
	p := runtime.GOMAXPROCS(0)
	if t := int(threadSetting.Load()); t > 0 {
		p = min(p, t)
	}
	return min(p, maxThreads)
}

// Helper states.
const (
	stopped int32 = iota // no goroutine
	idle                 // goroutine spinning for work
	parked               // goroutine blocked on wake (or about to exit)
	busy                 // job handed over, or being worked on
)

type helper struct {
	state atomic.Int32
	job   atomic.Pointer[job]
	wake  chan struct{}
	_     [40]byte // keep helpers on separate cache lines
}

var helpers [maxThreads - 1]helper

func init() {
	for i := range helpers {
		helpers[i].wake = make(chan struct{}, 1)
	}
}

// give hands j to h if h is not busy, starting its goroutine if needed.
func (h *helper) give(j *job) bool {
	for {
		switch h.state.Load() {
		case idle:
			if h.state.CompareAndSwap(idle, busy) {
				h.job.Store(j)
				return true
			}
		case parked:
			if h.state.CompareAndSwap(parked, busy) {
				h.job.Store(j)
				h.wake <- struct{}{}
				return true
			}
		case stopped:
			if h.state.CompareAndSwap(stopped, busy) {
				h.job.Store(j)
				go h.loop()
				return true
			}
		default:
			return false
		}
	}
}

// loop runs jobs until the helper has been idle for idleExit.
func (h *helper) loop() {
	var timer *time.Timer
	for {
		// The state is busy: a job is in h.job or about to be stored.
		j := h.job.Swap(nil)
		for j == nil {
			runtime.Gosched()
			j = h.job.Swap(nil)
		}
		j.work()
		j.release()
		h.state.Store(idle)
		if !h.wait(&timer) {
			return
		}
	}
}

// wait spins, then parks, until the helper is given a job (true) or has
// been idle long enough to exit (false, with the state set to stopped).
func (h *helper) wait(timer **time.Timer) bool {
	start := time.Now()
	for i := 1; ; i++ {
		if h.state.Load() == busy {
			return true
		}
		if i%128 == 0 && time.Since(start) > spinTime {
			break
		}
	}
	if !h.state.CompareAndSwap(idle, parked) {
		return true // given a job meanwhile
	}
	if *timer == nil {
		*timer = time.NewTimer(idleExit)
	} else {
		(*timer).Reset(idleExit)
	}
	select {
	case <-h.wake:
		(*timer).Stop()
		return true
	case <-(*timer).C:
		if h.state.CompareAndSwap(parked, stopped) {
			return false
		}
		<-h.wake // a giver won the race; its wake-up is on the way
		return true
	}
}

// A job is one task split into parts (blocks of rows or columns of C,
// or ranges of elements); the caller and the helpers take parts until
// none is left.
type job struct {
	parts int32
	next  atomic.Int32 // next part to take
	done  atomic.Int32 // parts finished
	refs  atomic.Int32 // holders: the caller plus helpers given the job
	task  task
}

// A task is the work of a job: run(i) does part i; release recycles the
// task once the job is done with it. Each task holds its job (getJob), so
// that one pooled object serves both.
type task interface {
	run(i int)
	release()
	getJob() *job
}

// work takes and runs parts until none is left.
func (j *job) work() {
	for {
		i := j.next.Add(1) - 1
		if i >= j.parts {
			return
		}
		j.task.run(int(i))
		j.done.Add(1)
	}
}

// release drops one reference; the last holder recycles the job.
func (j *job) release() {
	if j.refs.Add(-1) == 0 {
		t := j.task
		j.task = nil
		t.release()
	}
}

// runTask runs t in parts parts on this thread and the helpers.
func runTask(t task, parts int) {
	j := t.getJob()
	j.task = t
	start(j, parts)
}

// call holds the arguments of one Gemm call.
type call[T Float] struct {
	transA, transB bool
	m, n, k        int
	alpha, beta    T
	a, b, c        []T
	lda, ldb, ldc  int
}

// gemmTask is a multiply split into blocks of chunk rows (byRows) or
// columns of C, with epilogue e run on each block.
type gemmTask[T Float] struct {
	j      job
	ks     *kernels[T]
	s      tileShape
	c      call[T]
	byRows bool
	chunk  int
	e      epilogue[T]
}

func (t *gemmTask[T]) run(i int) {
	buf := getBuf(t.ks)
	runPart(t.ks, &t.c, t.byRows, i*t.chunk, t.chunk, t.s, buf)
	t.ks.bufs.Put(buf)
	t.e.apply(t.ks, t.byRows, i*t.chunk, t.chunk, t.c.m)
}

func (t *gemmTask[T]) getJob() *job { return &t.j }

func (t *gemmTask[T]) release() {
	ks := t.ks
	*t = gemmTask[T]{}
	ks.gemmTasks.Put(t)
}

// runPart computes rows (or columns) [lo, lo+size) of C.
func runPart[T Float](ks *kernels[T], c *call[T], byRows bool, lo, size int, s tileShape, buf *packBuf[T]) {
	a, b, cc := c.a, c.b, c.c
	m, n := c.m, c.n
	if byRows {
		m = min(size, c.m-lo)
		if c.transA {
			a = a[lo:]
		} else {
			a = a[lo*c.lda:]
		}
		cc = cc[lo*c.ldc:]
	} else {
		n = min(size, c.n-lo)
		if c.transB {
			b = b[lo*c.ldb:]
		} else {
			b = b[lo:]
		}
		cc = cc[lo:]
	}
	packed(ks, s, c.transA, c.transB, m, n, c.k, c.alpha, a, c.lda, b, c.ldb, c.beta, cc, c.ldc, buf)
}

// parallel computes C = alpha·op(A)·op(B) + beta·C with tile shape s in
// parts parts (parts ≥ 1), split along the longer side of C in whole tiles
// (see epilogue.splitRows), then runs e (if not nil) on each part's block.
// The split depends on the shape and parts only, and no element's
// arithmetic depends on it.
func parallel[T Float](ks *kernels[T], s tileShape, parts int, transA, transB bool, m, n, k int, alpha T, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int, e *epilogue[T]) {
	t := get[gemmTask[T]](&ks.gemmTasks)
	t.ks, t.s = ks, s
	t.c = call[T]{transA, transB, m, n, k, alpha, beta, a, b, c, lda, ldb, ldc}
	t.byRows = e.splitRows(m, n)
	if t.byRows {
		t.chunk = (m + parts - 1) / parts
		t.chunk = (t.chunk + s.mr - 1) / s.mr * s.mr
		parts = (m + t.chunk - 1) / t.chunk
	} else {
		t.chunk = (n + parts - 1) / parts
		t.chunk = (t.chunk + s.nr - 1) / s.nr * s.nr
		parts = (n + t.chunk - 1) / t.chunk
	}
	if e != nil {
		t.e = *e
	}
	runTask(t, parts)
}

// start runs job j in parts parts, on this thread and on up to
// Threads()−1 helpers, and returns when every part is done.
func start(j *job, parts int) {
	j.parts = int32(parts)
	j.next.Store(0)
	j.done.Store(0)
	j.refs.Store(1)
	for i := 0; i < min(parts, Threads())-1; i++ {
		j.refs.Add(1)
		if !helpers[i].give(j) {
			j.refs.Add(-1)
		}
	}
	j.work()
	// Parts still running are on other threads: spin for them without
	// yielding, since a yield can let a just-woken helper onto this
	// thread's P, where it and the caller would take turns. Yield only if
	// the wait gets long (a helper descheduled).
	var t0 time.Time
	for i := 0; j.done.Load() < j.parts; i++ {
		if i%1024 == 1023 {
			if t0.IsZero() {
				t0 = time.Now()
			} else if time.Since(t0) > time.Millisecond {
				runtime.Gosched()
			}
		}
	}
	j.release()
}
