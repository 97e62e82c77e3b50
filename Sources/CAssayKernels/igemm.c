/*
 * assay_sgemm_s8s32: exact int8 × int8 -> int32 GEMM.
 *
 * Operands are widened to int16 and packed in k-pairs: one 32-bit lane holds
 * (x[k], x[k+1]) for one row of A or one column of B. A multiply-add of
 * int16 pairs (VPMADDWD, or VPDPWSSD with AVX512-VNNI) then adds
 * a[k]·b[k] + a[k+1]·b[k+1] into an int32 lane exactly: |product| <= 2^14,
 * so nothing saturates and only a true result beyond int32 could wrap.
 *
 * The blocked loop nest and threading are pairgemm.c's (shared with the bf16
 * GEMM): threads split the columns of C (each packs its own B panels and all
 * of A), or the rows when C is narrow.
 */
#include "assay_kernels.h"
#include "internal.h"
#include "pairgemm.h"

#include <string.h>

#if AK_X86
#include <immintrin.h>
#endif

/* C tile (MR×NR, row stride ldc) = (accum ? C : 0) + A pairs · B pairs over
 * kp k-pairs. a: kp×MR packed pairs; b: kp×NR packed pairs (64-byte aligned). */
typedef void (*ikern_fn)(int64_t kp, const uint32_t *a, const uint32_t *b, void *c, int64_t ldc,
                         int accum);

typedef struct {
    int mr, nr;
    int64_t kpc, mc, nc; /* k-pairs per slice, rows per A block, columns per B panel */
    ikern_fn kern;
} igemm_impl;

/* Two int8 values widened to int16 and packed into one 32-bit lane. */
static inline uint32_t pair16(int8_t lo, int8_t hi) {
    return ((uint32_t)(uint16_t)(int16_t)hi << 16) | (uint32_t)(uint16_t)(int16_t)lo;
}

/* ---------------------------------------------------------------- packing */

/* A rows [i0, i0+rows) × k-pairs [kp0, kp0+kp) into MR-row panels:
 * dst[panel*kp*MR + q*MR + r]; rows and k beyond the matrix are zero. */
static void pack_a(uint32_t *dst, const int8_t *A, int64_t K, int64_t i0, int64_t rows, int64_t kp0,
                   int64_t kp, int MR) {
    /* Pairs q < full have both k's inside A; at most one more is half full. */
    const int64_t full = AK_MIN(kp, (K - 2 * kp0) / 2);
    for (int64_t p0 = 0; p0 < rows; p0 += MR, dst += kp * MR) {
        const int rv = (int)AK_MIN(MR, rows - p0);
        for (int r = 0; r < rv; r++) {
            const int8_t *src = A + (i0 + p0 + r) * K + 2 * kp0;
            uint32_t *d = dst + r;
            for (int64_t q = 0; q < full; q++) d[q * MR] = pair16(src[2 * q], src[2 * q + 1]);
            for (int64_t q = full; q < kp; q++) d[q * MR] = 2 * q < K - 2 * kp0 ? pair16(src[2 * q], 0) : 0;
        }
        for (int r = rv; r < MR; r++)
            for (int64_t q = 0; q < kp; q++) dst[q * MR + r] = 0;
    }
}

/* B k-pairs [kp0, kp0+kp) × columns [j0, j0+cols) into NR-column slivers:
 * dst[sliver*kp*NR + q*NR + c]; walks B row by row (sequential reads). */
static void pack_b(uint32_t *dst, const int8_t *B, int64_t K, int64_t N, int64_t j0, int64_t cols,
                   int64_t kp0, int64_t kp, int NR) {
    const int64_t nsl = (cols + NR - 1) / NR;
    for (int64_t q = 0; q < kp; q++) {
        const int64_t k = 2 * (kp0 + q);
        const int8_t *r0 = B + k * N + j0;
        const int8_t *r1 = k + 1 < K ? r0 + N : NULL;
        for (int64_t s = 0; s < nsl; s++) {
            uint32_t *d = dst + s * kp * NR + q * NR;
            const int8_t *a0 = r0 + s * NR, *a1 = r1 ? r1 + s * NR : NULL;
            const int64_t cv = AK_MIN(NR, cols - s * NR);
            if (a1 && cv == NR) {
                for (int c = 0; c < NR; c++) d[c] = pair16(a0[c], a1[c]); /* vectorises */
            } else {
                for (int c = 0; c < NR; c++) d[c] = c < cv ? pair16(a0[c], a1 ? a1[c] : 0) : 0;
            }
        }
    }
}

