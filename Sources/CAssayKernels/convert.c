/*
 * f16 / bf16 <-> f32 bulk conversions.
 *
 * The scalar functions are the exact reference (round to nearest even,
 * overflow to ±inf, exact subnormals, NaN -> quiet NaN keeping the top
 * payload bits, as the x86 F16C instructions do). The F16C paths give
 * bit-identical results; bf16 uses integer vector code (the AVX512_BF16
 * instruction VCVTNEPS2BF16 flushes subnormals, so it is not used).
 */
#include "assay_kernels.h"
#include "internal.h"

#include <string.h>

#if AK_X86
#include <immintrin.h>
#endif

/* ------------------------------------------------------------ scalar --- */

static inline uint32_t f32_bits(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}
static inline float bits_f32(uint32_t u) {
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static inline float f16_to_f32_scalar(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t exp = (h >> 10) & 0x1fu, mant = h & 0x3ffu;
    if (exp == 0) { /* zero or subnormal: mant · 2^-24, exact in f32 */
        float v = (float)mant * 0x1p-24f;
        return bits_f32(f32_bits(v) | sign);
    }
    if (exp == 31) /* inf, or NaN made quiet */
        return bits_f32(sign | 0x7f800000u | (mant ? 0x00400000u | (mant << 13) : 0u));
    return bits_f32(sign | ((exp + 112u) << 23) | (mant << 13));
}

static inline uint16_t f32_to_f16_scalar(float f) {
    uint32_t u = f32_bits(f);
    uint16_t sign = (uint16_t)((u >> 16) & 0x8000u);
    uint32_t a = u & 0x7fffffffu;
    if (a > 0x7f800000u) return (uint16_t)(sign | 0x7e00u | ((a >> 13) & 0x3ffu)); /* quiet NaN */
    if (a >= 0x477ff000u) return (uint16_t)(sign | 0x7c00u); /* >= 65520 rounds to inf */
    if (a < 0x38800000u) {
        /* Subnormal (or zero) result: round |f|·2^24 to an integer, ties to
         * even, via the 2^23 trick (exact: |f|·2^24 < 2^10). 1024 encodes the
         * smallest normal, which is what rounding up to it should give. */
        float v = bits_f32(a) * 0x1p24f;
        float r = (v + 0x1p23f) - 0x1p23f;
        return (uint16_t)(sign | (uint16_t)r);
    }
    /* Normal: rebias the exponent, round the 13 dropped bits to nearest
     * even; a carry out of the mantissa correctly bumps the exponent. */
    uint32_t r = a - (112u << 23);
    r += 0x0fffu + ((r >> 13) & 1u);
    return (uint16_t)(sign | (r >> 13));
}

static inline float bf16_to_f32_scalar(uint16_t h) {
    uint32_t u = (uint32_t)h << 16;
    if ((u & 0x7fffffffu) > 0x7f800000u) u |= 0x00400000u; /* quiet NaN */
    return bits_f32(u);
}

static inline uint16_t f32_to_bf16_scalar(float f) {
    uint32_t u = f32_bits(f);
    if ((u & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((u >> 16) | 0x0040u); /* quiet NaN */
    return (uint16_t)((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
}

/* ------------------------------------------------------ vector bf16 --- */

/* The bf16 conversions are integer arithmetic, written with vector
 * extensions and compiled per ISA (same formula as the scalar code). */
#define BF16_IMPL(SUFFIX, ATTR, VL)                                                            \
    typedef uint32_t u32v_##SUFFIX __attribute__((vector_size(VL * 4)));                       \
    typedef uint32_t u32vu_##SUFFIX __attribute__((vector_size(VL * 4), aligned(2), may_alias)); \
    typedef uint16_t u16v_##SUFFIX __attribute__((vector_size(VL * 2)));                       \
    typedef uint16_t u16vu_##SUFFIX __attribute__((vector_size(VL * 2), aligned(2), may_alias)); \
    ATTR static void bf16_to_f32_##SUFFIX(const uint16_t *x, float *y, int64_t n) {           \
        int64_t i = 0;                                                                         \
        for (; i + VL <= n; i += VL) {                                                         \
            u32v_##SUFFIX u = __builtin_convertvector(*(const u16vu_##SUFFIX *)(x + i), u32v_##SUFFIX) << 16; \
            u32v_##SUFFIX nan = (u32v_##SUFFIX)((u & 0x7fffffffu) > 0x7f800000u);            \
            u |= nan & 0x00400000u;                                                            \
            *(u32vu_##SUFFIX *)(y + i) = u;                                                    \
        }                                                                                      \
        for (; i < n; i++) y[i] = bf16_to_f32_scalar(x[i]);                                    \
    }                                                                                          \
    ATTR static void f32_to_bf16_##SUFFIX(const float *x, uint16_t *y, int64_t n) {           \
        int64_t i = 0;                                                                         \
        for (; i + VL <= n; i += VL) {                                                         \
            u32v_##SUFFIX u = *(const u32vu_##SUFFIX *)(x + i);                                \
            u32v_##SUFFIX nan = (u32v_##SUFFIX)((u & 0x7fffffffu) > 0x7f800000u);            \
            u32v_##SUFFIX rounded = (u + 0x7fffu + ((u >> 16) & 1u)) >> 16;                    \
            u32v_##SUFFIX quiet = (u >> 16) | 0x0040u;                                         \
            u = (nan & quiet) | (~nan & rounded);                                              \
            *(u16vu_##SUFFIX *)(y + i) = __builtin_convertvector(u, u16v_##SUFFIX);            \
        }                                                                                      \
        for (; i < n; i++) y[i] = f32_to_bf16_scalar(x[i]);                                    \
    }

BF16_IMPL(generic, , 4)
#if AK_X86
BF16_IMPL(avx2, AK_AVX2, 8)
BF16_IMPL(avx512, AK_AVX512, 16)
#endif

/* ------------------------------------------------------- F16C f16 --- */

#if AK_X86
AK_AVX512 static void f16_to_f32_avx512(const uint16_t *x, float *y, int64_t n) {
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(y + i, _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(x + i))));
    if (i < n) {
        __mmask16 m = (__mmask16)((1u << (n - i)) - 1u);
        __m256i h = _mm256_maskz_loadu_epi16(m, x + i);
        _mm512_mask_storeu_ps(y + i, m, _mm512_cvtph_ps(h));
    }
}

AK_AVX512 static void f32_to_f16_avx512(const float *x, uint16_t *y, int64_t n) {
    int64_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm256_storeu_si256((__m256i *)(y + i), _mm512_cvtps_ph(_mm512_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT));
    if (i < n) {
        __mmask16 m = (__mmask16)((1u << (n - i)) - 1u);
        __m256i h = _mm512_cvtps_ph(_mm512_maskz_loadu_ps(m, x + i), _MM_FROUND_TO_NEAREST_INT);
        _mm256_mask_storeu_epi16(y + i, m, h);
    }
}

AK_AVX2 static void f16_to_f32_avx2(const uint16_t *x, float *y, int64_t n) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(y + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(x + i))));
    for (; i < n; i++) y[i] = f16_to_f32_scalar(x[i]);
}

