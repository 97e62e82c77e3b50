/* CPU-feature detection, aligned allocation and the fork/join thread runner. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#if !defined(_WIN32)
#include <pthread.h>
#include <sched.h>
#define AK_HAVE_PTHREADS 1
#if defined(__linux__)
#include <limits.h>
#include <linux/futex.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>
#define AK_HAVE_FUTEX 1
#endif
#else
#define AK_HAVE_PTHREADS 0
#endif

/* ------------------------------------------------------------ CPU ISA --- */

static int detect_isa(void) {
#if AK_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
        __builtin_cpu_supports("fma") && __builtin_cpu_supports("avx2") &&
        __builtin_cpu_supports("f16c"))
        return AK_ISA_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
        __builtin_cpu_supports("f16c"))
        return AK_ISA_AVX2;
#endif
    return AK_ISA_GENERIC;
}

/* Cached as isa+1 so that 0 means "not yet detected"; races are benign
 * because every thread computes the same value. */
static int cached_isa;

ak_isa ak_cpu_isa(void) {
    int v = __atomic_load_n(&cached_isa, __ATOMIC_RELAXED);
    if (v == 0) {
        v = detect_isa() + 1;
        /* Testing hook: ASSAY_KERNELS_ISA=0 (portable C), 1 (AVX2) or 2
         * (AVX-512) caps the path used, to exercise the fallbacks. */
        const char *force = getenv("ASSAY_KERNELS_ISA");
        if (force && force[0] >= '0' && force[0] <= '2' && force[0] - '0' + 1 < v)
            v = force[0] - '0' + 1;
        __atomic_store_n(&cached_isa, v, __ATOMIC_RELAXED);
    }
    return (ak_isa)(v - 1);
}

int ak_cpu_has_avx512vnni(void) {
#if AK_X86
    static int cached; /* 1 = no, 2 = yes */
    int v = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (v == 0) {
        __builtin_cpu_init();
        v = (ak_cpu_isa() == AK_ISA_AVX512 && __builtin_cpu_supports("avx512vnni") &&
             !getenv("ASSAY_KERNELS_NO_VNNI")) /* testing hook */
                ? 2
                : 1;
        __atomic_store_n(&cached, v, __ATOMIC_RELAXED);
    }
    return v == 2;
#else
    return 0;
#endif
}

/* ------------------------------------------------------------- memory --- */

void *ak_alloc(size_t bytes) {
    void *p = NULL;
    if (bytes == 0) bytes = 64;
    if (posix_memalign(&p, 64, bytes) != 0) return NULL;
    return p;
}

void ak_free(void *p) { free(p); }

/* Scratch cache: a few buffers guarded by a spin lock (held for a few
 * instructions only). Each buffer starts with a 64-byte header holding its
 * capacity. */
enum { SCRATCH_SLOTS = 16 };
#define SCRATCH_MAX_CACHED ((size_t)256 << 20) /* bytes kept across calls, at most */

static struct {
    volatile int lock;
    void *buf[SCRATCH_SLOTS];
    size_t cap[SCRATCH_SLOTS];
    size_t total;
} scratch;

AK_INLINE void cpu_relax(void);

static void scratch_lock(void) {
    while (__atomic_exchange_n(&scratch.lock, 1, __ATOMIC_ACQUIRE)) cpu_relax();
}
static void scratch_unlock(void) { __atomic_store_n(&scratch.lock, 0, __ATOMIC_RELEASE); }

void *ak_scratch_get(size_t bytes) {
    int best = -1;
    scratch_lock();
    for (int i = 0; i < SCRATCH_SLOTS; i++)
        if (scratch.buf[i] && scratch.cap[i] >= bytes && (best < 0 || scratch.cap[i] < scratch.cap[best]))
            best = i;
    void *hdr = NULL;
    if (best >= 0) {
        hdr = scratch.buf[best];
        scratch.total -= scratch.cap[best];
        scratch.buf[best] = NULL;
    }
    scratch_unlock();
    if (!hdr) {
        hdr = ak_alloc(bytes + 64);
        if (!hdr) return NULL;
        *(size_t *)hdr = bytes;
    }
    return (char *)hdr + 64;
}

void ak_scratch_put(void *p) {
    if (!p) return;
    void *hdr = (char *)p - 64;
    size_t cap = *(size_t *)hdr;
    scratch_lock();
    /* Keep it in a free slot, else in place of the smallest smaller one. */
    int slot = -1;
    for (int i = 0; i < SCRATCH_SLOTS && slot < 0; i++)
        if (!scratch.buf[i]) slot = i;
    if (slot < 0)
        for (int i = 0; i < SCRATCH_SLOTS; i++)
            if (scratch.cap[i] < cap && (slot < 0 || scratch.cap[i] < scratch.cap[slot])) slot = i;
    void *evict = NULL;
    if (slot >= 0 && scratch.total - (scratch.buf[slot] ? scratch.cap[slot] : 0) + cap <= SCRATCH_MAX_CACHED) {
        if (scratch.buf[slot]) {
            evict = scratch.buf[slot];
            scratch.total -= scratch.cap[slot];
        }
        scratch.buf[slot] = hdr;
        scratch.cap[slot] = cap;
        scratch.total += cap;
        hdr = NULL;
    }
    scratch_unlock();
    ak_free(evict);
    ak_free(hdr);
}

