/*
 * f16 / bf16 row and elementwise kernels: each block of elements is widened
 * into an f32 buffer on the stack (it stays in L1), run through the f32
 * kernel, and narrowed straight into the output, so memory is crossed once
 * in the tensor's own width and no widened copy of the tensor is ever made.
 * The arithmetic is the f32 kernels', rounded once at the end: results are
 * bit-identical to widening the whole tensor first.
 */
#include "assay_kernels.h"
#include "internal.h"

#define LP_BLOCK 2048

static void widen(int bf16, const uint16_t *x, float *y, int64_t n) {
    if (bf16) assay_bf16_to_f32(x, y, n);
    else assay_f16_to_f32(x, y, n);
}

static void narrow(int bf16, const float *x, uint16_t *y, int64_t n) {
    if (bf16) assay_f32_to_bf16(x, y, n);
    else assay_f32_to_f16(x, y, n);
}

void assay_binary_lp(int bf16, int mul, const uint16_t *a, const uint16_t *b, uint16_t *y, int64_t n) {
    float fa[LP_BLOCK] __attribute__((aligned(64))), fb[LP_BLOCK] __attribute__((aligned(64)));
    for (int64_t i = 0; i < n; i += LP_BLOCK) {
        const int64_t count = AK_MIN(LP_BLOCK, n - i);
        widen(bf16, a + i, fa, count);
        widen(bf16, b + i, fb, count);
        if (mul) assay_mul(fa, fb, fa, count);
        else assay_add(fa, fb, fa, count);
        narrow(bf16, fa, y + i, count);
    }
}

int assay_softmax_rows_lp(int bf16, const uint16_t *x, uint16_t *y, int64_t rows, int64_t n, int log) {
    if (n > 4 * LP_BLOCK) return 0;
    float row[4 * LP_BLOCK] __attribute__((aligned(64)));
    for (int64_t r = 0; r < rows; r++) {
        widen(bf16, x + r * n, row, n);
        assay_softmax_rows(row, row, 1, n, log);
        narrow(bf16, row, y + r * n, n);
    }
    return 1;
}
