/*
 * Matrix-vector products on an f16 or bf16 matrix: the m == 1 (or n == 1)
 * path of assay_gemm_bf16 and assay_gemm_f16. They are memory-bound, so the
 * matrix is read once, in its own format, and widened in registers (bf16: a
 * shift; f16: F16C), with f32 FMA accumulation; no packed or widened copy.
 *
 *   dot form:  y[j] = sum_p u[p] · V[j*ldv + p]   (rows of V contiguous)
 *   axpy form: y[j] = sum_p u[p] · V[p*ldv + j]   (columns of V contiguous)
 *
 * Written with 16-float vector extensions, compiled per ISA; the format is a
 * compile-time constant of each inlined copy, so the inner loops do not branch.
 */
#include "internal.h"
#include "lpgemv.h"

#include <string.h>

#if AK_X86
#include <immintrin.h>
#endif

#pragma GCC diagnostic ignored "-Wpsabi" /* all vector helpers are inlined */

typedef float lv16 __attribute__((vector_size(64)));
typedef float lv16u __attribute__((vector_size(64), aligned(4), may_alias));
typedef uint16_t lh16u __attribute__((vector_size(32), aligned(2), may_alias));
typedef uint32_t lw16 __attribute__((vector_size(64)));

/* Widens 16 values at p: bf16 by a shift (exact), f16 with F16C where the ISA has it. */
#define LPGEMV_IMPL(SUFFIX, ATTR, WIDEN_F16)                                                       \
    ATTR static inline __attribute__((always_inline)) lv16 lp_widen_##SUFFIX(const uint16_t *p, int bf16) { \
        if (bf16) return (lv16)(__builtin_convertvector(*(const lh16u *)p, lw16) << 16);          \
        return WIDEN_F16(p);                                                                       \
    }                                                                                              \
    /* First n (< 16) values at p, widened, zeros after. */                                        \
    ATTR static inline __attribute__((always_inline)) lv16 lp_part_##SUFFIX(const uint16_t *p, int64_t n, int bf16) { \
        uint16_t t[16] = {0};                                                                      \
        memcpy(t, p, (size_t)n * sizeof(uint16_t));                                                \
        return lp_widen_##SUFFIX(t, bf16);                                                         \
    }                                                                                              \
    ATTR static inline __attribute__((always_inline)) lv16 lp_fpart_##SUFFIX(const float *p, int64_t n) { \
        lv16 v = {0};                                                                              \
        memcpy(&v, p, (size_t)n * sizeof(float));                                                  \
        return v;                                                                                  \
    }                                                                                              \
    ATTR static inline __attribute__((always_inline)) float lp_hsum_##SUFFIX(lv16 v) {            \
        float s = 0.0f;                                                                            \
        for (int i = 0; i < 16; i++) s += v[i];                                                    \
        return s;                                                                                  \
    }                                                                                              \
    ATTR static inline __attribute__((always_inline)) void lp_dot_of_##SUFFIX(                     \
        int64_t n, int64_t k, const float *u, const uint16_t *V, int64_t ldv, float *y, int64_t incy, int bf16) { \
        int64_t j = 0;                                                                             \
        /* Four rows at a time share each load of u. */                                            \
        for (; j + 4 <= n; j += 4) {                                                               \
            const uint16_t *v0 = V + j * ldv, *v1 = v0 + ldv, *v2 = v1 + ldv, *v3 = v2 + ldv;      \
            lv16 a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};                                           \
            int64_t p = 0;                                                                         \
            for (; p + 16 <= k; p += 16) {                                                         \
                const lv16 uv = *(const lv16u *)(u + p);                                           \
                a0 += uv * lp_widen_##SUFFIX(v0 + p, bf16);                                        \
                a1 += uv * lp_widen_##SUFFIX(v1 + p, bf16);                                        \
                a2 += uv * lp_widen_##SUFFIX(v2 + p, bf16);                                        \
                a3 += uv * lp_widen_##SUFFIX(v3 + p, bf16);                                        \
            }                                                                                      \
            if (p < k) {                                                                           \
                const lv16 uv = lp_fpart_##SUFFIX(u + p, k - p);                                   \
                a0 += uv * lp_part_##SUFFIX(v0 + p, k - p, bf16);                                  \
                a1 += uv * lp_part_##SUFFIX(v1 + p, k - p, bf16);                                  \
                a2 += uv * lp_part_##SUFFIX(v2 + p, k - p, bf16);                                  \
                a3 += uv * lp_part_##SUFFIX(v3 + p, k - p, bf16);                                  \
            }                                                                                      \
            y[j * incy] = lp_hsum_##SUFFIX(a0);                                                    \
            y[(j + 1) * incy] = lp_hsum_##SUFFIX(a1);                                              \
            y[(j + 2) * incy] = lp_hsum_##SUFFIX(a2);                                              \
            y[(j + 3) * incy] = lp_hsum_##SUFFIX(a3);                                              \
        }                                                                                          \
        for (; j < n; j++) {                                                                       \
            const uint16_t *v0 = V + j * ldv;                                                      \
            lv16 a0 = {0};                                                                         \
            int64_t p = 0;                                                                         \
            for (; p + 16 <= k; p += 16) a0 += *(const lv16u *)(u + p) * lp_widen_##SUFFIX(v0 + p, bf16); \
            if (p < k) a0 += lp_fpart_##SUFFIX(u + p, k - p) * lp_part_##SUFFIX(v0 + p, k - p, bf16); \
            y[j * incy] = lp_hsum_##SUFFIX(a0);                                                    \
        }                                                                                          \
    }                                                                                              \
    /* y (contiguous, in L1) += four rows of V per sweep, 16 columns per step: \
     * y is loaded and stored once per four rows. */                                               \
    ATTR static inline __attribute__((always_inline)) void lp_axpy_of_##SUFFIX(                    \
        int64_t n, int64_t k, const float *u, const uint16_t *V, int64_t ldv, float *y, int bf16) { \
        memset(y, 0, sizeof(float) * (size_t)n);                                                   \
        int64_t p = 0;                                                                             \
        for (; p + 4 <= k; p += 4) {                                                               \
            const float s0 = u[p], s1 = u[p + 1], s2 = u[p + 2], s3 = u[p + 3];                    \
            const uint16_t *r0 = V + p * ldv, *r1 = r0 + ldv, *r2 = r1 + ldv, *r3 = r2 + ldv;      \
            int64_t j = 0;                                                                         \
            for (; j + 16 <= n; j += 16) {                                                         \
                lv16 t = s0 * lp_widen_##SUFFIX(r0 + j, bf16) + s1 * lp_widen_##SUFFIX(r1 + j, bf16); \
                t += s2 * lp_widen_##SUFFIX(r2 + j, bf16) + s3 * lp_widen_##SUFFIX(r3 + j, bf16);  \
                *(lv16u *)(y + j) += t;                                                            \
            }                                                                                      \
            if (j < n) {                                                                           \
                const int64_t m = n - j;                                                           \
                lv16 t = s0 * lp_part_##SUFFIX(r0 + j, m, bf16) + s1 * lp_part_##SUFFIX(r1 + j, m, bf16); \
                t += s2 * lp_part_##SUFFIX(r2 + j, m, bf16) + s3 * lp_part_##SUFFIX(r3 + j, m, bf16); \
                t += lp_fpart_##SUFFIX(y + j, m);                                                  \
                memcpy(y + j, &t, (size_t)m * sizeof(float));                                      \
            }                                                                                      \
        }                                                                                          \
        for (; p < k; p++) {                                                                       \
            const float s0 = u[p];                                                                 \
            const uint16_t *r0 = V + p * ldv;                                                      \
            int64_t j = 0;                                                                         \
            for (; j + 16 <= n; j += 16) *(lv16u *)(y + j) += s0 * lp_widen_##SUFFIX(r0 + j, bf16); \
            if (j < n) {                                                                           \
                lv16 t = s0 * lp_part_##SUFFIX(r0 + j, n - j, bf16) + lp_fpart_##SUFFIX(y + j, n - j); \
                memcpy(y + j, &t, (size_t)(n - j) * sizeof(float));                                \
            }                                                                                      \
        }                                                                                          \
    }                                                                                              \
    ATTR static void lp_dot_##SUFFIX(int bf16, int64_t n, int64_t k, const float *u, const uint16_t *V, \
                                     int64_t ldv, float *y, int64_t incy) {                        \
        if (bf16) lp_dot_of_##SUFFIX(n, k, u, V, ldv, y, incy, 1);                                 \
        else lp_dot_of_##SUFFIX(n, k, u, V, ldv, y, incy, 0);                                      \
    }                                                                                              \
    ATTR static void lp_axpy_##SUFFIX(int bf16, int64_t n, int64_t k, const float *u, const uint16_t *V, \
                                      int64_t ldv, float *y) {                                     \
        if (bf16) lp_axpy_of_##SUFFIX(n, k, u, V, ldv, y, 1);                                      \
        else lp_axpy_of_##SUFFIX(n, k, u, V, ldv, y, 0);                                           \
    }

