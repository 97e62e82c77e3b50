/* Internal: matrix-vector products on an f16 or bf16 matrix (see lpgemv.c). */
#ifndef ASSAY_KERNELS_LPGEMV_H
#define ASSAY_KERNELS_LPGEMV_H

#include <stdint.h>

/* As ak_sgemv (sgemv.h), with V holding bf16 (bf16 != 0) or f16 bit
 * patterns, widened in registers; u (contiguous, f32) and y stay f32.
 * Returns 0 if scratch memory ran out (y is then incomplete). */
int ak_lpgemv(int bf16, int dot, int64_t n, int64_t k, const float *u, const uint16_t *V, int64_t ldv, float *y,
              int64_t incy, int nthreads);

#endif
