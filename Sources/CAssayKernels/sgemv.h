/* Internal: the matrix-vector path of the GEMMs (see sgemv.c). */
#ifndef ASSAY_KERNELS_SGEMV_H
#define ASSAY_KERNELS_SGEMV_H

#include <stdint.h>

/* y[j*incy] for j < n = sum_{p<k} u[p] · V[j*ldv + p] (dot != 0) or
 * u[p] · V[p*ldv + j] (dot == 0). u is contiguous. Returns 0 if scratch
 * memory ran out (y is then incomplete). */
int ak_sgemv(int dot, int64_t n, int64_t k, const float *u, const float *V, int64_t ldv, float *y,
              int64_t incy, int nthreads);

/* As ak_sgemv, with V holding bf16 (bf16 != 0) or f16 bit patterns, widened
 * in registers; u (f32, contiguous) and y stay f32. */
int ak_lpgemv(int bf16, int dot, int64_t n, int64_t k, const float *u, const uint16_t *V, int64_t ldv, float *y,
              int64_t incy, int nthreads);

#endif
