/*
 * Row kernels (softmax, layer/RMS norm, sum) and elementwise kernels. The
 * vector code lives in rowops_impl.h and is instantiated here per ISA; the
 * public functions dispatch on the CPU at run time.
 */
#include "assay_kernels.h"
#include "internal.h"

#include <math.h>
#include <string.h>

/* The vector helpers are always inlined, so the "vector argument changes the
 * ABI" notes about them (vectors wider than the baseline ISA) do not apply. */
#pragma GCC diagnostic ignored "-Wpsabi"

/* ------------------------------------------------ f64 slow paths --- */

/* Used only when an f32 statistic comes out inf/NaN: then either the row
 * holds inf/NaN (and f64 gives the same NaN/inf pattern) or finite inputs
 * overflowed f32 partial results, which f64 avoids. */

static double sum_f64_d(const float *x, int64_t n) {
    double s = 0.0;
    for (int64_t i = 0; i < n; i++) s += (double)x[i];
    return s;
}

static float sum_f64(const float *x, int64_t n) { return (float)sum_f64_d(x, n); }

static void layernorm_row_f64(const float *x, float *y, int64_t n, const float *w, const float *b,
                              float eps) {
    double mean = sum_f64_d(x, n) / (double)n, var = 0.0;
    for (int64_t i = 0; i < n; i++) var += ((double)x[i] - mean) * ((double)x[i] - mean);
    double rstd = 1.0 / sqrt(var / (double)n + (double)eps);
    for (int64_t i = 0; i < n; i++) {
        double v = ((double)x[i] - mean) * rstd;
        if (w) v *= (double)w[i];
        if (b) v += (double)b[i];
        y[i] = (float)v;
    }
}

static void rmsnorm_row_f64(const float *x, float *y, int64_t n, const float *w, float eps) {
    double ss = 0.0;
    for (int64_t i = 0; i < n; i++) ss += (double)x[i] * (double)x[i];
    double r = 1.0 / sqrt(ss / (double)n + (double)eps);
    for (int64_t i = 0; i < n; i++) {
        double v = (double)x[i] * r;
        if (w) v *= (double)w[i];
        y[i] = (float)v;
    }
}

/* ------------------------------------------------ instantiations --- */

#define RK_SUFFIX generic
#define RK_ATTR
#define RK_VL 4
#include "rowops_impl.h"

#if AK_X86
#define RK_SUFFIX avx2
#define RK_ATTR AK_AVX2
#define RK_VL 8
#include "rowops_impl.h"

#define RK_SUFFIX avx512
#define RK_ATTR AK_AVX512
#define RK_VL 16
#include "rowops_impl.h"

#define DISPATCH(fn, ...)                                          \
    switch (ak_cpu_isa()) {                                        \
    case AK_ISA_AVX512: fn##_avx512(__VA_ARGS__); break;           \
    case AK_ISA_AVX2: fn##_avx2(__VA_ARGS__); break;               \
    default: fn##_generic(__VA_ARGS__); break;                     \
    }
#define DISPATCH_RET(fn, ...)                                      \
    switch (ak_cpu_isa()) {                                        \
    case AK_ISA_AVX512: return fn##_avx512(__VA_ARGS__);           \
    case AK_ISA_AVX2: return fn##_avx2(__VA_ARGS__);               \
    default: return fn##_generic(__VA_ARGS__);                     \
    }
#else
#define DISPATCH(fn, ...) fn##_generic(__VA_ARGS__)
#define DISPATCH_RET(fn, ...) return fn##_generic(__VA_ARGS__)
#endif

/* ------------------------------------------------ public API --- */

void assay_softmax_rows(const float *x, float *y, int64_t rows, int64_t n, int log) {
    if (rows <= 0 || n <= 0) return;
    DISPATCH(softmax_rows, x, y, rows, n, log);
}

void assay_layernorm_rows(const float *x, float *y, int64_t rows, int64_t n, const float *w,
                          const float *b, float eps) {
    if (rows <= 0 || n <= 0) return;
    DISPATCH(layernorm_rows, x, y, rows, n, w, b, eps);
}

void assay_rmsnorm_rows(const float *x, float *y, int64_t rows, int64_t n, const float *w, float eps) {
    if (rows <= 0 || n <= 0) return;
    DISPATCH(rmsnorm_rows, x, y, rows, n, w, eps);
}

float assay_sum(const float *x, int64_t n) {
    if (n <= 0) return 0.0f;
    DISPATCH_RET(sum, x, n);
}

void assay_gelu(const float *x, float *y, int64_t n, int tanh_approx) {
    if (n <= 0) return;
    DISPATCH(gelu, x, y, n, tanh_approx);
}

void assay_silu(const float *x, float *y, int64_t n) {
    if (n <= 0) return;
    DISPATCH(silu, x, y, n);
}

void assay_relu(const float *x, float *y, int64_t n) {
    if (n <= 0) return;
    DISPATCH(relu, x, y, n);
}

void assay_add(const float *a, const float *b, float *y, int64_t n) {
    if (n <= 0) return;
    DISPATCH(add, a, b, y, n);
}

void assay_mul(const float *a, const float *b, float *y, int64_t n) {
    if (n <= 0) return;
    DISPATCH(mul, a, b, y, n);
}

void assay_copy(const float *x, float *y, int64_t n) {
    if (n <= 0 || x == y) return;
    memmove(y, x, sizeof(float) * (size_t)n);
}

/* ------------------------------------------ internal (attention) --- */

float ak_row_max(const float *x, int64_t n) {
    if (n <= 0) return -INFINITY;
    DISPATCH_RET(row_max, x, n);
}

float ak_exp_sum(float *x, int64_t n, float c) {
    if (n <= 0) return 0.0f;
    DISPATCH_RET(sum_exp, x, x, n, c);
}