/* ------------------------------------------------------------ threads --- */

AK_INLINE void cpu_relax(void) {
#if AK_X86
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/* Spin a little, then sleep in the kernel until the word changes. A yield
 * loop collapses on a loaded machine: the thread being waited for is not
 * running, sched_yield does not hand it the core, and every wait costs a
 * scheduler quantum (small GEMMs flipped between 24 us and 1.15 ms per
 * call, issue 15). A futex sleep gives the core away until the waker stores
 * and wakes. `ak_sleepers` counts sleepers so a store wakes only when one
 * may sleep (both sides sequentially consistent: a waker that reads 0
 * stored before the sleeper's futex compare, which then returns at once). */
static int ak_sleepers;

AK_INLINE void spin_wait_step(volatile int *word, int observed, int *spins) {
    if (++*spins < 2000) {
        cpu_relax();
        return;
    }
#if AK_HAVE_FUTEX
    __atomic_add_fetch(&ak_sleepers, 1, __ATOMIC_SEQ_CST);
    struct timespec limit = {0, 20 * 1000 * 1000}; /* a lost wake-up costs 20 ms, never a hang */
    syscall(SYS_futex, (int *)word, FUTEX_WAIT_PRIVATE, observed, &limit, NULL, 0);
    __atomic_sub_fetch(&ak_sleepers, 1, __ATOMIC_SEQ_CST);
#elif AK_HAVE_PTHREADS
    (void)word; (void)observed;
    sched_yield();
#endif
}

/* Call after storing to `word`: wakes its sleepers, if any may sleep. */
AK_INLINE void wake_waiters(volatile int *word) {
#if AK_HAVE_FUTEX
    if (__atomic_load_n(&ak_sleepers, __ATOMIC_SEQ_CST) > 0) syscall(SYS_futex, (int *)word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
#else
    (void)word;
#endif
}

void ak_barrier_init(ak_barrier *b, int n) {
    b->n = n;
    b->count = 0;
    b->sense = 0;
}

void ak_barrier_wait(ak_barrier *b, int *local_sense) {
    if (b->n <= 1) return;
    int s = !*local_sense;
    *local_sense = s;
    if (__atomic_add_fetch(&b->count, 1, __ATOMIC_ACQ_REL) == b->n) {
        __atomic_store_n(&b->count, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&b->sense, s, __ATOMIC_SEQ_CST);
        wake_waiters(&b->sense);
    } else {
        int spins = 0, seen;
        while ((seen = __atomic_load_n(&b->sense, __ATOMIC_ACQUIRE)) != s) spin_wait_step(&b->sense, seen, &spins);
    }
}

#if AK_HAVE_PTHREADS

#include <time.h>

enum { AK_MAX_THREADS = 256 };

static double mono_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* ---- fresh threads (used when the pool is busy) ---- */

typedef struct {
    ak_task_fn fn;
    void *arg;
    volatile int go;       /* 0: wait; 1: run; set once every thread exists */
    volatile int nthreads; /* final count, valid once go == 1 */
} par_shared;

typedef struct {
    par_shared *sh;
    int tid;
} par_worker;

static void *par_entry(void *p) {
    par_worker *w = (par_worker *)p;
    par_shared *sh = w->sh;
    int spins = 0;
    while (!__atomic_load_n(&sh->go, __ATOMIC_ACQUIRE)) spin_wait_step(&sh->go, 0, &spins);
    if (w->tid < sh->nthreads) sh->fn(sh->arg, w->tid, sh->nthreads);
    return NULL;
}

static void parallel_fresh(int nthreads, ak_setup_fn setup, ak_task_fn fn, void *arg) {
    par_shared sh = {fn, arg, 0, 0};
    pthread_t th[AK_MAX_THREADS];
    par_worker wk[AK_MAX_THREADS];
    /* Workers wait for `go`, so if some thread cannot be created the task
     * simply runs with fewer threads. */
    int created = 0;
    for (int t = 1; t < nthreads; t++) {
        wk[t].sh = &sh;
        wk[t].tid = t;
        if (pthread_create(&th[t], NULL, par_entry, &wk[t]) != 0) break;
        created++;
    }
    sh.nthreads = created + 1;
    if (setup) setup(arg, created + 1);
    __atomic_store_n(&sh.go, 1, __ATOMIC_SEQ_CST);
    wake_waiters(&sh.go);
    fn(arg, 0, created + 1);
    for (int t = 1; t <= created; t++) pthread_join(th[t], NULL);
}

/* ---- persistent pool ---- */

/* One mailbox per worker: the caller fills in the task and bumps `go`; the
 * worker runs it and copies `go` into `done`. Padded against false sharing. */
typedef struct {
    volatile unsigned go;
    volatile unsigned done;
    ak_task_fn fn;
    void *arg;
    int tid, n;
    char pad[64];
} pool_slot;

static struct {
    volatile int busy; /* one caller at a time */
    int nworkers;      /* only changed by the caller holding `busy` */
    pool_slot slot[AK_MAX_THREADS];
    pthread_mutex_t mu;
    pthread_cond_t cv;
} pool = {0, 0, {{0}}, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER};

#define POOL_SPIN_SECONDS 1e-3 /* busy-wait this long for the next task */

/* A forked child has none of the workers: start it with an empty pool. */
static void pool_atfork_child(void) {
    memset(pool.slot, 0, sizeof pool.slot);
    pool.nworkers = 0;
    pthread_mutex_init(&pool.mu, NULL);
    pthread_cond_init(&pool.cv, NULL);
    pool.busy = 0;
}

static void *pool_worker(void *p) {
    pool_slot *s = (pool_slot *)p;
    unsigned seen = 0;
    for (;;) {
        /* Spin (with pause) for a while, then sleep on the condition variable. */
        double start = mono_seconds();
        unsigned spins = 0;
        while (__atomic_load_n(&s->go, __ATOMIC_ACQUIRE) == seen) {
            cpu_relax();
            if ((++spins & 255) == 0 && mono_seconds() - start > POOL_SPIN_SECONDS) {
                pthread_mutex_lock(&pool.mu);
                while (__atomic_load_n(&s->go, __ATOMIC_ACQUIRE) == seen) pthread_cond_wait(&pool.cv, &pool.mu);
                pthread_mutex_unlock(&pool.mu);
            }
        }
        seen = __atomic_load_n(&s->go, __ATOMIC_ACQUIRE);
        s->fn(s->arg, s->tid, s->n);
        __atomic_store_n(&s->done, seen, __ATOMIC_SEQ_CST);
        wake_waiters((volatile int *)&s->done);
    }
    return NULL;
}

void ak_parallel(int nthreads, ak_setup_fn setup, ak_task_fn fn, void *arg) {
    if (nthreads > AK_MAX_THREADS) nthreads = AK_MAX_THREADS;
    if (nthreads <= 1) {
        if (setup) setup(arg, 1);
        fn(arg, 0, 1);
        return;
    }
    if (__atomic_exchange_n(&pool.busy, 1, __ATOMIC_ACQUIRE)) {
        parallel_fresh(nthreads, setup, fn, arg);
        return;
    }
    /* Grow the pool on demand; worker w serves tid w + 1. */
    if (pool.nworkers == 0 && nthreads > 1) {
        static int atfork_registered; /* only touched while holding `busy` */
        if (!atfork_registered) atfork_registered = pthread_atfork(NULL, NULL, pool_atfork_child) == 0;
    }
    while (pool.nworkers < nthreads - 1) {
        pthread_t th;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        int rc = pthread_create(&th, &attr, pool_worker, &pool.slot[pool.nworkers]);
        pthread_attr_destroy(&attr);
        if (rc != 0) break;
        pool.nworkers++;
    }
    int n = AK_MIN(nthreads, pool.nworkers + 1);
    if (setup) setup(arg, n);
    for (int w = 0; w < n - 1; w++) {
        pool_slot *s = &pool.slot[w];
        s->fn = fn;
        s->arg = arg;
        s->tid = w + 1;
        s->n = n;
        __atomic_add_fetch(&s->go, 1, __ATOMIC_RELEASE);
    }
    /* Wake sleepers; taking the mutex orders this after their last check. */
    pthread_mutex_lock(&pool.mu);
    pthread_cond_broadcast(&pool.cv);
    pthread_mutex_unlock(&pool.mu);

    fn(arg, 0, n);

    for (int w = 0; w < n - 1; w++) {
        pool_slot *s = &pool.slot[w];
        int spins = 0;
        unsigned done;
        while ((done = __atomic_load_n(&s->done, __ATOMIC_ACQUIRE)) != s->go) spin_wait_step((volatile int *)&s->done, (int)done, &spins);
    }
    __atomic_store_n(&pool.busy, 0, __ATOMIC_RELEASE);
}

#else

void ak_parallel(int nthreads, ak_setup_fn setup, ak_task_fn fn, void *arg) {
    (void)nthreads;
    if (setup) setup(arg, 1);
    fn(arg, 0, 1);
}

#endif
