/*
 * assay_sgemm: Goto/BLIS-style f32 GEMM.
 *
 * Loop nest (per thread):
 *   jc over N in NC-column panels
 *     pc over K in KC slices        -> pack B[pc:pc+KC, jc:jc+NC] (shared by all threads)
 *       ic over this thread's rows in MC blocks
 *                                   -> pack A[ic:ic+MC, pc:pc+KC] (private), unless A is
 *                                      row-major: then the AVX-512 kernel reads it in place
 *         jr over NR-column slivers   (one packed B sliver, reused by every A panel)
 *           ir over MR-row panels     (the A block stays in L2)
 *             micro-kernel: MR×NR tile of C (+)= A panel · B sliver
 *
 * Packing pads edges with zeros, so the micro-kernel always runs full tiles;
 * a tile that sticks out of C is computed into a scratch tile and the valid
 * part copied. Threads form a tm×tn grid over (rows of C) × (slivers of each
 * B panel); the B panel is packed cooperatively into one of two buffers
 * (double buffering needs only one barrier per K slice). K is cut into
 * equal slices, so results do not depend on the thread count.
 *
 * M == 1 or N == 1 goes to the matrix-vector code in sgemv.c (f32 or f16).
 *
 * assay_gemm_f16 runs the same loop nest on f16 operands: the packing reads
 * f16 and writes the f32 panels (F16C conversion on the way, so no widened
 * copy of an operand exists), the micro-kernels accumulate in f32 as for f32.
 */
#include "assay_kernels.h"
#include "internal.h"
#include "sgemv.h"

#include <string.h>

#if AK_X86
#include <immintrin.h>
#endif

/* Micro-kernel: MR×NR tile at c (row stride ldc) = (accum ? c : 0) +
 * sum_p a[p*MR + i] * b[p*NR + j]. a and b are packed; b is 64-byte aligned. */
typedef void (*ukernel_fn)(int64_t kc, const float *a, const float *b, float *c, int64_t ldc,
                           int accum);

/* Packs `rows` rows of an operand into ceil(rows/R) slivers of R rows each:
 * sliver s holds dst[s*R*kc + p*R + r] = element (s*R + r, p), zero where
 * s*R + r >= rows. The element (i, p) is src[i*ld + p] when `strided_rows`,
 * else src[p*ld + i]; src holds floats, or f16 bit patterns when f16 != 0
 * (widened while packing). */
typedef void (*pack_fn)(float *dst, const void *src, int64_t ld, int strided_rows, int64_t rows,
                        int R, int64_t kc, int f16);

/* Micro-kernel reading A in place: element (i, p) of the MR×kc panel at
 * a[i*lda + p] (row-major A, not transposed); otherwise as ukernel_fn. */
typedef void (*ukernel_direct_fn)(int64_t kc, const float *a, int64_t lda, const float *b, float *c,
                                  int64_t ldc, int accum);

typedef struct {
    int mr, nr;
    int64_t kc, mc, nc; /* cache blocking: mc multiple of mr, nc multiple of nr */
    ukernel_fn kern;
    pack_fn pack;
    ukernel_direct_fn kern_direct; /* may be NULL */
} gemm_impl;

/* ================================================================ generic */

#define GEN_MR 8
#define GEN_NR 12
typedef float v4f __attribute__((vector_size(16)));
typedef float v4f_u __attribute__((vector_size(16), aligned(4), may_alias));

/* Portable 8×12 kernel (24 accumulators: fits the 32 NEON registers). */
static void kern_generic(int64_t kc, const float *restrict a, const float *restrict b,
                         float *restrict c, int64_t ldc, int accum) {
    v4f acc[GEN_MR][3];
    for (int r = 0; r < GEN_MR; r++)
        for (int v = 0; v < 3; v++) acc[r][v] = (v4f){0, 0, 0, 0};
    for (int64_t p = 0; p < kc; p++) {
        v4f b0 = *(const v4f_u *)(b), b1 = *(const v4f_u *)(b + 4), b2 = *(const v4f_u *)(b + 8);
        for (int r = 0; r < GEN_MR; r++) {
            const v4f av = {a[r], a[r], a[r], a[r]};
            acc[r][0] += av * b0;
            acc[r][1] += av * b1;
            acc[r][2] += av * b2;
        }
        a += GEN_MR;
        b += GEN_NR;
    }
    for (int r = 0; r < GEN_MR; r++)
        for (int v = 0; v < 3; v++) {
            v4f_u *cp = (v4f_u *)(c + r * ldc + 4 * v);
            v4f sum = acc[r][v];
            if (accum) sum += *cp;
            *cp = sum;
        }
}

