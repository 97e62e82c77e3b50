/* The k-pair GEMMs' loop nest (see pairgemm.h): per thread,
 *   jc over N in nc-column panels -> pack B panel
 *     pc over k-pairs in kpc slices
 *       ic over rows in mc blocks -> pack A block
 *         jr, ir over nr × mr tiles -> micro-kernel (edge tiles via a scratch tile). */
#include "pairgemm.h"
#include "internal.h"

static void pair_gemm_range(pair_gemm *g, int64_t m0, int64_t m1, int64_t n0, int64_t n1) {
    const int MR = g->mr, NR = g->nr;
    const int64_t KP = (g->K + 1) / 2;
    if (m1 <= m0 || n1 <= n0) return;
    const int64_t kpc = AK_MIN(g->kpc, KP), ncmax = AK_MIN(g->nc, n1 - n0);
    uint32_t *bbuf = (uint32_t *)ak_scratch_get(sizeof(uint32_t) * (size_t)(kpc * ((ncmax + NR - 1) / NR * NR)));
    uint32_t *abuf = (uint32_t *)ak_scratch_get(sizeof(uint32_t) * (size_t)(kpc * g->mc));
    uint32_t tile[16 * 32] __attribute__((aligned(64)));
    if (!bbuf || !abuf) {
        __atomic_store_n(&g->failed, 1, __ATOMIC_RELAXED);
        ak_scratch_put(bbuf);
        ak_scratch_put(abuf);
        return;
    }
    uint32_t *C = (uint32_t *)g->C;
    for (int64_t jc = n0; jc < n1; jc += g->nc) {
        const int64_t nc = AK_MIN(g->nc, n1 - jc);
        for (int64_t pc = 0; pc < KP; pc += kpc) {
            const int64_t kp = AK_MIN(kpc, KP - pc);
            g->pack_b(g, bbuf, jc, nc, pc, kp);
            for (int64_t ic = m0; ic < m1; ic += g->mc) {
                const int64_t mc = AK_MIN(g->mc, m1 - ic);
                g->pack_a(g, abuf, ic, mc, pc, kp);
                for (int64_t jr = 0; jr < nc; jr += NR) {
                    const int64_t nr = AK_MIN(NR, nc - jr);
                    const uint32_t *bp = bbuf + (jr / NR) * kp * NR;
                    for (int64_t ir = 0; ir < mc; ir += MR) {
                        const int64_t mr = AK_MIN(MR, mc - ir);
                        const uint32_t *ap = abuf + (ir / MR) * kp * MR;
                        uint32_t *c = C + (ic + ir) * g->N + jc + jr;
                        if (mr == MR && nr == NR) {
                            g->kern(kp, ap, bp, c, g->N, pc > 0);
                        } else {
                            g->kern(kp, ap, bp, tile, NR, 0);
                            g->add_tile(c, g->N, tile, NR, mr, nr, pc > 0);
                        }
                    }
                }
            }
        }
    }
    ak_scratch_put(bbuf);
    ak_scratch_put(abuf);
}

void ak_pair_gemm_thread(void *arg, int tid, int nth) {
    pair_gemm *g = (pair_gemm *)arg;
    if (g->split_rows) {
        const int64_t panels = (g->M + g->mr - 1) / g->mr;
        pair_gemm_range(g, AK_MIN(g->M, panels * tid / nth * g->mr), AK_MIN(g->M, panels * (tid + 1) / nth * g->mr), 0, g->N);
    } else {
        const int64_t slivers = (g->N + g->nr - 1) / g->nr;
        pair_gemm_range(g, 0, g->M, AK_MIN(g->N, slivers * tid / nth * g->nr), AK_MIN(g->N, slivers * (tid + 1) / nth * g->nr));
    }
}
