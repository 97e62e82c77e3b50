/*
 * assay_gemm_bf16: bf16 × bf16 -> f32 GEMM with AVX512-BF16 (VDPBF16PS).
 *
 * The operands are packed straight from bf16 in k-pairs, as igemm.c packs
 * int8: one 32-bit lane holds (x[k], x[k+1]) for a row of A or a column of B,
 * and VDPBF16PS adds a[k]·b[k] + a[k+1]·b[k+1] to an f32 lane (products exact,
 * f32 accumulation). No f32 copy of either operand is made. The loop nest and
 * threading are pairgemm.c's.
 * m == 1 is a GEMV that streams B once (widening bf16 in registers, sgemv.c).
 *
 * VDPBF16PS treats subnormal inputs as zero and flushes subnormal results,
 * so (for m > 1) operands holding a subnormal are declined (return 0): the
 * caller then takes the f32 path, which keeps them. The GEMV uses FMA on
 * widened values and keeps subnormals itself (a scan would double its
 * memory traffic).
 */
#include "assay_kernels.h"
#include "internal.h"
#include "pairgemm.h"
#include "sgemv.h"

#include <stdlib.h>
#include <string.h>

#if AK_X86
#include <immintrin.h>

#define AK_BF16 __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16,fma")))
#define B_MR 12
#define B_NR 32
#define B_KPC 256 /* k-pairs per slice */
#define B_MC 120
#define B_NC 2048

static int cpu_has_bf16(void) {
    static int cached; /* 1 = no, 2 = yes */
    int v = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (v == 0) {
        __builtin_cpu_init();
        v = ak_cpu_isa() == AK_ISA_AVX512 && __builtin_cpu_supports("avx512bf16") ? 2 : 1;
        __atomic_store_n(&cached, v, __ATOMIC_RELAXED);
    }
    return v == 2;
}

/* Any subnormal (exponent 0, mantissa not 0) among rows × cols at x (row stride ld). */
static int has_subnormal(const uint16_t *x, int64_t rows, int64_t cols, int64_t ld) {
    for (int64_t i = 0; i < rows; i++) {
        const uint16_t *row = x + i * ld;
        int found = 0;
        for (int64_t j = 0; j < cols; j++) found |= (row[j] & 0x7f80) == 0 && (row[j] & 0x7f) != 0;
        if (found) return 1;
    }
    return 0;
}

/* Element (i, k) of an operand stored with k contiguous (A, or B transposed), as pairs. */
static void pack_rows(uint32_t *dst, const uint16_t *x, int64_t ld, int64_t K, int64_t i0, int64_t rows,
                      int64_t kp0, int64_t kp, int R) {
    for (int64_t p0 = 0; p0 < rows; p0 += R, dst += kp * R) {
        const int rv = (int)AK_MIN(R, rows - p0);
        for (int r = 0; r < rv; r++) {
            const uint16_t *src = x + (i0 + p0 + r) * ld + 2 * kp0;
            uint32_t *d = dst + r;
            for (int64_t q = 0; q < kp; q++) {
                const int64_t k = 2 * (kp0 + q);
                d[q * R] = k + 1 < K ? (uint32_t)src[2 * q] | (uint32_t)src[2 * q + 1] << 16 : k < K ? src[2 * q] : 0;
            }
        }
        for (int r = rv; r < R; r++)
            for (int64_t q = 0; q < kp; q++) dst[q * R + r] = 0;
    }
}

/* B stored K×N (row-major): columns [j0, j0+cols) × k-pairs into NR-column slivers. */
static void pack_cols(uint32_t *dst, const uint16_t *B, int64_t ldb, int64_t K, int64_t j0, int64_t cols,
                      int64_t kp0, int64_t kp) {
    const int64_t nsl = (cols + B_NR - 1) / B_NR;
    for (int64_t q = 0; q < kp; q++) {
        const int64_t k = 2 * (kp0 + q);
        const uint16_t *r0 = B + k * ldb + j0, *r1 = k + 1 < K ? r0 + ldb : NULL;
        for (int64_t s = 0; s < nsl; s++) {
            uint32_t *d = dst + s * kp * B_NR + q * B_NR;
            const int64_t cv = AK_MIN(B_NR, cols - s * B_NR);
            if (r1 && cv == B_NR) {
                for (int c = 0; c < B_NR; c++) d[c] = (uint32_t)r0[s * B_NR + c] | (uint32_t)r1[s * B_NR + c] << 16;
            } else {
                for (int c = 0; c < B_NR; c++)
                    d[c] = c < cv ? (uint32_t)r0[s * B_NR + c] | (r1 ? (uint32_t)r1[s * B_NR + c] << 16 : 0u) : 0u;
            }
        }
    }
}