/* Element i of a float or f16 array, as a float. */
static inline float elem(const void *src, int64_t i, int f16) {
    return f16 ? ak_f16_to_f32_ref(((const uint16_t *)src)[i]) : ((const float *)src)[i];
}

static void pack_generic(float *restrict dst, const void *restrict src, int64_t ld,
                         int strided_rows, int64_t rows, int R, int64_t kc, int f16) {
    const int64_t nsl = (rows + R - 1) / R;
    for (int64_t s = 0; s < nsl; s++) {
        const int64_t r0 = s * R, rv = AK_MIN(R, rows - r0);
        float *d = dst + s * R * kc;
        for (int64_t p = 0; p < kc; p++, d += R) {
            if (strided_rows)
                for (int64_t r = 0; r < rv; r++) d[r] = elem(src, (r0 + r) * ld + p, f16);
            else
                for (int64_t r = 0; r < rv; r++) d[r] = elem(src, p * ld + r0 + r, f16);
            for (int64_t r = rv; r < R; r++) d[r] = 0.0f;
        }
    }
}

static const gemm_impl impl_generic = {GEN_MR, GEN_NR, 256, 128, 3072, kern_generic, pack_generic, NULL};

#if AK_X86

/* ================================================================== AVX2 */

#define AVX2_MR 6
#define AVX2_NR 16

/* 6×16 kernel: 12 ymm accumulators + 2 B vectors + 1 broadcast. */
AK_AVX2 static void kern_avx2(int64_t kc, const float *restrict a, const float *restrict b,
                              float *restrict c, int64_t ldc, int accum) {
    __m256 acc[AVX2_MR][2];
    for (int r = 0; r < AVX2_MR; r++) acc[r][0] = acc[r][1] = _mm256_setzero_ps();
    for (int64_t p = 0; p < kc; p++) {
        __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8);
        for (int r = 0; r < AVX2_MR; r++) {
            __m256 av = _mm256_broadcast_ss(a + r);
            acc[r][0] = _mm256_fmadd_ps(av, b0, acc[r][0]);
            acc[r][1] = _mm256_fmadd_ps(av, b1, acc[r][1]);
        }
        a += AVX2_MR;
        b += AVX2_NR;
    }
    for (int r = 0; r < AVX2_MR; r++) {
        float *cr = c + r * ldc;
        if (accum) {
            acc[r][0] = _mm256_add_ps(acc[r][0], _mm256_loadu_ps(cr));
            acc[r][1] = _mm256_add_ps(acc[r][1], _mm256_loadu_ps(cr + 8));
        }
        _mm256_storeu_ps(cr, acc[r][0]);
        _mm256_storeu_ps(cr + 8, acc[r][1]);
    }
}

