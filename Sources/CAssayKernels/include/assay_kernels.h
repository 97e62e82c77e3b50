/*
 * CAssayKernels: f32 / f16 / bf16 / int8 CPU kernels for Assay's native CPU backend.
 *
 * Conventions for every function:
 *  - All tensors are row-major (C-contiguous); sizes and leading dimensions
 *    are int64_t. A size of 0 is always allowed and makes the call a no-op
 *    (apart from GEMM with K == 0, which writes zeros to C).
 *  - No alignment is required of any pointer.
 *  - Input and output arrays must not overlap, except that the elementwise
 *    kernels (gelu, silu, relu, add, mul) and the row kernels (softmax,
 *    layernorm, rmsnorm) may be called in place (y == x, or y == a / y == b).
 *  - Every function picks its code path at run time from the CPU's features
 *    (AVX-512, AVX2+FMA, or portable C), so the library needs no -march flag.
 *  - All functions are thread-safe and reentrant. Only the GEMMs and attention use
 *    threads of their own: nthreads - 1 POSIX worker threads from a pool
 *    that is created on first use and kept for the life of the process (the
 *    calling thread does the remaining share). After a call the workers spin
 *    for about 1 ms waiting for the next one, then sleep. A GEMM called while
 *    another thread's GEMM holds the pool gets freshly created threads.
 *    The row and elementwise kernels are single-threaded: split rows across
 *    threads in the caller.
 *  - Results do not depend on nthreads (the summation order is fixed).
 *  - Testing hook: environment variable ASSAY_KERNELS_ISA=0 / 1 / 2 (read
 *    once) caps the code path at portable C / AVX2 / AVX-512.
 */
#ifndef ASSAY_KERNELS_H
#define ASSAY_KERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- GEMM --- */

/*
 * C = op(A) · op(B), overwriting C (no alpha / beta).
 * op(A) is M×K: A is stored M×K (element (i,p) at A[i*lda+p]), or K×M when
 * transA != 0 (element (i,p) at A[p*lda+i]).
 * op(B) is K×N: B is stored K×N (B[p*ldb+j]), or N×K when transB != 0
 * (B[j*ldb+p]).  C is M×N with row stride ldc.
 * nthreads: how many threads to use (<= 1: the calling thread only). Small
 * problems use fewer threads than asked.
 */
void assay_sgemm(int64_t M, int64_t N, int64_t K,
                 const float *A, int64_t lda, int transA,
                 const float *B, int64_t ldb, int transB,
                 float *C, int64_t ldc, int nthreads);

/*
 * Exact int8 GEMM: C (int32, M×N) = A (int8, M×K) · B (int8, K×N), all
 * contiguous row-major with no padding (lda = K, ldb = N, ldc = N).
 * Accumulation is exact in int32 (it wraps only if the true result does not
 * fit in int32, which needs K > 131072).
 */
void assay_sgemm_s8s32(int64_t M, int64_t N, int64_t K,
                       const int8_t *A, const int8_t *B, int32_t *C,
                       int nthreads);

/*
 * bf16 GEMM with f32 results: C (M×N, row stride N) = A · op(B), A stored
 * M×K (row stride lda), B stored K×N (row stride ldb) or N×K when transB.
 * Operands are the raw bf16 bit patterns. Uses AVX512-BF16 and packs bf16
 * directly (no f32 copies); m == 1 is a GEMV. Returns 1 when done, 0 when it
 * declined without writing C: the CPU has no AVX512-BF16 (or the environment
 * variable ASSAY_KERNELS_NO_BF16 is set), m > 1 and an operand holds a
 * subnormal (which VDPBF16PS would flush), or scratch memory ran out. The caller then widens
 * to f32 and calls assay_sgemm.
 */
int assay_gemm_bf16(int64_t M, int64_t N, int64_t K, const uint16_t *A, int64_t lda, const uint16_t *B,
                    int64_t ldb, int transB, float *C, int nthreads);

/*
 * f16 GEMM with f32 results: as assay_sgemm, with A and B holding IEEE
 * binary16 bit patterns. The packing widens them with F16C (no f32 copy of
 * either operand is made) and accumulates in f32, so C is what assay_sgemm
 * gives on the widened operands; the caller rounds C to f16 once.
 * M == 1 or N == 1 is a GEMV that streams the matrix once in f16.
 */
