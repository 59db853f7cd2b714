"""How torch's CPU kernels compute, reproduced bit for bit: fused multiply-adds (fma), glibc's libm, SIMD
element selection and vector widths (simd, capability), cascade sums and ordered products, thread
chunking (threads), Sleef's and avx_mathfun's vector math, and numpy's error state while kernels run (quiet).
The op modules (shim._ops) call these; nothing here knows about tensors."""