/* ---------------------------------------------------------------- kernels */

#define IGEN_MR 4
#define IGEN_NR 8

/* Portable kernel; unsigned arithmetic so that wrap-around is defined. */
static void ikern_generic(int64_t kp, const uint32_t *a, const uint32_t *b, void *cv, int64_t ldc,
                          int accum) {
    int32_t *c = (int32_t *)cv;
    uint32_t acc[IGEN_MR][IGEN_NR] = {{0}};
    for (int64_t q = 0; q < kp; q++, a += IGEN_MR, b += IGEN_NR)
        for (int r = 0; r < IGEN_MR; r++) {
            const int32_t alo = (int16_t)(a[r] & 0xffff), ahi = (int16_t)((uint32_t)a[r] >> 16);
            for (int j = 0; j < IGEN_NR; j++) {
                const int32_t blo = (int16_t)(b[j] & 0xffff), bhi = (int16_t)((uint32_t)b[j] >> 16);
                acc[r][j] += (uint32_t)(alo * blo) + (uint32_t)(ahi * bhi);
            }
        }
    for (int r = 0; r < IGEN_MR; r++)
        for (int j = 0; j < IGEN_NR; j++)
            c[r * ldc + j] = (int32_t)(acc[r][j] + (accum ? (uint32_t)c[r * ldc + j] : 0u));
}

static const igemm_impl iimpl_generic = {IGEN_MR, IGEN_NR, 256, 64, 2048, ikern_generic};

#if AK_X86

#define I2_MR 6
#define I2_NR 16

AK_AVX2 static void ikern_avx2(int64_t kp, const uint32_t *a, const uint32_t *b, void *cv, int64_t ldc,
                               int accum) {
    int32_t *c = (int32_t *)cv;
    __m256i acc[I2_MR][2];
    for (int r = 0; r < I2_MR; r++) acc[r][0] = acc[r][1] = _mm256_setzero_si256();
    for (int64_t q = 0; q < kp; q++, a += I2_MR, b += I2_NR) {
        const __m256i b0 = _mm256_load_si256((const __m256i *)b), b1 = _mm256_load_si256((const __m256i *)(b + 8));
        for (int r = 0; r < I2_MR; r++) {
            const __m256i av = _mm256_set1_epi32((int)a[r]);
            acc[r][0] = _mm256_add_epi32(acc[r][0], _mm256_madd_epi16(av, b0));
            acc[r][1] = _mm256_add_epi32(acc[r][1], _mm256_madd_epi16(av, b1));
        }
    }
    for (int r = 0; r < I2_MR; r++)
        for (int v = 0; v < 2; v++) {
            __m256i *cp = (__m256i *)(c + r * ldc + 8 * v);
            __m256i x = acc[r][v];
            if (accum) x = _mm256_add_epi32(x, _mm256_loadu_si256(cp));
            _mm256_storeu_si256(cp, x);
        }
}

static const igemm_impl iimpl_avx2 = {I2_MR, I2_NR, 256, 120, 2048, ikern_avx2};

#define I5_MR 12
#define I5_NR 32

/* 12×32 kernel: 24 zmm accumulators. */
#define IKERN512(NAME, ATTR, MADD)                                                                  \
    ATTR static void NAME(int64_t kp, const uint32_t *a, const uint32_t *b, void *cv, int64_t ldc,  \
                          int accum) {                                                              \
        int32_t *c = (int32_t *)cv;                                                                 \
        __m512i acc[I5_MR][2];                                                                      \
        for (int r = 0; r < I5_MR; r++) {                                                           \
            acc[r][0] = acc[r][1] = _mm512_setzero_si512();                                         \
            _mm_prefetch((const char *)(c + r * ldc), _MM_HINT_T0); /* C needed at the end */      \
            _mm_prefetch((const char *)(c + r * ldc + 16), _MM_HINT_T0);                            \
        }                                                                                           \
        for (int64_t q = 0; q < kp; q++, a += I5_MR, b += I5_NR) {                                  \
            _mm_prefetch((const char *)(a + 16 * I5_MR), _MM_HINT_T0);                              \
            const __m512i b0 = _mm512_load_si512(b), b1 = _mm512_load_si512(b + 16);                \
            for (int r = 0; r < I5_MR; r++) {                                                       \
                const __m512i av = _mm512_set1_epi32((int)a[r]);                                       \
                acc[r][0] = MADD(acc[r][0], av, b0);                                                \
                acc[r][1] = MADD(acc[r][1], av, b1);                                                \
            }                                                                                       \
        }                                                                                           \
        for (int r = 0; r < I5_MR; r++)                                                             \
            for (int v = 0; v < 2; v++) {                                                           \
                int32_t *cp = c + r * ldc + 16 * v;                                                 \
                __m512i x = acc[r][v];                                                              \
                if (accum) x = _mm512_add_epi32(x, _mm512_loadu_si512(cp));                         \
                _mm512_storeu_si512(cp, x);                                                         \
            }                                                                                       \
    }

