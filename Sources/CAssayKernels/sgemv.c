/*
 * Matrix-vector products for assay_sgemm when M == 1 or N == 1: packing a
 * whole operand for one output row would cost as much as the product, so
 * these stream the matrix once instead.
 *
 *   dot form:  y[j] = sum_p u[p] · V[j*ldv + p]   (rows of V contiguous)
 *   axpy form: y[j] = sum_p u[p] · V[p*ldv + j]   (columns of V contiguous)
 *
 * Written with 16-float vector extensions and compiled per ISA.
 */
#include "internal.h"
#include "sgemv.h"

#include <string.h>

#pragma GCC diagnostic ignored "-Wpsabi" /* all vector helpers are inlined */

typedef float gv16 __attribute__((vector_size(64)));
typedef float gv16u __attribute__((vector_size(64), aligned(4), may_alias));

#define GEMV_IMPL(SUFFIX, ATTR)                                                                     \
    /* First n (< 16) floats of p, zeros after. */                                                 \
    ATTR static inline __attribute__((always_inline)) gv16 gv_part_##SUFFIX(const float *p, int64_t n) { \
        gv16 v = {0};                                                                               \
        memcpy(&v, p, (size_t)n * sizeof(float));                                                   \
        return v;                                                                                   \
    }                                                                                               \
    ATTR static inline __attribute__((always_inline)) float gv_hsum_##SUFFIX(const gv16 *v) {       \
        float s = 0.0f;                                                                             \
        for (int i = 0; i < 16; i++) s += (*v)[i];                                                  \
        return s;                                                                                   \
    }                                                                                               \
    ATTR static void gemv_dot_##SUFFIX(int64_t n, int64_t k, const float *u, const float *V,       \
                                       int64_t ldv, float *y, int64_t incy) {                      \
        int64_t j = 0;                                                                              \
        /* Four rows at a time share each load of u. */                                             \
        for (; j + 4 <= n; j += 4) {                                                                \
            const float *v0 = V + j * ldv, *v1 = v0 + ldv, *v2 = v1 + ldv, *v3 = v2 + ldv;          \
            gv16 a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};                                            \
            int64_t p = 0;                                                                          \
            for (; p + 16 <= k; p += 16) {                                                          \
                gv16 uv = *(const gv16u *)(u + p);                                                  \
                a0 += uv * *(const gv16u *)(v0 + p);                                                \
                a1 += uv * *(const gv16u *)(v1 + p);                                                \
                a2 += uv * *(const gv16u *)(v2 + p);                                                \
                a3 += uv * *(const gv16u *)(v3 + p);                                                \
            }                                                                                       \
            if (p < k) {                                                                            \
                gv16 uv = gv_part_##SUFFIX(u + p, k - p);                                           \
                a0 += uv * gv_part_##SUFFIX(v0 + p, k - p);                                         \
                a1 += uv * gv_part_##SUFFIX(v1 + p, k - p);                                         \
                a2 += uv * gv_part_##SUFFIX(v2 + p, k - p);                                         \
                a3 += uv * gv_part_##SUFFIX(v3 + p, k - p);                                         \
            }                                                                                       \
            y[j * incy] = gv_hsum_##SUFFIX(&a0);                                                     \
            y[(j + 1) * incy] = gv_hsum_##SUFFIX(&a1);                                               \
            y[(j + 2) * incy] = gv_hsum_##SUFFIX(&a2);                                               \
            y[(j + 3) * incy] = gv_hsum_##SUFFIX(&a3);                                               \
        }                                                                                           \
        for (; j < n; j++) {                                                                        \
            const float *v0 = V + j * ldv;                                                          \
            gv16 a0 = {0};                                                                          \
            int64_t p = 0;                                                                          \
            for (; p + 16 <= k; p += 16) a0 += *(const gv16u *)(u + p) * *(const gv16u *)(v0 + p); \
            if (p < k) a0 += gv_part_##SUFFIX(u + p, k - p) * gv_part_##SUFFIX(v0 + p, k - p);      \
            y[j * incy] = gv_hsum_##SUFFIX(&a0);                                                     \
        }                                                                                           \
    }                                                                                               \
    /* y (contiguous, in L1/L2) += four rows of V per sweep: V streams row by \
     * row, sequentially, and y is loaded and stored once per 4 rows. */         \
    ATTR static void gemv_axpy_##SUFFIX(int64_t n, int64_t k, const float *u, const float *V,      \
                                        int64_t ldv, float *y) {                                    \
        memset(y, 0, sizeof(float) * (size_t)n);                                                    \
        const int64_t n16 = n / 16 * 16;                                                            \
        int64_t p = 0;                                                                              \
        for (; p + 4 <= k; p += 4) {                                                                \
            const float s0 = u[p], s1 = u[p + 1], s2 = u[p + 2], s3 = u[p + 3];                     \
            const float *r0 = V + p * ldv, *r1 = r0 + ldv, *r2 = r1 + ldv, *r3 = r2 + ldv;          \
            for (int64_t j = 0; j < n16; j += 16) {                                                 \
                gv16 t = s0 * *(const gv16u *)(r0 + j) + s1 * *(const gv16u *)(r1 + j);            \
                t += s2 * *(const gv16u *)(r2 + j) + s3 * *(const gv16u *)(r3 + j);                 \
                *(gv16u *)(y + j) += t;                                                             \
            }                                                                                       \
            for (int64_t j = n16; j < n; j++) y[j] += (s0 * r0[j] + s1 * r1[j]) + (s2 * r2[j] + s3 * r3[j]); \
        }                                                                                           \
        for (; p < k; p++) {                                                                        \
            const float s0 = u[p];                                                                  \
            const float *r0 = V + p * ldv;                                                          \
            for (int64_t j = 0; j < n16; j += 16) *(gv16u *)(y + j) += s0 * *(const gv16u *)(r0 + j); \
            for (int64_t j = n16; j < n; j++) y[j] += s0 * r0[j];                                   \
        }                                                                                           \
    }