/* Lane mask selecting the first n (clamped to 0..8) of 8 lanes. */
AK_AVX2 static inline __m256i avx2_lane_mask(int64_t n) {
    n = n < 0 ? 0 : (n > 8 ? 8 : n);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

/* In-register transpose of the 8×8 block held in rows r[0..7]. */
AK_AVX2 static inline void avx2_transpose8(__m256 r[8]) {
    __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
    __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
    __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
    __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
    __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
    __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    r[0] = _mm256_permute2f128_ps(s0, s4, 0x20);
    r[1] = _mm256_permute2f128_ps(s1, s5, 0x20);
    r[2] = _mm256_permute2f128_ps(s2, s6, 0x20);
    r[3] = _mm256_permute2f128_ps(s3, s7, 0x20);
    r[4] = _mm256_permute2f128_ps(s0, s4, 0x31);
    r[5] = _mm256_permute2f128_ps(s1, s5, 0x31);
    r[6] = _mm256_permute2f128_ps(s2, s6, 0x31);
    r[7] = _mm256_permute2f128_ps(s3, s7, 0x31);
}

/* The n (clamped to 0..8) floats, or f16 widened, at src[i], zeros after. */
AK_AVX2 static inline __attribute__((always_inline)) __m256 avx2_load8(const void *src, int64_t i, int64_t n, int f16) {
    if (!f16) {
        const float *p = (const float *)src + i;
        return n >= 8 ? _mm256_loadu_ps(p) : _mm256_maskload_ps(p, avx2_lane_mask(n));
    }
    const uint16_t *h = (const uint16_t *)src + i;
    if (n >= 8) return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)h));
    uint16_t t[8] = {0};
    if (n > 0) memcpy(t, h, sizeof(uint16_t) * (size_t)n);
    return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)t));
}

/* AVX2 packing. Contiguous rows: walk src row by row (long sequential
 * reads, which the prefetchers and TLB like) and scatter into the slivers.
 * Strided rows: 8×8 register transposes, 8 source rows read as 8 streams. */
AK_AVX2 static inline __attribute__((always_inline)) void pack_avx2_of(float *restrict dst, const void *restrict src, int64_t ld,
                                                                       int strided_rows, int64_t rows, int R, int64_t kc, int f16) {
    const int64_t nsl = (rows + R - 1) / R;
    if (!strided_rows) {
        for (int64_t p = 0; p < kc; p++) {
            for (int64_t s = 0; s < nsl; s++) {
                float *d = dst + s * R * kc + p * R;
                for (int r0 = 0; r0 < R; r0 += 8)
                    _mm256_maskstore_ps(d + r0, avx2_lane_mask(R - r0), avx2_load8(src, p * ld + s * R + r0, rows - s * R - r0, f16));
            }
        }
        return;
    }
    for (int64_t s = 0; s < nsl; s++) {
        float *d = dst + s * R * kc;
        const int64_t rv = rows - s * R;
        for (int r0 = 0; r0 < R; r0 += 8) {
            __m256i store_mask = avx2_lane_mask(R - r0);
            int64_t p0 = 0;
            for (; p0 + 8 <= kc; p0 += 8) {
                __m256 v[8];
                for (int i = 0; i < 8; i++)
                    v[i] = r0 + i < rv ? avx2_load8(src, (s * R + r0 + i) * ld + p0, 8, f16) : _mm256_setzero_ps();
                avx2_transpose8(v);
                for (int q = 0; q < 8; q++) _mm256_maskstore_ps(d + (p0 + q) * R + r0, store_mask, v[q]);
            }
            for (; p0 < kc; p0++)
                for (int i = 0; i < 8 && r0 + i < R; i++)
                    d[p0 * R + r0 + i] = r0 + i < rv ? elem(src, (s * R + r0 + i) * ld + p0, f16) : 0.0f;
        }
    }
}

AK_AVX2 static void pack_avx2(float *restrict dst, const void *restrict src, int64_t ld, int strided_rows,
                              int64_t rows, int R, int64_t kc, int f16) {
    if (f16) pack_avx2_of(dst, src, ld, strided_rows, rows, R, kc, 1);
    else pack_avx2_of(dst, src, ld, strided_rows, rows, R, kc, 0);
}

static const gemm_impl impl_avx2 = {AVX2_MR, AVX2_NR, 256, 120, 3072, kern_avx2, pack_avx2, NULL};

/* ================================================================ AVX-512 */

#define A512_MR 6
#define A512_NV 4
#define A512_NR (16 * A512_NV)

/* 6×64 kernel: 24 zmm accumulators + 4 B vectors + 2 broadcasts. Measured
 * against 14×32, 12×32, 8×48 on Zen 5 with whole-GEMM timings: 6×64 with
 * the A prefetch was the fastest (the A panel streams from L2, the B sliver
 * is reused across the A panels of a block). */
