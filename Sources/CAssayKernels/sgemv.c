/*
 * Matrix-vector products for the GEMMs when M == 1 or N == 1: packing a
 * whole operand for one output row would cost as much as the product, so
 * these stream the matrix once instead.
 *
 *   dot form:  y[j] = sum_p u[p] · V[j*ldv + p]   (rows of V contiguous)
 *   axpy form: y[j] = sum_p u[p] · V[p*ldv + j]   (columns of V contiguous)
 *
 * V holds f32, bf16 or f16; a low-precision V is read once in its own width
 * and widened in registers (bf16: a shift; f16: F16C where the ISA has it),
 * the vector u is f32, accumulation is f32 FMA. Written with 16-float vector
 * extensions and compiled per ISA; the format is a compile-time constant of
 * each inlined copy, so the inner loops do not branch on it.
 */
#include "internal.h"
#include "sgemv.h"

#include <string.h>

#if AK_X86
#include <immintrin.h>
#endif

#pragma GCC diagnostic ignored "-Wpsabi" /* all vector helpers are inlined */

typedef float gv16 __attribute__((vector_size(64)));
typedef float gv16u __attribute__((vector_size(64), aligned(4), may_alias));
typedef uint16_t gh16u __attribute__((vector_size(32), aligned(2), may_alias));
typedef uint32_t gw16 __attribute__((vector_size(64)));

enum { GV_F32 = 0, GV_BF16 = 1, GV_F16 = 2 };