AK_AVX2 static void f32_to_f16_avx2(const float *x, uint16_t *y, int64_t n) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm_storeu_si128((__m128i *)(y + i), _mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT));
    for (; i < n; i++) y[i] = f32_to_f16_scalar(x[i]);
}
#endif

/* --------------------------------------------------------- dispatch --- */

void assay_f16_to_f32(const uint16_t *x, float *y, int64_t n) {
    if (n <= 0) return;
#if AK_X86
    switch (ak_cpu_isa()) {
    case AK_ISA_AVX512: f16_to_f32_avx512(x, y, n); return;
    case AK_ISA_AVX2: f16_to_f32_avx2(x, y, n); return;
    default: break;
    }
#endif
    for (int64_t i = 0; i < n; i++) y[i] = f16_to_f32_scalar(x[i]);
}

void assay_f32_to_f16(const float *x, uint16_t *y, int64_t n) {
    if (n <= 0) return;
#if AK_X86
    switch (ak_cpu_isa()) {
    case AK_ISA_AVX512: f32_to_f16_avx512(x, y, n); return;
    case AK_ISA_AVX2: f32_to_f16_avx2(x, y, n); return;
    default: break;
    }
#endif
    for (int64_t i = 0; i < n; i++) y[i] = f32_to_f16_scalar(x[i]);
}

void assay_bf16_to_f32(const uint16_t *x, float *y, int64_t n) {
    if (n <= 0) return;
#if AK_X86
    switch (ak_cpu_isa()) {
    case AK_ISA_AVX512: bf16_to_f32_avx512(x, y, n); return;
    case AK_ISA_AVX2: bf16_to_f32_avx2(x, y, n); return;
    default: break;
    }
#endif
    bf16_to_f32_generic(x, y, n);
}

void assay_f32_to_bf16(const float *x, uint16_t *y, int64_t n) {
    if (n <= 0) return;
#if AK_X86
    switch (ak_cpu_isa()) {
    case AK_ISA_AVX512: f32_to_bf16_avx512(x, y, n); return;
    case AK_ISA_AVX2: f32_to_bf16_avx2(x, y, n); return;
    default: break;
    }
#endif
    f32_to_bf16_generic(x, y, n);
}

/* Scalar references, exported for tests only (not in the public header). */
float ak_f16_to_f32_ref(uint16_t h) { return f16_to_f32_scalar(h); }
uint16_t ak_f32_to_f16_ref(float f) { return f32_to_f16_scalar(f); }
float ak_bf16_to_f32_ref(uint16_t h) { return bf16_to_f32_scalar(h); }
uint16_t ak_f32_to_bf16_ref(float f) { return f32_to_bf16_scalar(f); }
