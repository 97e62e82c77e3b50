/*
 * assay_attention: tiled (flash-style) scaled dot-product attention in f32.
 *
 * Work items are (head, block of AT_BR query rows), handed out dynamically to
 * the threads (largest causal blocks first). Per item, for each block of
 * AT_BC keys:
 *   S  = Q_blk · K_blkᵀ           (single-threaded assay_sgemm, packed micro-kernel)
 *   S  = S·scale, masked, online softmax: running row max m and sum l;
 *        S becomes exp(S - m_new), O is rescaled by exp(m_old - m_new)
 *   O += S · V_blk                (assay_sgemm into a scratch tile, then added)
 * and O / l is written out. Under the causal (top-left) mask a key block
 * entirely to the right of the query block is never touched, which halves
 * the work. The score matrix is never materialised beyond one tile, so
 * memory is O(threads · tile) rather than O(s · t).
 *
 * Non-finite inputs (NaN / ±inf) need the exact reference semantics (a key
 * whose weight is exactly 0 contributes nothing even where v is ±inf), which
 * a GEMM on probabilities cannot give (0 · inf = NaN). Any such input that
 * reaches a head's output shows up as a non-finite output, so every head
 * whose output has one is flagged in `redo` for the caller's exact path.
 */
#include "assay_kernels.h"
#include "internal.h"

#include <math.h>
#include <string.h>

#define AT_BR 128
#define AT_BC 128

typedef struct {
    int64_t bh, s, t, d, nqb;
    const float *q, *k, *v;
    float *out;
    float scale;
    int causal;
    unsigned char *redo;
    int64_t next; /* next work item, taken with an atomic add */
} attention_job;

/* Scratch of one thread: score tile, P·V tile, output accumulator, row state. */
typedef struct {
    float *s, *pv, *o, *m, *l, *alpha;
} attention_scratch;

/* One (head, query block): rows [i0, i0 + br) of head h. */
static void attention_item(const attention_job *jb, const attention_scratch *w, int64_t h, int64_t qb) {
    const int64_t d = jb->d, t = jb->t;
    const int64_t i0 = qb * AT_BR, br = AK_MIN(AT_BR, jb->s - i0);
    const float *q = jb->q + (h * jb->s + i0) * d;
    const float *k = jb->k + h * t * d, *v = jb->v + h * t * d;
    /* Causal: row i sees keys j <= i, so keys past the block's last row are never visible. */
    const int64_t keys = jb->causal ? AK_MIN(t, i0 + br) : t;
    for (int64_t r = 0; r < br; r++) { w->m[r] = -INFINITY; w->l[r] = 0.0f; }
    memset(w->o, 0, sizeof(float) * (size_t)(br * d));
    for (int64_t j0 = 0; j0 < keys; j0 += AT_BC) {
        const int64_t bc = AK_MIN(AT_BC, keys - j0);
        assay_sgemm(br, bc, d, q, d, 0, k + j0 * d, d, 1, w->s, AT_BC, 1);
        for (int64_t r = 0; r < br; r++) {
            float *row = w->s + r * AT_BC;
            /* Visible keys of row i0 + r in this block: the first `valid`. */
            int64_t valid = jb->causal ? AK_MIN(bc, i0 + r - j0 + 1) : bc;
            if (valid < 0) valid = 0;
            for (int64_t c = 0; c < valid; c++) row[c] *= jb->scale;
            const float mx = ak_row_max(row, valid);
            const float mnew = mx > w->m[r] ? mx : w->m[r];
            float sum = 0.0f;
            if (valid > 0 && mnew != -INFINITY) sum = ak_exp_sum(row, valid, mnew);
            else valid = 0;
            for (int64_t c = valid; c < bc; c++) row[c] = 0.0f;
            const float alpha = w->m[r] == -INFINITY ? 0.0f : expf(w->m[r] - mnew);
            w->alpha[r] = alpha;
            w->l[r] = w->l[r] * alpha + sum;
            if (valid > 0) w->m[r] = mnew;
        }
        assay_sgemm(br, d, bc, w->s, AT_BC, 0, v + j0 * d, d, 0, w->pv, d, 1);
        for (int64_t r = 0; r < br; r++) {
            float *o = w->o + r * d;
            const float *pv = w->pv + r * d;
            const float alpha = w->alpha[r];
            for (int64_t e = 0; e < d; e++) o[e] = o[e] * alpha + pv[e];
        }
    }
    float *out = jb->out + (h * jb->s + i0) * d;
    int finite = 1;
    for (int64_t r = 0; r < br; r++) {
        const float inverse = 1.0f / w->l[r];
        for (int64_t e = 0; e < d; e++) {
            const float y = w->o[r * d + e] * inverse;
            out[r * d + e] = y;
            finite &= isfinite(y) != 0;
        }
    }
    if (!finite) __atomic_store_n(&jb->redo[h], 1, __ATOMIC_RELAXED);
}

static void attention_thread(void *arg, int tid, int nthreads) {
    (void)tid;
    (void)nthreads;
    attention_job *jb = (attention_job *)arg;
    const size_t d = (size_t)jb->d;
    const size_t floats = AT_BR * AT_BC + 2 * AT_BR * d + 3 * AT_BR;
    float *buffer = (float *)ak_alloc(sizeof(float) * floats);
    attention_scratch w;
    w.s = buffer;
    w.pv = w.s + AT_BR * AT_BC;
    w.o = w.pv + AT_BR * d;
    w.m = w.o + AT_BR * d;
    w.l = w.m + AT_BR;
    w.alpha = w.l + AT_BR;
    const int64_t items = jb->bh * jb->nqb;
    for (;;) {
        const int64_t item = __atomic_fetch_add(&jb->next, 1, __ATOMIC_RELAXED);
        if (item >= items) break;
        /* Last query blocks first: under the causal mask they carry the most keys. */
        const int64_t h = item % jb->bh, qb = jb->nqb - 1 - item / jb->bh;
        if (buffer) attention_item(jb, &w, h, qb);
        else __atomic_store_n(&jb->redo[h], 1, __ATOMIC_RELAXED);
    }
    ak_free(buffer);
}

void assay_attention(int64_t bh, int64_t s, int64_t t, int64_t d, const float *q, const float *k,
                     const float *v, float *out, float scale, int causal, unsigned char *redo,
                     int nthreads) {
    if (bh <= 0 || s <= 0 || d <= 0) return;
    memset(redo, 0, (size_t)bh);
    if (t <= 0) { memset(redo, 1, (size_t)bh); return; }
    attention_job jb = {bh, s, t, d, (s + AT_BR - 1) / AT_BR, q, k, v, out, scale, causal != 0, redo, 0};
    /* One thread per ~8 MFLOP, as in assay_sgemm: small problems stay on the calling thread. */
    const double flops = 4.0 * (double)bh * (double)s * (double)t * (double)d / (causal ? 2.0 : 1.0);
    int nth = nthreads < 1 ? 1 : nthreads;
    if ((double)nth * 8e6 > flops) nth = (int)(flops / 8e6) < 1 ? 1 : (int)(flops / 8e6);
    const int64_t items = bh * jb.nqb;
    if (nth > items) nth = (int)items;
    ak_parallel(nth, NULL, attention_thread, &jb);
}