AK_AVX512 static void kern_avx512(int64_t kc, const float *restrict a, const float *restrict b,
                                  float *restrict c, int64_t ldc, int accum) {
    __m512 acc[A512_MR][A512_NV];
    for (int r = 0; r < A512_MR; r++)
        for (int v = 0; v < A512_NV; v++) acc[r][v] = _mm512_setzero_ps();
    /* Start fetching the C tile now so it is in L1 when the k loop ends. */
    for (int r = 0; r < A512_MR; r++)
        for (int v = 0; v < A512_NV; v++) _mm_prefetch((const char *)(c + r * ldc + 16 * v), _MM_HINT_T0);
    for (int64_t p = 0; p < kc; p++) {
        _mm_prefetch((const char *)(a + 32 * A512_MR), _MM_HINT_T0); /* 32 k-steps ahead */
        __m512 bv[A512_NV];
        for (int v = 0; v < A512_NV; v++) bv[v] = _mm512_load_ps(b + 16 * v);
        for (int r = 0; r < A512_MR; r++) {
            __m512 av = _mm512_set1_ps(a[r]);
            for (int v = 0; v < A512_NV; v++) acc[r][v] = _mm512_fmadd_ps(av, bv[v], acc[r][v]);
        }
        a += A512_MR;
        b += A512_NR;
    }
    for (int r = 0; r < A512_MR; r++) {
        float *cr = c + r * ldc;
        for (int v = 0; v < A512_NV; v++) {
            if (accum) acc[r][v] = _mm512_add_ps(acc[r][v], _mm512_loadu_ps(cr + 16 * v));
            _mm512_storeu_ps(cr + 16 * v, acc[r][v]);
        }
    }
}

/* kern_avx512 with A read in place (rows at stride lda). */
AK_AVX512 static void kern_avx512_direct(int64_t kc, const float *restrict a, int64_t lda,
                                         const float *restrict b, float *restrict c, int64_t ldc, int accum) {
    __m512 acc[A512_MR][A512_NV];
    const float *ar[A512_MR];
    for (int r = 0; r < A512_MR; r++) {
        ar[r] = a + r * lda;
        for (int v = 0; v < A512_NV; v++) acc[r][v] = _mm512_setzero_ps();
    }
    for (int r = 0; r < A512_MR; r++)
        for (int v = 0; v < A512_NV; v++) _mm_prefetch((const char *)(c + r * ldc + 16 * v), _MM_HINT_T0);
    for (int64_t p = 0; p < kc; p++) {
        __m512 bv[A512_NV];
        for (int v = 0; v < A512_NV; v++) bv[v] = _mm512_load_ps(b + 16 * v);
        for (int r = 0; r < A512_MR; r++) {
            __m512 av = _mm512_set1_ps(ar[r][p]);
            for (int v = 0; v < A512_NV; v++) acc[r][v] = _mm512_fmadd_ps(av, bv[v], acc[r][v]);
        }
        b += A512_NR;
    }
    for (int r = 0; r < A512_MR; r++) {
        float *cr = c + r * ldc;
        for (int v = 0; v < A512_NV; v++) {
            if (accum) acc[r][v] = _mm512_add_ps(acc[r][v], _mm512_loadu_ps(cr + 16 * v));
            _mm512_storeu_ps(cr + 16 * v, acc[r][v]);
        }
    }
}

AK_AVX512 static inline __mmask16 mask16(int64_t n) {
    n = n < 0 ? 0 : (n > 16 ? 16 : n);
    return (__mmask16)((1u << n) - 1u);
}

AK_AVX512 static inline __mmask8 mask8(int64_t n) {
    n = n < 0 ? 0 : (n > 8 ? 8 : n);
    return (__mmask8)((1u << n) - 1u);
}

