/*
 * Shared helpers of CAssayKernels (not part of the public API): CPU-feature
 * dispatch, target attributes, a tiny fork/join thread runner and a spin
 * barrier.
 */
#ifndef ASSAY_KERNELS_INTERNAL_H
#define ASSAY_KERNELS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#if defined(__x86_64__) || defined(__i386__)
#define AK_X86 1
#else
#define AK_X86 0
#endif

/* Function-level ISA targets: the package is compiled without -march, so the
 * wide code paths are enabled per function and chosen at run time. */
#define AK_AVX512 __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,fma,f16c,avx2")))
#define AK_AVX2 __attribute__((target("avx2,fma,f16c")))

#define AK_INLINE static inline __attribute__((always_inline))
#define AK_MIN(a, b) ((a) < (b) ? (a) : (b))
#define AK_MAX(a, b) ((a) > (b) ? (a) : (b))

/* Which wide path this CPU can run. */
typedef enum { AK_ISA_GENERIC = 0, AK_ISA_AVX2 = 1, AK_ISA_AVX512 = 2 } ak_isa;

ak_isa ak_cpu_isa(void);
int ak_cpu_has_avx512vnni(void);

/* 64-byte aligned memory (free with ak_free). NULL on failure. */
void *ak_alloc(size_t bytes);
void ak_free(void *p);

/* 64-byte aligned scratch buffers, recycled between calls (a fresh large
 * allocation costs page faults that show up in GEMM timings). Return each
 * buffer with ak_scratch_put. NULL on failure. */
void *ak_scratch_get(size_t bytes);
void ak_scratch_put(void *p);

/* Runs fn(arg, tid, n) for tid in [0, n): tid 0 on the calling thread, the
 * others on worker threads; returns when all are done. n is at most
 * nthreads, smaller only if threads cannot be created. setup (may be NULL)
 * runs once on the calling thread with the final n before any fn starts, e.g.
 * to size a barrier.
 * The workers come from a process-wide pool that is created on first use and
 * kept: a worker spins for about a millisecond after a task (so back-to-back
 * calls start at once) and then sleeps. When another call is using the pool
 * at the same time, fresh threads are created for this one instead. */
typedef void (*ak_task_fn)(void *arg, int tid, int nthreads);
typedef void (*ak_setup_fn)(void *arg, int nthreads);
void ak_parallel(int nthreads, ak_setup_fn setup, ak_task_fn fn, void *arg);

/* Sense-reversing spin barrier for the threads of one ak_parallel call. */
typedef struct {
    int n;
    volatile int count; /* accessed only through __atomic builtins */
    volatile int sense;
} ak_barrier;

void ak_barrier_init(ak_barrier *b, int n);
/* *local_sense is per thread, starting at 0. */
void ak_barrier_wait(ak_barrier *b, int *local_sense);

/* Exact scalar f16 -> f32 (convert.c), for the portable paths of the f16 kernels. */
float ak_f16_to_f32_ref(uint16_t h);

/* Row helpers of the attention kernel (rowops.c): the largest element of
 * x[0..n) (NaN skipped; -inf when n == 0), and x[i] = exp(x[i] - c) in place,
 * returning the sum. */
float ak_row_max(const float *x, int64_t n);
float ak_exp_sum(float *x, int64_t n, float c);

#endif
