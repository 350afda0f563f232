// sgemm_cblas times OpenBLAS's cblas_sgemm, called directly from C (no
// Python in the way), on the shapes of internal/kernel's BenchmarkGemm32,
// with the same transposes, and prints GFLOP/s in the benchmark's naming.
//
//	gcc -O2 -o /tmp/sgemm_cblas bench/sgemm_cblas.c -lopenblas
//	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 /tmp/sgemm_cblas
//	OPENBLAS_CORETYPE=Haswell OPENBLAS_NUM_THREADS=1 /tmp/sgemm_cblas   # AVX2 kernels
//
// Output, one line per shape: "NN128x784x256 T GFLOPS GFLOPS GFLOPS ...",
// T the thread count OpenBLAS reports, then the GFLOP/s of 5 repetitions
// of about 0.2 s each, sorted. C = op(A)·op(B) with op(A) m×k and op(B)
// k×n, row-major, as in the Go benchmark: NN stores A m×k and B k×n, TN
// stores A k×m, NT stores B n×k.
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct shape {
	const char *name;
	int ta, tb, m, k, n;
};

static const struct shape shapes[] = {
	{"NN128x784x256", 0, 0, 128, 784, 256},
	{"NN128x256x128", 0, 0, 128, 256, 128},
	{"TN784x128x256", 1, 0, 784, 128, 256},
	{"NT128x256x784", 0, 1, 128, 256, 784},
	{"NN1x784x256", 0, 0, 1, 784, 256},
	{"NN32x128x10", 0, 0, 32, 128, 10},
	{"NN512x512x512", 0, 0, 512, 512, 512},
};

static double now(void) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b) {
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(void) {
	for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
		const struct shape *sh = &shapes[s];
		int m = sh->m, k = sh->k, n = sh->n;
		float *a = malloc(sizeof(float) * m * k), *b = malloc(sizeof(float) * k * n), *c = malloc(sizeof(float) * m * n);
		unsigned x = 1;
		for (int i = 0; i < m * k; i++) a[i] = (float)((x = x * 1664525u + 1013904223u) >> 8) / (1 << 24) - 0.5f;
		for (int i = 0; i < k * n; i++) b[i] = (float)((x = x * 1664525u + 1013904223u) >> 8) / (1 << 24) - 0.5f;
		int lda = sh->ta ? m : k, ldb = sh->tb ? k : n;
		enum CBLAS_TRANSPOSE ta = sh->ta ? CblasTrans : CblasNoTrans, tb = sh->tb ? CblasTrans : CblasNoTrans;
		double flop = 2.0 * m * n * k;
		// Calibrate the repetitions to about 0.2 s.
		long it = 1;
		for (;;) {
			double t = now();
			for (long r = 0; r < it; r++) cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1, a, lda, b, ldb, 0, c, n);
			if (now() - t > 0.05) break;
			it *= 2;
		}
		it *= 4;
		double g[5];
		for (int rep = 0; rep < 5; rep++) {
			double t = now();
			for (long r = 0; r < it; r++) cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1, a, lda, b, ldb, 0, c, n);
			g[rep] = flop * it / (now() - t) / 1e9;
		}
		qsort(g, 5, sizeof g[0], cmp);
		printf("%s %d", sh->name, openblas_get_num_threads());
		for (int rep = 0; rep < 5; rep++) printf(" %.1f", g[rep]);
		printf("\n");
		fflush(stdout);
		free(a);
		free(b);
		free(c);
	}
	return 0;
}