/* Masked loads of 16 / 8 floats, or f16 widened, at src[i] (zeros where the mask is off). */
AK_AVX512 static inline __attribute__((always_inline)) __m512 avx512_load16(const void *src, int64_t i, __mmask16 m, int f16) {
    return f16 ? _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m, (const uint16_t *)src + i))
               : _mm512_maskz_loadu_ps(m, (const float *)src + i);
}
AK_AVX512 static inline __attribute__((always_inline)) __m256 avx512_load8(const void *src, int64_t i, __mmask8 m, int f16) {
    return f16 ? _mm256_cvtph_ps(_mm_maskz_loadu_epi16(m, (const uint16_t *)src + i))
               : _mm256_maskz_loadu_ps(m, (const float *)src + i);
}

/* AVX-512 packing, same walk orders as pack_avx2; masked loads and stores
 * make the zero padding free. */
AK_AVX512 static inline __attribute__((always_inline)) void pack_avx512_of(float *restrict dst, const void *restrict src, int64_t ld,
                                                                           int strided_rows, int64_t rows, int R, int64_t kc, int f16) {
    const int64_t nsl = (rows + R - 1) / R;
    if (!strided_rows) {
        for (int64_t p = 0; p < kc; p++) {
            for (int64_t s = 0; s < nsl; s++) {
                float *d = dst + s * R * kc + p * R;
                for (int r0 = 0; r0 < R; r0 += 16)
                    _mm512_mask_storeu_ps(d + r0, mask16(R - r0),
                                          avx512_load16(src, p * ld + s * R + r0, mask16(rows - s * R - r0), f16));
            }
        }
        return;
    }
    for (int64_t s = 0; s < nsl; s++) {
        float *d = dst + s * R * kc;
        const int64_t rv = rows - s * R;
        for (int r0 = 0; r0 < R; r0 += 8) {
            const __mmask8 store_mask = mask8(R - r0);
            for (int64_t p0 = 0; p0 < kc; p0 += 8) {
                const __mmask8 load_mask = mask8(kc - p0);
                __m256 v[8];
                for (int i = 0; i < 8; i++)
                    v[i] = r0 + i < rv ? avx512_load8(src, (s * R + r0 + i) * ld + p0, load_mask, f16)
                                       : _mm256_setzero_ps();
                avx2_transpose8(v);
                const int64_t pn = AK_MIN(8, kc - p0);
                for (int q = 0; q < pn; q++) _mm256_mask_storeu_ps(d + (p0 + q) * R + r0, store_mask, v[q]);
            }
        }
    }
}

AK_AVX512 static void pack_avx512(float *restrict dst, const void *restrict src, int64_t ld, int strided_rows,
                                  int64_t rows, int R, int64_t kc, int f16) {
    if (f16) pack_avx512_of(dst, src, ld, strided_rows, rows, R, kc, 1);
    else pack_avx512_of(dst, src, ld, strided_rows, rows, R, kc, 0);
}

/* KC 384, MC 240: the B sliver (96 KB) and the A block (360 KB, packed or
 * read in place) stay in the 1 MB L2. KC 256..512 and MC 120..480 all
 * measured within a few percent of each other at 512..2048 on Zen 5. */
static const gemm_impl impl_avx512 = {A512_MR, A512_NR, 384, A512_MR * 40, 4096, kern_avx512, pack_avx512,
                                      kern_avx512_direct};

#endif /* AK_X86 */

static gemm_impl select_impl(void) {
#if AK_X86
    switch (ak_cpu_isa()) {
    case AK_ISA_AVX512: return impl_avx512;
    case AK_ISA_AVX2: return impl_avx2;
    default: break;
    }
#endif
    return impl_generic;
}

/* ================================================================ driver */

typedef struct {
    gemm_impl im;
    int64_t M, N, K;
    const void *A, *B; /* floats, or f16 bit patterns when f16 */
    int64_t lda, ldb, ldc;
    int ta, tb, f16;
    float *C;
    int64_t nc_max, kc_max; /* actual panel extents (<= im.nc, im.kc) */
    /* set by sgemm_setup once the thread count is final */
    int nthreads, tm, tn;
    float *bbuf[2];
    ak_barrier bar;
    int failed;
} sgemm_job;