GEMV_IMPL(generic, )
#if AK_X86
GEMV_IMPL(avx2, AK_AVX2)
GEMV_IMPL(avx512, AK_AVX512)
#endif

typedef void (*gemv_dot_fn)(int64_t n, int64_t k, const float *u, const float *V, int64_t ldv, float *y,
                            int64_t incy);
typedef void (*gemv_axpy_fn)(int64_t n, int64_t k, const float *u, const float *V, int64_t ldv, float *y);

typedef struct {
    gemv_dot_fn dot_fn;
    gemv_axpy_fn axpy_fn;
    int64_t n, k, ldv, incy;
    const float *u, *V;
    float *y;
    int dot; /* dot form: output j reads row j of V; else column j */
    volatile int failed;
} gemv_job;

static void gemv_thread(void *arg, int tid, int nth) {
    gemv_job *g = (gemv_job *)arg;
    /* Split the outputs in 64-aligned chunks. */
    const int64_t chunks = (g->n + 63) / 64;
    const int64_t j0 = AK_MIN(g->n, chunks * tid / nth * 64), j1 = AK_MIN(g->n, chunks * (tid + 1) / nth * 64);
    if (j1 <= j0) return;
    const int64_t n = j1 - j0;
    if (g->dot) {
        g->dot_fn(n, g->k, g->u, g->V + j0 * g->ldv, g->ldv, g->y + j0 * g->incy, g->incy);
    } else if (g->incy == 1) {
        g->axpy_fn(n, g->k, g->u, g->V + j0, g->ldv, g->y + j0);
    } else { /* accumulate contiguously, then scatter */
        float *t = (float *)ak_scratch_get(sizeof(float) * (size_t)n);
        if (!t) {
            __atomic_store_n(&g->failed, 1, __ATOMIC_RELAXED);
            return;
        }
        g->axpy_fn(n, g->k, g->u, g->V + j0, g->ldv, t);
        for (int64_t j = 0; j < n; j++) g->y[(j0 + j) * g->incy] = t[j];
        ak_scratch_put(t);
    }
}

int ak_sgemv(int dot, int64_t n, int64_t k, const float *u, const float *V, int64_t ldv, float *y,
             int64_t incy, int nthreads) {
    gemv_job g = {NULL, NULL, n, k, ldv, incy, u, V, y, dot, 0};
#if AK_X86
    switch (ak_cpu_isa()) {
    case AK_ISA_AVX512: g.dot_fn = gemv_dot_avx512; g.axpy_fn = gemv_axpy_avx512; break;
    case AK_ISA_AVX2: g.dot_fn = gemv_dot_avx2; g.axpy_fn = gemv_axpy_avx2; break;
    default: g.dot_fn = gemv_dot_generic; g.axpy_fn = gemv_axpy_generic; break;
    }
#else
    g.dot_fn = gemv_dot_generic;
    g.axpy_fn = gemv_axpy_generic;
#endif
    /* Threads only for big products (memory-bound: ~1 MFLOP each). */
    const double flops = 2.0 * (double)n * (double)k;
    int nth = nthreads < 1 ? 1 : nthreads;
    if ((double)nth * 1e6 > flops) nth = (int)(flops / 1e6) < 1 ? 1 : (int)(flops / 1e6);
    if (nth > (n + 63) / 64) nth = (int)((n + 63) / 64);
    ak_parallel(nth, NULL, gemv_thread, &g);
    return !g.failed;
}