/* 12×32 tile of C (row stride ldc) (+)= kp k-pairs of packed A · packed B: 24 zmm accumulators. */
AK_BF16 static void kern_bf16(int64_t kp, const uint32_t *a, const uint32_t *b, void *cv, int64_t ldc, int accum) {
    float *c = (float *)cv;
    __m512 acc[B_MR][2];
    for (int r = 0; r < B_MR; r++) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
    for (int64_t q = 0; q < kp; q++, a += B_MR, b += B_NR) {
        _mm_prefetch((const char *)(a + 16 * B_MR), _MM_HINT_T0);
        const __m512bh b0 = (__m512bh)_mm512_load_si512(b), b1 = (__m512bh)_mm512_load_si512(b + 16);
        for (int r = 0; r < B_MR; r++) {
            const __m512bh av = (__m512bh)_mm512_set1_epi32((int)a[r]);
            acc[r][0] = _mm512_dpbf16_ps(acc[r][0], av, b0);
            acc[r][1] = _mm512_dpbf16_ps(acc[r][1], av, b1);
        }
    }
    for (int r = 0; r < B_MR; r++)
        for (int v = 0; v < 2; v++) {
            float *cp = c + r * ldc + 16 * v;
            __m512 x = acc[r][v];
            if (accum) x = _mm512_add_ps(x, _mm512_loadu_ps(cp));
            _mm512_storeu_ps(cp, x);
        }
}

typedef struct {
    const uint16_t *A, *B;
    int64_t lda, ldb;
    int tb;
} bgemm_operands;

static void bgemm_pack_a(const pair_gemm *g, uint32_t *dst, int64_t i0, int64_t rows, int64_t kp0, int64_t kp) {
    const bgemm_operands *op = (const bgemm_operands *)g->ctx;
    pack_rows(dst, op->A, op->lda, g->K, i0, rows, kp0, kp, B_MR);
}

static void bgemm_pack_b(const pair_gemm *g, uint32_t *dst, int64_t j0, int64_t cols, int64_t kp0, int64_t kp) {
    const bgemm_operands *op = (const bgemm_operands *)g->ctx;
    if (op->tb) pack_rows(dst, op->B, op->ldb, g->K, j0, cols, kp0, kp, B_NR);
    else pack_cols(dst, op->B, op->ldb, g->K, j0, cols, kp0, kp);
}

static void bgemm_add_tile(void *cv, int64_t ldc, const void *tv, int nr, int64_t rows, int64_t cols, int accum) {
    float *c = (float *)cv;
    const float *tile = (const float *)tv;
    for (int64_t i = 0; i < rows; i++)
        for (int64_t j = 0; j < cols; j++) c[i * ldc + j] = tile[i * nr + j] + (accum ? c[i * ldc + j] : 0.0f);
}

#endif /* AK_X86 */

int assay_gemm_bf16(int64_t M, int64_t N, int64_t K, const uint16_t *A, int64_t lda, const uint16_t *B,
                    int64_t ldb, int transB, float *C, int nthreads) {
#if AK_X86
    if (!cpu_has_bf16() || getenv("ASSAY_KERNELS_NO_BF16")) return 0;
    if (M <= 0 || N <= 0) return 1;
    if (K <= 0) {
        memset(C, 0, sizeof(float) * (size_t)(M * N));
        return 1;
    }
    const double macs = (double)M * (double)N * (double)K;
    int nth = nthreads < 1 ? 1 : nthreads;
    if ((double)nth * 4e6 > macs) nth = (int)(macs / 4e6) < 1 ? 1 : (int)(macs / 4e6);
    if (M == 1) { /* the GEMV widens B in registers (FMA keeps subnormals: no scan needed) */
        float *a = (float *)ak_scratch_get(sizeof(float) * (size_t)K);
        if (!a) return 0;
        assay_bf16_to_f32(A, a, K);
        const int ok = ak_lpgemv(1, transB != 0, N, K, a, B, ldb, C, 1, nthreads);
        ak_scratch_put(a);
        return ok;
    }
    if (has_subnormal(A, M, K, lda) || (transB ? has_subnormal(B, N, K, ldb) : has_subnormal(B, K, N, ldb))) return 0;
    const bgemm_operands operands = {A, B, lda, ldb, transB != 0};
    pair_gemm jb;
    memset(&jb, 0, sizeof jb);
    jb.mr = B_MR; jb.nr = B_NR; jb.kpc = B_KPC; jb.mc = B_MC; jb.nc = B_NC;
    jb.M = M; jb.N = N; jb.K = K; jb.C = C; jb.ctx = &operands;
    jb.pack_a = bgemm_pack_a; jb.pack_b = bgemm_pack_b; jb.kern = kern_bf16; jb.add_tile = bgemm_add_tile;
    jb.split_rows = (N + B_NR - 1) / B_NR < 4 * nth && M > N;
    ak_parallel(nth, NULL, ak_pair_gemm_thread, &jb);
    return !jb.failed;
#else
    (void)M; (void)N; (void)K; (void)A; (void)lda; (void)B; (void)ldb; (void)transB; (void)C; (void)nthreads;
    return 0;
#endif
}