/* Element (i, p) of op(A) and (p, j) of op(B), as pointers. */
static const void *a_at(const sgemm_job *jb, int64_t i, int64_t p) {
    const int64_t at = jb->ta ? p * jb->lda + i : i * jb->lda + p;
    return (const char *)jb->A + at * (jb->f16 ? 2 : 4);
}
static const void *b_at(const sgemm_job *jb, int64_t p, int64_t j) {
    const int64_t at = jb->tb ? j * jb->ldb + p : p * jb->ldb + j;
    return (const char *)jb->B + at * (jb->f16 ? 2 : 4);
}

/* Picks the tm×tn thread grid with the least padded work per thread,
 * preferring row splits (no duplicated A packing) on ties. */
static void choose_grid(int nth, int64_t m_panels, int64_t n_slivers, int *tm, int *tn) {
    int64_t best = -1;
    for (int t = nth; t >= 1; t--) {
        if (nth % t) continue;
        int u = nth / t;
        int64_t work = ((m_panels + t - 1) / t) * ((n_slivers + u - 1) / u);
        work += work / 16 * (u > 1); /* duplicated A packing */
        if (best < 0 || work < best) {
            best = work;
            *tm = t;
            *tn = u;
        }
    }
}

static void sgemm_setup(void *arg, int nth) {
    sgemm_job *jb = (sgemm_job *)arg;
    const gemm_impl *im = &jb->im;
    jb->nthreads = nth;
    choose_grid(nth, (jb->M + im->mr - 1) / im->mr, (jb->nc_max + im->nr - 1) / im->nr, &jb->tm, &jb->tn);
    ak_barrier_init(&jb->bar, nth);
}

/* Stores (or adds) the valid mr×nr corner of a scratch tile into C. */
static void store_edge(float *c, int64_t ldc, const float *tile, int NR, int64_t mr, int64_t nr, int accum) {
    for (int64_t i = 0; i < mr; i++)
        for (int64_t j = 0; j < nr; j++) c[i * ldc + j] = accum ? c[i * ldc + j] + tile[i * NR + j] : tile[i * NR + j];
}

static void sgemm_thread(void *arg, int tid, int nth) {
    sgemm_job *jb = (sgemm_job *)arg;
    const gemm_impl *im = &jb->im;
    const int MR = im->mr, NR = im->nr;
    const int64_t M = jb->M, N = jb->N, K = jb->K;
    const int ti = tid / jb->tn, tj = tid % jb->tn;

    /* This thread's rows of C, in whole MR panels. */
    const int64_t m_panels = (M + MR - 1) / MR;
    const int64_t m_lo = m_panels * ti / jb->tm * MR;
    const int64_t m_hi = AK_MIN(M, m_panels * (ti + 1) / jb->tm * MR);

    float *abuf = m_hi > m_lo ? (float *)ak_scratch_get(sizeof(float) * (size_t)(im->mc * jb->kc_max)) : NULL;
    float tile[16 * 64] __attribute__((aligned(64))); /* >= MR*NR of every kernel */
    if (m_hi > m_lo && !abuf) __atomic_store_n(&jb->failed, 1, __ATOMIC_RELAXED);

    int sense = 0;
    int64_t iter = 0;
    /* Row-major A is read in place by the kernel (packing it costs more
     * than it saves: its rows are already contiguous in k); only a ragged
     * last panel of MR rows is packed, zero-padded. f16 A is always packed. */
    const int direct = !jb->ta && !jb->f16 && im->kern_direct != NULL;
    for (int64_t jc = 0; jc < N; jc += im->nc) {
        const int64_t nc = AK_MIN(im->nc, N - jc);
        const int64_t n_slivers = (nc + NR - 1) / NR;
        for (int64_t pc = 0; pc < K; pc += im->kc, iter++) {
            const int64_t kc = AK_MIN(im->kc, K - pc);
            float *bpack = jb->bbuf[iter & 1];

            /* Everyone packs a share of the B panel... */
            const int64_t ps_lo = n_slivers * tid / nth, ps_hi = n_slivers * (tid + 1) / nth;
            if (ps_hi > ps_lo) {
                const int64_t j = jc + ps_lo * NR;
                im->pack(bpack + ps_lo * NR * kc, b_at(jb, pc, j), jb->ldb, jb->tb,
                         AK_MIN((ps_hi - ps_lo) * NR, N - j), NR, kc, jb->f16);
            }
            /* ...and waits until the whole panel is there. The other buffer
             * is free again: every thread has finished the previous slice. */
            ak_barrier_wait(&jb->bar, &sense);
            if (!abuf) continue;

            const int64_t s_lo = n_slivers * tj / jb->tn, s_hi = n_slivers * (tj + 1) / jb->tn;
            for (int64_t ic = m_lo; ic < m_hi; ic += im->mc) {
                const int64_t mc = AK_MIN(im->mc, m_hi - ic);
                if (direct) { /* only a ragged last panel needs packing */
                    const int64_t full = mc / MR * MR;
                    if (full < mc) im->pack(abuf + full * kc, a_at(jb, ic + full, pc), jb->lda, 1, mc - full, MR, kc, 0);
                } else {
                    im->pack(abuf, a_at(jb, ic, pc), jb->lda, !jb->ta, mc, MR, kc, jb->f16);
                }

                for (int64_t s = s_lo; s < s_hi; s++) {
                    const int64_t j = jc + s * NR, nr = AK_MIN(NR, N - j);
                    const float *bp = bpack + s * NR * kc;
                    for (int64_t ir = 0; ir < mc; ir += MR) {
                        const int64_t mr = AK_MIN(MR, mc - ir);
                        float *c = jb->C + (ic + ir) * jb->ldc + j;
                        /* A tile sticking out of C goes through the scratch tile. */
                        const int edge = mr < MR || nr < NR;
                        float *ct = edge ? tile : c;
                        const int64_t ldct = edge ? NR : jb->ldc;
                        const int acc = edge ? 0 : pc > 0;
                        if (direct && mr == MR)
                            im->kern_direct(kc, (const float *)a_at(jb, ic + ir, pc), jb->lda, bp, ct, ldct, acc);
                        else
                            im->kern(kc, abuf + ir * kc, bp, ct, ldct, acc);
                        if (edge) store_edge(c, jb->ldc, tile, NR, mr, nr, pc > 0);
                    }
                }
            }
        }
    }
    ak_scratch_put(abuf);
}