void assay_gemm_f16(int64_t M, int64_t N, int64_t K, const uint16_t *A, int64_t lda, int transA,
                    const uint16_t *B, int64_t ldb, int transB, float *C, int64_t ldc, int nthreads);

/* ---------------------------------------------------------- attention --- */

/*
 * Scaled dot-product attention for bh independent heads, f32, contiguous:
 * q and out are bh×s×d, k and v are bh×t×d. out = softmax(q·kᵀ·scale + mask)·v
 * where causal != 0 masks key j for query i when j > i (top-left alignment).
 * Tiled with an online softmax; uses up to nthreads threads (across heads and
 * query blocks). redo (bh bytes) is set to 1 for every head whose output is
 * not finite (non-finite inputs, or scores beyond f32): those heads need an
 * exact path that skips zero-weight keys; the others are final.
 */
void assay_attention(int64_t bh, int64_t s, int64_t t, int64_t d, const float *q, const float *k,
                     const float *v, float *out, float scale, int causal, unsigned char *redo,
                     int nthreads);

/* ------------------------------------------------------- row kernels --- */

/*
 * Softmax (log == 0) or log-softmax (log != 0) of each of `rows` rows of
 * length n (contiguous, row stride n). Max-subtracted form: a row holding NaN
 * or +inf gives NaN in the whole row; -inf entries give 0 (softmax) or -inf
 * (log_softmax). n == 0 is a no-op.
 */
void assay_softmax_rows(const float *x, float *y, int64_t rows, int64_t n, int log);

/* y = (x − mean) / sqrt(var + eps) · w + b per row (biased variance).
 * w and b are length n; either may be NULL (meaning 1 and 0). */
void assay_layernorm_rows(const float *x, float *y, int64_t rows, int64_t n,
                          const float *w, const float *b, float eps);

/* y = x / sqrt(mean(x²) + eps) · w per row. w is length n, or NULL for 1. */
void assay_rmsnorm_rows(const float *x, float *y, int64_t rows, int64_t n,
                        const float *w, float eps);

/* Sum of n floats, f32 blocked + pairwise accumulation. n == 0 gives 0. */
float assay_sum(const float *x, int64_t n);

/* ------------------------------------------------------- elementwise --- */

/* gelu: tanh_approx == 0 is exact x·Φ(x) (erf-based, a few ulp);
 * tanh_approx != 0 is 0.5x(1+tanh(√(2/π)(x+0.044715x³))). */
void assay_gelu(const float *x, float *y, int64_t n, int tanh_approx);
void assay_silu(const float *x, float *y, int64_t n);   /* x·σ(x) */
void assay_relu(const float *x, float *y, int64_t n);   /* max(x,0), NaN stays NaN */
void assay_add(const float *a, const float *b, float *y, int64_t n);
void assay_mul(const float *a, const float *b, float *y, int64_t n);
void assay_copy(const float *x, float *y, int64_t n);

/* -------------------------------------------------------- conversions --- */

/* IEEE binary16 / bfloat16 <-> f32. Widening is exact (NaN comes back as a
 * quiet NaN). Narrowing rounds to nearest, ties to even; values beyond the
 * range become ±inf; subnormal results are exact; NaN stays a quiet NaN. */
void assay_f16_to_f32(const uint16_t *x, float *y, int64_t n);
void assay_f32_to_f16(const float *x, uint16_t *y, int64_t n);
void assay_bf16_to_f32(const uint16_t *x, float *y, int64_t n);
void assay_f32_to_bf16(const float *x, uint16_t *y, int64_t n);

/* ------------------------------------------------ f16 / bf16 in place --- */

/* The f32 add / mul (mul != 0) and softmax kernels on f16 (bf16 == 0) or bf16
 * (bf16 != 0) bit patterns, widened and narrowed block by block through L1:
 * bit-identical to widening the tensor, calling the f32 kernel and rounding
 * the result. assay_softmax_rows_lp returns 0 (writing nothing) for rows
 * longer than 8192 elements. */
void assay_binary_lp(int bf16, int mul, const uint16_t *a, const uint16_t *b, uint16_t *y, int64_t n);
int assay_softmax_rows_lp(int bf16, const uint16_t *x, uint16_t *y, int64_t rows, int64_t n, int log);

#ifdef __cplusplus
}
#endif

#endif /* ASSAY_KERNELS_H */
