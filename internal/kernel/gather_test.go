package kernel

import (
	"fmt"
	"slices"
	"testing"
)

// TestGatherRows checks GatherRows against a row-by-row copy, with and
// without a row map, on one thread and split into parts, for batches
// below and above gatherMin.
func TestGatherRows(t *testing.T) {
	defer SetThreads(0)
	s := lcg(3)
	const srcRows, cols = 900, 37
	src := fill[float32](&s, srcRows*cols)
	rows := make([]int, 600) // samples → rows, as a held-out split has
	for i := range rows {
		rows[i] = (i * 7) % srcRows
	}
	for _, n := range []int{0, 1, 5, 100, 599} {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = (i*389 + 11) % len(rows)
		}
		for _, rowMap := range [][]int{nil, rows} {
			want := make([]float32, n*cols)
			for i, j := range idx {
				r := j
				if rowMap != nil {
					r = rowMap[j]
				}
				copy(want[i*cols:], src[r*cols:(r+1)*cols])
			}
			for _, parts := range []int{0, 1, 2, 3, 7} {
				t.Run(fmt.Sprintf("n%d/map%v/parts%d", n, rowMap != nil, parts), func(t *testing.T) {
					SetThreads(2)
					forceParts = parts
					defer func() { forceParts = 0 }()
					got := make([]float32, n*cols+1)
					got[n*cols] = -1 // a guard after the rows
					GatherRows(got, src, cols, idx, rowMap)
					if !slices.Equal(got[:n*cols], want) {
						t.Errorf("rows differ from a row-by-row copy")
					}
					if got[n*cols] != -1 {
						t.Errorf("GatherRows wrote past len(idx)·cols")
					}
				})
			}
		}
	}
}