/* Plain triple loop in the same f32 arithmetic, used when scratch memory
 * cannot be allocated (keeps the function total). */
static void sgemm_naive(sgemm_job *jb) {
    for (int64_t i = 0; i < jb->M; i++)
        for (int64_t j = 0; j < jb->N; j++) {
            float s = 0.0f;
            for (int64_t p = 0; p < jb->K; p++) s += elem(a_at(jb, i, p), 0, jb->f16) * elem(b_at(jb, p, j), 0, jb->f16);
            jb->C[i * jb->ldc + j] = s;
        }
}

/* M == 1 or N == 1: a matrix-vector product that streams the matrix once.
 * The vector operand is made contiguous (and f32) first if it is strided
 * (or f16). Returns 0 if scratch memory ran out (the caller then takes the
 * general path). */
static int sgemm_as_gemv(const sgemm_job *jb, int nthreads) {
    /* C row (M == 1) = a · op(B), a = op(A) row; C column (N == 1) = op(A) · b. */
    const int row = jb->M == 1;
    const int64_t K = jb->K;
    const void *vec = row ? jb->A : jb->B;
    const int64_t vstride = row ? (jb->ta ? jb->lda : 1) : (jb->tb ? 1 : jb->ldb);
    float *tmp = NULL;
    if ((vstride != 1 && K > 1) || jb->f16) {
        tmp = (float *)ak_scratch_get(sizeof(float) * (size_t)K);
        if (!tmp) return 0;
        if (vstride == 1) assay_f16_to_f32((const uint16_t *)vec, tmp, K);
        else for (int64_t p = 0; p < K; p++) tmp[p] = elem(vec, p * vstride, jb->f16);
        vec = tmp;
    }
    /* row: y[j] = sum_p a[p]·B(p,j): B(p,j) = B[j*ldb+p] (tb) or B[p*ldb+j];
     * column: y[i] = sum_p A(i,p)·b[p]: A(i,p) = A[i*lda+p] (!ta) or A[p*lda+i]. */
    const int dot = row ? jb->tb : !jb->ta;
    const int64_t n = row ? jb->N : jb->M, ldv = row ? jb->ldb : jb->lda, incy = row ? 1 : jb->ldc;
    const void *V = row ? jb->B : jb->A;
    const int ok = jb->f16 ? ak_lpgemv(0, dot, n, K, (const float *)vec, (const uint16_t *)V, ldv, jb->C, incy, nthreads)
                           : ak_sgemv(dot, n, K, (const float *)vec, (const float *)V, ldv, jb->C, incy, nthreads);
    ak_scratch_put(tmp);
    return ok;
}