#define GEMV_IMPL(SUFFIX, ATTR, WIDEN_F16)                                                          \
    /* 16 elements of V at index i, as floats. */                                                  \
    ATTR static inline __attribute__((always_inline)) gv16 gv_load_##SUFFIX(const void *V, int64_t i, int fmt) { \
        if (fmt == GV_F32) return *(const gv16u *)((const float *)V + i);                          \
        const uint16_t *h = (const uint16_t *)V + i;                                               \
        if (fmt == GV_BF16) return (gv16)(__builtin_convertvector(*(const gh16u *)h, gw16) << 16); \
        return WIDEN_F16(h);                                                                       \
    }                                                                                               \
    /* First n (< 16) elements of V at index i, as floats, zeros after. */                        \
    ATTR static inline __attribute__((always_inline)) gv16 gv_part_##SUFFIX(const void *V, int64_t i, int64_t n, int fmt) { \
        float t[16] __attribute__((aligned(64))) = {0};                                            \
        uint16_t h[16] = {0};                                                                       \
        if (fmt == GV_F32) {                                                                        \
            memcpy(t, (const float *)V + i, (size_t)n * sizeof(float));                            \
            return *(const gv16 *)t;                                                               \
        }                                                                                           \
        memcpy(h, (const uint16_t *)V + i, (size_t)n * sizeof(uint16_t));                          \
        return gv_load_##SUFFIX(h, 0, fmt);                                                         \
    }                                                                                               \
    ATTR static inline __attribute__((always_inline)) float gv_hsum_##SUFFIX(gv16 v) {             \
        float s = 0.0f;                                                                             \
        for (int i = 0; i < 16; i++) s += v[i];                                                     \
        return s;                                                                                   \
    }                                                                                               \
    ATTR static inline __attribute__((always_inline)) void gemv_dot_of_##SUFFIX(                    \
        int64_t n, int64_t k, const float *u, const void *V, int64_t ldv, float *y, int64_t incy, int fmt) { \
        int64_t j = 0;                                                                              \
        /* Four rows at a time share each load of u. */                                             \
        for (; j + 4 <= n; j += 4) {                                                                \
            const int64_t v0 = j * ldv, v1 = v0 + ldv, v2 = v1 + ldv, v3 = v2 + ldv;                \
            gv16 a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};                                            \
            int64_t p = 0;                                                                          \
            for (; p + 16 <= k; p += 16) {                                                          \
                const gv16 uv = *(const gv16u *)(u + p);                                            \
                a0 += uv * gv_load_##SUFFIX(V, v0 + p, fmt);                                        \
                a1 += uv * gv_load_##SUFFIX(V, v1 + p, fmt);                                        \
                a2 += uv * gv_load_##SUFFIX(V, v2 + p, fmt);                                        \
                a3 += uv * gv_load_##SUFFIX(V, v3 + p, fmt);                                        \
            }                                                                                       \
            if (p < k) {                                                                            \
                const gv16 uv = gv_part_##SUFFIX(u, p, k - p, GV_F32);                              \
                a0 += uv * gv_part_##SUFFIX(V, v0 + p, k - p, fmt);                                 \
                a1 += uv * gv_part_##SUFFIX(V, v1 + p, k - p, fmt);                                 \
                a2 += uv * gv_part_##SUFFIX(V, v2 + p, k - p, fmt);                                 \
                a3 += uv * gv_part_##SUFFIX(V, v3 + p, k - p, fmt);                                 \
            }                                                                                       \
            y[j * incy] = gv_hsum_##SUFFIX(a0);                                                     \
            y[(j + 1) * incy] = gv_hsum_##SUFFIX(a1);                                               \
            y[(j + 2) * incy] = gv_hsum_##SUFFIX(a2);                                               \
            y[(j + 3) * incy] = gv_hsum_##SUFFIX(a3);                                               \
        }                                                                                           \
        for (; j < n; j++) {                                                                        \
            gv16 a0 = {0};                                                                          \
            int64_t p = 0;                                                                          \
            for (; p + 16 <= k; p += 16) a0 += *(const gv16u *)(u + p) * gv_load_##SUFFIX(V, j * ldv + p, fmt); \
            if (p < k) a0 += gv_part_##SUFFIX(u, p, k - p, GV_F32) * gv_part_##SUFFIX(V, j * ldv + p, k - p, fmt); \
            y[j * incy] = gv_hsum_##SUFFIX(a0);                                                     \
        }                                                                                           \
    }                                                                                               \
    /* y (contiguous, in L1) += four rows of V per sweep: V streams row by row, \
     * and y is loaded and stored once per four rows. A leftover row takes a  \
     * one-row sweep: padding with a re-read row of weight 0 would turn an     \
     * infinity in it into NaN (0·inf). */                                     \
    ATTR static inline __attribute__((always_inline)) void gemv_axpy_of_##SUFFIX(                   \
        int64_t n, int64_t k, const float *u, const void *V, int64_t ldv, float *y, int fmt) {      \
        memset(y, 0, sizeof(float) * (size_t)n);                                                    \
        int64_t p = 0;                                                                              \
        for (; p + 4 <= k; p += 4) {                                                                \
            const float s0 = u[p], s1 = u[p + 1], s2 = u[p + 2], s3 = u[p + 3];                     \
            const int64_t r0 = p * ldv, r1 = r0 + ldv, r2 = r1 + ldv, r3 = r2 + ldv;                \
            int64_t j = 0;                                                                          \
            for (; j + 16 <= n; j += 16) {                                                          \
                gv16 t = s0 * gv_load_##SUFFIX(V, r0 + j, fmt) + s1 * gv_load_##SUFFIX(V, r1 + j, fmt); \
                t += s2 * gv_load_##SUFFIX(V, r2 + j, fmt) + s3 * gv_load_##SUFFIX(V, r3 + j, fmt); \
                *(gv16u *)(y + j) += t;                                                             \
            }                                                                                       \
            if (j < n) {                                                                            \
                const int64_t m = n - j;                                                            \
                gv16 t = s0 * gv_part_##SUFFIX(V, r0 + j, m, fmt) + s1 * gv_part_##SUFFIX(V, r1 + j, m, fmt); \
                t += s2 * gv_part_##SUFFIX(V, r2 + j, m, fmt) + s3 * gv_part_##SUFFIX(V, r3 + j, m, fmt); \
                t += gv_part_##SUFFIX(y, j, m, GV_F32);                                             \
                memcpy(y + j, &t, (size_t)m * sizeof(float));                                       \
            }                                                                                       \
        }                                                                                           \
        for (; p < k; p++) {                                                                        \
            const float s0 = u[p];                                                                  \
            int64_t j = 0;                                                                          \
            for (; j + 16 <= n; j += 16) *(gv16u *)(y + j) += s0 * gv_load_##SUFFIX(V, p * ldv + j, fmt); \
            if (j < n) {                                                                            \
                gv16 t = s0 * gv_part_##SUFFIX(V, p * ldv + j, n - j, fmt) + gv_part_##SUFFIX(y, j, n - j, GV_F32); \
                memcpy(y + j, &t, (size_t)(n - j) * sizeof(float));                                 \
            }                                                                                       \
        }                                                                                           \
    }                                                                                               \
    ATTR static void gemv_dot_##SUFFIX(int fmt, int64_t n, int64_t k, const float *u, const void *V, \
                                       int64_t ldv, float *y, int64_t incy) {                       \
        switch (fmt) {                                                                              \
        case GV_F32: gemv_dot_of_##SUFFIX(n, k, u, V, ldv, y, incy, GV_F32); break;                \
        case GV_BF16: gemv_dot_of_##SUFFIX(n, k, u, V, ldv, y, incy, GV_BF16); break;              \
        default: gemv_dot_of_##SUFFIX(n, k, u, V, ldv, y, incy, GV_F16); break;                    \
        }                                                                                           \
    }                                                                                               \
    ATTR static void gemv_axpy_##SUFFIX(int fmt, int64_t n, int64_t k, const float *u, const void *V, \
                                        int64_t ldv, float *y) {                                    \
        switch (fmt) {                                                                              \
        case GV_F32: gemv_axpy_of_##SUFFIX(n, k, u, V, ldv, y, GV_F32); break;                     \
        case GV_BF16: gemv_axpy_of_##SUFFIX(n, k, u, V, ldv, y, GV_BF16); break;                   \
        default: gemv_axpy_of_##SUFFIX(n, k, u, V, ldv, y, GV_F16); break;                         \
        }                                                                                           \
    }

