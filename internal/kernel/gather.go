package kernel

// GatherRows copies len(idx) rows of src, a row-major matrix with cols
// columns, into dst (at least len(idx)·cols long): row i of dst is row
// idx[i] of src, or row rows[idx[i]] when rows is not nil. This is how a
// training loop assembles a shuffled mini-batch. The rows of a shuffled
// batch lie far apart in memory, so a large batch is split between
// threads (see SetThreads), which keeps more of them on their way from
// memory at once; the copy is exact whatever the split.
func GatherRows[T Float](dst, src []T, cols int, idx, rows []int) {
	n := len(idx)
	_ = dst[:n*cols]
	ks := kernelsOf[T]()
	parts := Threads()
	if forceParts > 0 {
		parts = forceParts
	} else if n*cols < gatherMin {
		parts = 1
	}
	if ks == nil || parts <= 1 || n < 2 {
		gatherRows(dst, src, cols, idx, rows, 0, n)
		return
	}
	t := get[gatherTask[T]](&ks.gatherTasks)
	*t = gatherTask[T]{ks: ks, dst: dst, src: src, cols: cols, idx: idx, rows: rows, chunk: (n + parts - 1) / parts}
	runTask(t, (n+t.chunk-1)/t.chunk)
}

// gatherMin is the number of elements from which GatherRows splits the
// copy between threads: a hand-off costs about as much as copying 64 KiB
// of scattered rows on the 2-core machines it was measured on.
const gatherMin = 1 << 14

// gatherRows copies rows [lo, hi) of the gather on this thread.
func gatherRows[T Float](dst, src []T, cols int, idx, rows []int, lo, hi int) {
	for i := lo; i < hi; i++ {
		r := idx[i]
		if rows != nil {
			r = rows[r]
		}
		copy(dst[i*cols:(i+1)*cols], src[r*cols:(r+1)*cols])
	}
}

// gatherTask is GatherRows as a task for the thread pool, in parts of
// chunk rows.
type gatherTask[T Float] struct {
	j         job
	ks        *kernels[T]
	dst, src  []T
	cols      int
	idx, rows []int
	chunk     int
}

func (t *gatherTask[T]) run(i int) {
	gatherRows(t.dst, t.src, t.cols, t.idx, t.rows, i*t.chunk, min((i+1)*t.chunk, len(t.idx)))
}

func (t *gatherTask[T]) getJob() *job { return &t.j }

func (t *gatherTask[T]) release() {
	ks := t.ks
	*t = gatherTask[T]{}
	ks.gatherTasks.Put(t)
}