/* The f32 and f16 GEMMs: operands are floats, or f16 bit patterns when f16. */
static void gemm_f32acc(int64_t M, int64_t N, int64_t K, const void *A, int64_t lda, int transA,
                        const void *B, int64_t ldb, int transB, float *C, int64_t ldc, int nthreads, int f16) {
    if (M <= 0 || N <= 0) return;
    if (K <= 0) {
        for (int64_t i = 0; i < M; i++) memset(C + i * ldc, 0, sizeof(float) * (size_t)N);
        return;
    }
    sgemm_job jb;
    memset(&jb, 0, sizeof jb);
    jb.M = M; jb.N = N; jb.K = K;
    jb.A = A; jb.B = B; jb.C = C;
    jb.lda = lda; jb.ldb = ldb; jb.ldc = ldc;
    jb.ta = transA != 0; jb.tb = transB != 0; jb.f16 = f16;
    if ((M == 1 || N == 1) && sgemm_as_gemv(&jb, nthreads)) return;
    jb.im = select_impl();
    /* Equal K slices (rounded to 8) rather than full ones plus a sliver. */
    {
        int64_t slices = (K + jb.im.kc - 1) / jb.im.kc;
        int64_t kc = ((K + slices - 1) / slices + 7) / 8 * 8;
        jb.im.kc = AK_MIN(kc, K);
    }
    jb.kc_max = jb.im.kc;
    jb.nc_max = AK_MIN(jb.im.nc, N);

    /* One thread per ~8 MFLOP (~30 us of work): below that, dispatch and
     * barrier costs outweigh the gain, and on a loaded machine a helper
     * thread that is not running turns a 24 us call into a millisecond one
     * (issue 15): small GEMMs stay single-threaded. */
    double flops = 2.0 * (double)M * (double)N * (double)K;
    int nth = nthreads < 1 ? 1 : nthreads;
    if ((double)nth * 8e6 > flops) nth = (int)(flops / 8e6) < 1 ? 1 : (int)(flops / 8e6);

    size_t bpanel = sizeof(float) * (size_t)(jb.kc_max * ((jb.nc_max + jb.im.nr - 1) / jb.im.nr * jb.im.nr));
    jb.bbuf[0] = (float *)ak_scratch_get(bpanel);
    jb.bbuf[1] = (float *)ak_scratch_get(bpanel);
    if (jb.bbuf[0] && jb.bbuf[1]) ak_parallel(nth, sgemm_setup, sgemm_thread, &jb);
    else jb.failed = 1;
    ak_scratch_put(jb.bbuf[0]);
    ak_scratch_put(jb.bbuf[1]);
    if (jb.failed) sgemm_naive(&jb);
}

void assay_sgemm(int64_t M, int64_t N, int64_t K, const float *A, int64_t lda, int transA,
                 const float *B, int64_t ldb, int transB, float *C, int64_t ldc, int nthreads) {
    gemm_f32acc(M, N, K, A, lda, transA, B, ldb, transB, C, ldc, nthreads, 0);
}

void assay_gemm_f16(int64_t M, int64_t N, int64_t K, const uint16_t *A, int64_t lda, int transA,
                    const uint16_t *B, int64_t ldb, int transB, float *C, int64_t ldc, int nthreads) {
    gemm_f32acc(M, N, K, A, lda, transA, B, ldb, transB, C, ldc, nthreads, 1);
}