static inline __attribute__((always_inline)) lv16 widen_f16_generic(const uint16_t *p) {
    lv16 v;
    for (int i = 0; i < 16; i++) v[i] = ak_f16_to_f32_ref(p[i]);
    return v;
}
LPGEMV_IMPL(generic, , widen_f16_generic)

#if AK_X86
AK_AVX2 static inline __attribute__((always_inline)) lv16 widen_f16_avx2(const uint16_t *p) {
    union { __m256 h[2]; lv16 v; } w;
    w.h[0] = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)p));
    w.h[1] = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(p + 8)));
    return w.v;
}
LPGEMV_IMPL(avx2, AK_AVX2, widen_f16_avx2)

AK_AVX512 static inline __attribute__((always_inline)) lv16 widen_f16_avx512(const uint16_t *p) {
    return (lv16)_mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)p));
}
LPGEMV_IMPL(avx512, AK_AVX512, widen_f16_avx512)
#endif

typedef void (*lp_dot_fn)(int bf16, int64_t n, int64_t k, const float *u, const uint16_t *V, int64_t ldv, float *y,
                          int64_t incy);
typedef void (*lp_axpy_fn)(int bf16, int64_t n, int64_t k, const float *u, const uint16_t *V, int64_t ldv, float *y);

typedef struct {
    lp_dot_fn dot_fn;
    lp_axpy_fn axpy_fn;
    int bf16, dot;
    int64_t n, k, ldv, incy;
    const float *u;
    const uint16_t *V;
    float *y;
    volatile int failed;
} lpgemv_job;

