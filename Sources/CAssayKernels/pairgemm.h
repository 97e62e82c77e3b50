/*
 * The blocked loop nest shared by the k-pair GEMMs (igemm.c: int8 -> int32,
 * bgemm.c: bf16 -> f32). Both pack operands so that one 32-bit lane holds
 * (x[k], x[k+1]) and both write 4-byte results; they differ only in packing,
 * micro-kernel and how an edge tile is added, which they pass in.
 */
#ifndef ASSAY_PAIRGEMM_H
#define ASSAY_PAIRGEMM_H

#include <stdint.h>

typedef struct pair_gemm pair_gemm;

struct pair_gemm {
    int mr, nr;          /* micro-tile; mr * nr <= 16 * 32 */
    int64_t kpc, mc, nc; /* k-pairs per slice, rows per A block, columns per B panel */
    int64_t M, N, K;
    void *C;             /* M×N, row stride N, 4-byte elements */
    const void *ctx;     /* the operands, for the packers */
    int split_rows;      /* threads split rows of C (else columns) */
    volatile int failed; /* scratch memory ran out: C is incomplete */
    /* Rows [i0, i0+rows) of A / columns [j0, j0+cols) of B over k-pairs
     * [kp0, kp0+kp) into mr-row / nr-column panels, zero-padded. */
    void (*pack_a)(const pair_gemm *g, uint32_t *dst, int64_t i0, int64_t rows, int64_t kp0, int64_t kp);
    void (*pack_b)(const pair_gemm *g, uint32_t *dst, int64_t j0, int64_t cols, int64_t kp0, int64_t kp);
    /* mr×nr tile at c (row stride ldc) = (accum ? c : 0) + packed a · packed b. */
    void (*kern)(int64_t kp, const uint32_t *a, const uint32_t *b, void *c, int64_t ldc, int accum);
    /* c[i*ldc + j] = (accum ? c[i*ldc + j] : 0) + tile[i*nr + j] for rows × cols. */
    void (*add_tile)(void *c, int64_t ldc, const void *tile, int nr, int64_t rows, int64_t cols, int accum);
};

/* ak_parallel task: thread tid of nth computes its share of C. */
void ak_pair_gemm_thread(void *arg, int tid, int nth);

#endif