#define MADD_BW(acc, a, b) _mm512_add_epi32((acc), _mm512_madd_epi16((a), (b)))
#define MADD_VNNI(acc, a, b) _mm512_dpwssd_epi32((acc), (a), (b))

IKERN512(ikern_avx512, AK_AVX512, MADD_BW)
IKERN512(ikern_avx512vnni, __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"))), MADD_VNNI)

static const igemm_impl iimpl_avx512 = {I5_MR, I5_NR, 256, 120, 2048, ikern_avx512};
static const igemm_impl iimpl_avx512vnni = {I5_MR, I5_NR, 256, 120, 2048, ikern_avx512vnni};

#endif /* AK_X86 */

static igemm_impl select_iimpl(void) {
#if AK_X86
    switch (ak_cpu_isa()) {
    case AK_ISA_AVX512: return ak_cpu_has_avx512vnni() ? iimpl_avx512vnni : iimpl_avx512;
    case AK_ISA_AVX2: return iimpl_avx2;
    default: break;
    }
#endif
    return iimpl_generic;
}

/* ----------------------------------------------------------------- driver */

typedef struct {
    const int8_t *A, *B;
} igemm_operands;

static void igemm_pack_a(const pair_gemm *g, uint32_t *dst, int64_t i0, int64_t rows, int64_t kp0, int64_t kp) {
    pack_a(dst, ((const igemm_operands *)g->ctx)->A, g->K, i0, rows, kp0, kp, g->mr);
}

static void igemm_pack_b(const pair_gemm *g, uint32_t *dst, int64_t j0, int64_t cols, int64_t kp0, int64_t kp) {
    pack_b(dst, ((const igemm_operands *)g->ctx)->B, g->K, g->N, j0, cols, kp0, kp, g->nr);
}

/* Unsigned arithmetic: wrap-around is defined. */
static void igemm_add_tile(void *cv, int64_t ldc, const void *tv, int nr, int64_t rows, int64_t cols, int accum) {
    uint32_t *c = (uint32_t *)cv;
    const uint32_t *tile = (const uint32_t *)tv;
    for (int64_t i = 0; i < rows; i++)
        for (int64_t j = 0; j < cols; j++) c[i * ldc + j] = tile[i * nr + j] + (accum ? c[i * ldc + j] : 0u);
}

void assay_sgemm_s8s32(int64_t M, int64_t N, int64_t K, const int8_t *A, const int8_t *B, int32_t *C,
                       int nthreads) {
    if (M <= 0 || N <= 0) return;
    if (K <= 0) {
        memset(C, 0, sizeof(int32_t) * (size_t)(M * N));
        return;
    }
    const igemm_impl im = select_iimpl();
    const igemm_operands operands = {A, B};
    pair_gemm jb;
    memset(&jb, 0, sizeof jb);
    jb.mr = im.mr; jb.nr = im.nr; jb.kpc = im.kpc; jb.mc = im.mc; jb.nc = im.nc;
    jb.M = M; jb.N = N; jb.K = K; jb.C = C; jb.ctx = &operands;
    jb.pack_a = igemm_pack_a; jb.pack_b = igemm_pack_b; jb.kern = im.kern; jb.add_tile = igemm_add_tile;

    /* Columns when there are enough of them for every thread, else rows. */
    const double macs = (double)M * (double)N * (double)K;
    int nth = nthreads < 1 ? 1 : nthreads;
    if ((double)nth * 4e6 > macs) nth = (int)(macs / 4e6) < 1 ? 1 : (int)(macs / 4e6);
    jb.split_rows = (N + jb.nr - 1) / jb.nr < 4 * nth && M > N;
    ak_parallel(nth, NULL, ak_pair_gemm_thread, &jb);

    if (jb.failed) { /* out of memory: plain exact loop */
        for (int64_t i = 0; i < M; i++)
            for (int64_t j = 0; j < N; j++) {
                uint32_t s = 0;
                for (int64_t k = 0; k < K; k++) s += (uint32_t)((int32_t)A[i * K + k] * (int32_t)B[k * N + j]);
                C[i * N + j] = (int32_t)s;
            }
    }
}