static void lpgemv_thread(void *arg, int tid, int nth) {
    lpgemv_job *g = (lpgemv_job *)arg;
    /* Outputs in 64-aligned chunks: every thread's vector stores stay whole. */
    const int64_t chunks = (g->n + 63) / 64;
    const int64_t j0 = AK_MIN(g->n, chunks * tid / nth * 64), j1 = AK_MIN(g->n, chunks * (tid + 1) / nth * 64);
    if (j1 <= j0) return;
    const int64_t n = j1 - j0;
    if (g->dot) {
        g->dot_fn(g->bf16, n, g->k, g->u, g->V + j0 * g->ldv, g->ldv, g->y + j0 * g->incy, g->incy);
    } else if (g->incy == 1) {
        g->axpy_fn(g->bf16, n, g->k, g->u, g->V + j0, g->ldv, g->y + j0);
    } else { /* accumulate contiguously, then scatter */
        float *t = (float *)ak_scratch_get(sizeof(float) * (size_t)n);
        if (!t) {
            __atomic_store_n(&g->failed, 1, __ATOMIC_RELAXED);
            return;
        }
        g->axpy_fn(g->bf16, n, g->k, g->u, g->V + j0, g->ldv, t);
        for (int64_t j = 0; j < n; j++) g->y[(j0 + j) * g->incy] = t[j];
        ak_scratch_put(t);
    }
}

int ak_lpgemv(int bf16, int dot, int64_t n, int64_t k, const float *u, const uint16_t *V, int64_t ldv, float *y,
              int64_t incy, int nthreads) {
    lpgemv_job g = {lp_dot_generic, lp_axpy_generic, bf16 != 0, dot != 0, n, k, ldv, incy, u, V, y, 0};
#if AK_X86
    switch (ak_cpu_isa()) {
    case AK_ISA_AVX512: g.dot_fn = lp_dot_avx512; g.axpy_fn = lp_axpy_avx512; break;
    case AK_ISA_AVX2: g.dot_fn = lp_dot_avx2; g.axpy_fn = lp_axpy_avx2; break;
    default: break;
    }
#endif
    /* Threads only for big products (memory-bound: ~1 MFLOP each). */
    const double flops = 2.0 * (double)n * (double)k;
    int nth = nthreads < 1 ? 1 : nthreads;
    if ((double)nth * 1e6 > flops) nth = (int)(flops / 1e6) < 1 ? 1 : (int)(flops / 1e6);
    if (nth > (n + 63) / 64) nth = (int)((n + 63) / 64);
    ak_parallel(nth, NULL, lpgemv_thread, &g);
    return !g.failed;
}