static inline __attribute__((always_inline)) gv16 widen_f16_generic(const uint16_t *p) {
    gv16 v;
    for (int i = 0; i < 16; i++) v[i] = ak_f16_to_f32_ref(p[i]);
    return v;
}
GEMV_IMPL(generic, , widen_f16_generic)

#if AK_X86
AK_AVX2 static inline __attribute__((always_inline)) gv16 widen_f16_avx2(const uint16_t *p) {
    union { __m256 h[2]; gv16 v; } w;
    w.h[0] = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)p));
    w.h[1] = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(p + 8)));
    return w.v;
}
GEMV_IMPL(avx2, AK_AVX2, widen_f16_avx2)

AK_AVX512 static inline __attribute__((always_inline)) gv16 widen_f16_avx512(const uint16_t *p) {
    return (gv16)_mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)p));
}
GEMV_IMPL(avx512, AK_AVX512, widen_f16_avx512)
#endif

typedef void (*gemv_dot_fn)(int fmt, int64_t n, int64_t k, const float *u, const void *V, int64_t ldv, float *y,
                            int64_t incy);
typedef void (*gemv_axpy_fn)(int fmt, int64_t n, int64_t k, const float *u, const void *V, int64_t ldv, float *y);

typedef struct {
    gemv_dot_fn dot_fn;
    gemv_axpy_fn axpy_fn;
    int fmt, dot;
    int64_t n, k, ldv, incy;
    const float *u;
    const void *V;
    float *y;
    volatile int failed;
} gemv_job;

/* V offset by `at` elements. */
static const void *v_at(const gemv_job *g, int64_t at) {
    return (const char *)g->V + at * (g->fmt == GV_F32 ? 4 : 2);
}

static void gemv_thread(void *arg, int tid, int nth) {
    gemv_job *g = (gemv_job *)arg;
    /* Split the outputs in 64-aligned chunks. */
    const int64_t chunks = (g->n + 63) / 64;
    const int64_t j0 = AK_MIN(g->n, chunks * tid / nth * 64), j1 = AK_MIN(g->n, chunks * (tid + 1) / nth * 64);
    if (j1 <= j0) return;
    const int64_t n = j1 - j0;
    if (g->dot) {
        g->dot_fn(g->fmt, n, g->k, g->u, v_at(g, j0 * g->ldv), g->ldv, g->y + j0 * g->incy, g->incy);
    } else if (g->incy == 1) {
        g->axpy_fn(g->fmt, n, g->k, g->u, v_at(g, j0), g->ldv, g->y + j0);
    } else { /* accumulate contiguously, then scatter */
        float *t = (float *)ak_scratch_get(sizeof(float) * (size_t)n);
        if (!t) {
            __atomic_store_n(&g->failed, 1, __ATOMIC_RELAXED);
            return;
        }
        g->axpy_fn(g->fmt, n, g->k, g->u, v_at(g, j0), g->ldv, t);
        for (int64_t j = 0; j < n; j++) g->y[(j0 + j) * g->incy] = t[j];
        ak_scratch_put(t);
    }
}

static int gemv_run(int fmt, int dot, int64_t n, int64_t k, const float *u, const void *V, int64_t ldv, float *y,
                    int64_t incy, int nthreads) {
    gemv_job g = {gemv_dot_generic, gemv_axpy_generic, fmt, dot != 0, n, k, ldv, incy, u, V, y, 0};
#if AK_X86
    switch (ak_cpu_isa()) {
    case AK_ISA_AVX512: g.dot_fn = gemv_dot_avx512; g.axpy_fn = gemv_axpy_avx512; break;
    case AK_ISA_AVX2: g.dot_fn = gemv_dot_avx2; g.axpy_fn = gemv_axpy_avx2; break;
    default: break;
    }
#endif
    /* Threads only for big products (memory-bound: ~1 MFLOP each). */
    const double flops = 2.0 * (double)n * (double)k;
    int nth = nthreads < 1 ? 1 : nthreads;
    if ((double)nth * 1e6 > flops) nth = (int)(flops / 1e6) < 1 ? 1 : (int)(flops / 1e6);
    if (nth > (n + 63) / 64) nth = (int)((n + 63) / 64);
    ak_parallel(nth, NULL, gemv_thread, &g);
    return !g.failed;
}

int ak_sgemv(int dot, int64_t n, int64_t k, const float *u, const float *V, int64_t ldv, float *y,
             int64_t incy, int nthreads) {
    return gemv_run(GV_F32, dot, n, k, u, V, ldv, y, incy, nthreads);
}

int ak_lpgemv(int bf16, int dot, int64_t n, int64_t k, const float *u, const uint16_t *V, int64_t ldv, float *y,
              int64_t incy, int nthreads) {
    return gemv_run(bf16 ? GV_BF16 : GV_F16, dot, n, k, u, V, ldv, y, incy, nthreads);
}
