# Single-precision matrix multiply through numpy (OpenBLAS), GFLOP/s: the
# peer for internal/kernel's BenchmarkGemm32. Run with OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE unset (see BENCHMARKS.md).
import numpy as np, time
rng=np.random.default_rng(0)
for (m,k,n) in [(128,784,256),(128,256,128),(512,512,512)]:
    a=rng.standard_normal((m,k),dtype=np.float32); b=rng.standard_normal((k,n),dtype=np.float32); c=np.empty((m,n),np.float32)
    best=[]
    for rep in range(5):
        it=2000 if m<512 else 200
        t=time.perf_counter()
        for _ in range(it): np.dot(a,b,out=c)
        best.append(2*m*n*k*it/(time.perf_counter()-t)/1e9)
    print(f"NN{m}x{k}x{n}", " ".join(f"{x:.1f}" for x in sorted(best)[-3:]))
