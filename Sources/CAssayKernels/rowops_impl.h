/*
 * Row and elementwise f32 kernels, written once with GCC/Clang vector
 * extensions and compiled once per ISA: rowops.c includes this file with
 *   RK_SUFFIX  suffix of every function name (generic / avx2 / avx512)
 *   RK_ATTR    function attribute selecting the ISA (may be empty)
 *   RK_VL      f32 lanes per vector (4 / 8 / 16)
 * The code is plain arithmetic on vectors, so every path runs the same
 * algorithm (results can differ in the last bit where the compiler fuses a
 * multiply-add on FMA targets).
 */

#define RK_CAT2(a, b) a##_##b
#define RK_CAT(a, b) RK_CAT2(a, b)
#define F(name) RK_CAT(name, RK_SUFFIX)
#define FN static RK_ATTR
#define IN static inline RK_ATTR __attribute__((always_inline))

#define vf F(vf)
#define vfu F(vfu)
#define vi F(vi)
#define vd F(vd)
#define vl F(vl)
#define vfh F(vfh)
#define vfhu F(vfhu)
#define vih F(vih)
#define VL RK_VL
#define VH (RK_VL / 2)

typedef float vf __attribute__((vector_size(VL * 4)));
typedef float vfu __attribute__((vector_size(VL * 4), aligned(4), may_alias));
typedef int32_t vi __attribute__((vector_size(VL * 4)));
/* f64 work uses half as many lanes, so vd is one native register. */
typedef float vfh __attribute__((vector_size(VH * 4)));
typedef float vfhu __attribute__((vector_size(VH * 4), aligned(4), may_alias));
typedef int32_t vih __attribute__((vector_size(VH * 4)));
typedef double vd __attribute__((vector_size(VH * 8)));
typedef int64_t vl __attribute__((vector_size(VH * 8)));

/* ------------------------------------------------------------ helpers --- */

IN vf F(splat)(float a) {
    vf v; /* not {0} + a, which turns -0 into +0 */
    for (int i = 0; i < VL; i++) v[i] = a;
    return v;
}
IN vf F(ld)(const float *p) { return *(const vfu *)p; }
IN void F(st)(float *p, vf v) { *(vfu *)p = v; }

/* First n (< VL) lanes from p, the others `fill`. */
IN vf F(ld_part)(const float *p, int64_t n, float fill) {
    vf v = F(splat)(fill);
    memcpy(&v, p, (size_t)n * sizeof(float));
    return v;
}
IN void F(st_part)(float *p, vf v, int64_t n) { memcpy(p, &v, (size_t)n * sizeof(float)); }

/* Lanewise m ? a : b, m from a vector comparison (all ones / zeros). */
IN vf F(sel)(vi m, vf a, vf b) { return (vf)(((vi)a & m) | ((vi)b & ~m)); }
IN vd F(seld)(vl m, vd a, vd b) { return (vd)(((vl)a & m) | ((vl)b & ~m)); }

/* Mask of the lanes with index < n. */
IN vi F(lanes_below)(int64_t n) {
    vi idx;
    for (int i = 0; i < VL; i++) idx[i] = i;
    return idx < (int32_t)n;
}

IN float F(hsum)(vf v) {
    float s = 0.0f;
    for (int i = 0; i < VL; i++) s += v[i];
    return s;
}

/* --------------------------------------------------------------- exp --- */

/* e^x in f32, about 1 ulp. Cody-Waite reduction x = n·ln2 + r with
 * |r| <= ln2/2, degree-6 polynomial (Cephes expf), then 2^n applied in two
 * halves so that overflow gives inf and underflow rounds once into the
 * subnormals. NaN stays NaN, -inf gives 0, +inf gives inf. */
IN vf F(exp)(vf x) {
    const float magic = 12582912.0f; /* 1.5·2^23: adding it rounds to an integer */
    vf xc = F(sel)(x < -104.0f, F(splat)(-104.0f), x); /* e^-104 rounds to 0 */
    xc = F(sel)(xc > 89.0f, F(splat)(89.0f), xc);      /* e^89 overflows */
    vf t = xc * 1.44269504088896341f + magic;
    vf n = t - magic;
    vi ni = (vi)t - (vi)F(splat)(magic);
    vf r = xc - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    vf p = F(splat)(1.9875691500e-4f);
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * (r * r) + r + 1.0f;
    vi n1 = ni >> 1, n2 = ni - n1; /* each in [-75, 65]: a normal power of 2 */
    vf s1 = (vf)((n1 + 127) << 23), s2 = (vf)((n2 + 127) << 23);
    return p * s1 * s2;
}

/* e^y in f64 with y clamped to [-700, 700], relative error ~1e-13. Callers
 * only need the clamped ends to round to 0 / overflow in f32. */
IN vd F(exp_d)(vd y) {
    const double magic = 6755399441055744.0; /* 1.5·2^52 */
    vd yc = F(seld)(y < -700.0, (vd){0} - 700.0, y);
    yc = F(seld)(yc > 700.0, (vd){0} + 700.0, yc);
    vd t = yc * 1.4426950408889634 + magic;
    vd n = t - magic;
    vl ni = (vl)t - (vl)((vd){0} + magic);
    vd r = yc - n * 0x1.62e42fee00000p-1;
    r = r - n * 0x1.a39ef35793c76p-33;
    vd p = (vd){0} + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    return p * (vd)((ni + 1023) << 52);
}

/* ------------------------------------------------- blocked reductions --- */

/* A reduction adds up term(x) over a row: plain vector accumulation inside
 * blocks of RK_BLOCK elements (each lane adds at most RK_BLOCK/(4·VL)
 * terms), pairwise combination of the blocks. Error grows like log(n). */
#define RK_BLOCK 1024

#define RK_DEFINE_SUM(NAME, TERM)                                                         \
    FN float F(NAME##_block)(const float *x, float *y, int64_t n, float c) {              \
        (void)c;                                                                          \
        (void)y;                                                                          \
        vf cv = F(splat)(c);                                                              \
        (void)cv;                                                                         \
        vf a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};                                        \
        int64_t i = 0;                                                                    \
        for (; i + 4 * VL <= n; i += 4 * VL) {                                            \
            vf v0 = F(ld)(x + i), v1 = F(ld)(x + i + VL);                                 \
            vf v2 = F(ld)(x + i + 2 * VL), v3 = F(ld)(x + i + 3 * VL);                    \
            v0 = TERM(v0, i);                                                             \
            v1 = TERM(v1, i + VL);                                                        \
            v2 = TERM(v2, i + 2 * VL);                                                    \
            v3 = TERM(v3, i + 3 * VL);                                                    \
            a0 += v0;                                                                     \
            a1 += v1;                                                                     \
            a2 += v2;                                                                     \
            a3 += v3;                                                                     \
        }                                                                                 \
        for (; i + VL <= n; i += VL) {                                                    \
            vf v = F(ld)(x + i);                                                          \
            a0 += TERM(v, i);                                                             \
        }                                                                                 \
        if (i < n) {                                                                      \
            vf v = F(ld_part)(x + i, n - i, 0.0f);                                        \
            v = F(sel)(F(lanes_below)(n - i), TERM(v, i), F(splat)(0.0f));                \
            a1 += v;                                                                      \
        }                                                                                 \
        return F(hsum)((a0 + a1) + (a2 + a3));                                            \
    }                                                                                     \
    FN float F(NAME)(const float *x, float *y, int64_t n, float c) {                      \
        if (n <= RK_BLOCK) return F(NAME##_block)(x, y, n, c);                            \
        int64_t h = (n / 2 + RK_BLOCK - 1) / RK_BLOCK * RK_BLOCK;                         \
        return F(NAME)(x, y, h, c) + F(NAME)(x + h, y ? y + h : y, n - h, c);             \
    }

/* TERM(v, i) maps v = x[i .. i+VL) to the terms to add up (at the ragged
 * end, lanes past n are zero-filled on input and masked out afterwards). */
#define TERM(v, i) (v)
RK_DEFINE_SUM(sum_plain, TERM)
#undef TERM

#define TERM(v, i) ((v) * (v))
RK_DEFINE_SUM(sum_sq, TERM)
#undef TERM

#define TERM(v, i) (((v)-cv) * ((v)-cv))
RK_DEFINE_SUM(sum_sqdev, TERM)
#undef TERM

/* exp(x - c), also stored to y when y is given (only the lanes below n). */
IN vf F(exp_term)(vf v, vf cv, float *y, int64_t i, int64_t n) {
    vf e = F(exp)(v - cv);
    if (y) {
        if (i + VL <= n) F(st)(y + i, e);
        else F(st_part)(y + i, e, n - i);
    }
    return e;
}
#define TERM(v, i) F(exp_term)(v, cv, y, i, n)
RK_DEFINE_SUM(sum_exp, TERM)
#undef TERM

/* ------------------------------------------------------------ softmax --- */

FN float F(row_max)(const float *x, int64_t n) {
    /* NaN compares false and is skipped here; it still reaches every output
     * through exp(NaN - max) in the sum. */
    vf m = F(splat)(-INFINITY);
    int64_t i = 0;
    for (; i + VL <= n; i += VL) {
        vf v = F(ld)(x + i);
        m = F(sel)(v > m, v, m);
    }
    if (i < n) {
        vf v = F(ld_part)(x + i, n - i, -INFINITY);
        m = F(sel)(v > m, v, m);
    }
    float r = m[0];
    for (int k = 1; k < VL; k++) r = m[k] > r ? m[k] : r;
    return r;
}

FN void F(softmax_rows)(const float *x, float *y, int64_t rows, int64_t n, int log) {
    for (int64_t row = 0; row < rows; row++, x += n, y += n) {
        const float mx = F(row_max)(x, n);
        const vf mv = F(splat)(mx);
        int64_t i = 0;
        if (!log) {
            /* y = e^(x-max) first (x may alias y: each element is read before
             * it is written), then scaled by 1/sum. */
            const float s = F(sum_exp)(x, y, n, mx);
            const vf sv = F(splat)(s);
            for (; i + VL <= n; i += VL) F(st)(y + i, F(ld)(y + i) / sv);
            if (i < n) F(st_part)(y + i, F(ld_part)(y + i, n - i, 1.0f) / sv, n - i);
        } else {
            const float s = F(sum_exp)(x, NULL, n, mx);
            const vf lv = F(splat)(logf(s));
            for (; i + VL <= n; i += VL) F(st)(y + i, (F(ld)(x + i) - mv) - lv);
            if (i < n) F(st_part)(y + i, (F(ld_part)(x + i, n - i, 0.0f) - mv) - lv, n - i);
        }
    }
}

/* ------------------------------------------------------ normalisation --- */

/* y = (x - shift) * scale * w + b, with w / b optional. */
FN void F(affine_row)(const float *x, float *y, int64_t n, float shift, float scale, const float *w,
                      const float *b) {
    const vf sh = F(splat)(shift), sc = F(splat)(scale);
    int64_t i = 0;
    for (; i + VL <= n; i += VL) {
        vf v = (F(ld)(x + i) - sh) * sc;
        if (w) v = v * F(ld)(w + i);
        if (b) v = v + F(ld)(b + i);
        F(st)(y + i, v);
    }
    if (i < n) {
        int64_t k = n - i;
        vf v = (F(ld_part)(x + i, k, 0.0f) - sh) * sc;
        if (w) v = v * F(ld_part)(w + i, k, 0.0f);
        if (b) v = v + F(ld_part)(b + i, k, 0.0f);
        F(st_part)(y + i, v, k);
    }
}

FN void F(layernorm_rows)(const float *x, float *y, int64_t rows, int64_t n, const float *w,
                          const float *b, float eps) {
    for (int64_t row = 0; row < rows; row++, x += n, y += n) {
        /* Two passes: the mean, then the mean squared deviation from it. */
        const float mean = F(sum_plain)(x, NULL, n, 0.0f) / (float)n;
        const float var = F(sum_sqdev)(x, NULL, n, mean) / (float)n;
        if (!isfinite(mean) || !isfinite(var)) {
            /* inf / NaN inputs, or finite inputs that overflow f32. */
            layernorm_row_f64(x, y, n, w, b, eps);
            continue;
        }
        const float rstd = (float)(1.0 / sqrt((double)var + (double)eps));
        F(affine_row)(x, y, n, mean, rstd, w, b);
    }
}

FN void F(rmsnorm_rows)(const float *x, float *y, int64_t rows, int64_t n, const float *w, float eps) {
    for (int64_t row = 0; row < rows; row++, x += n, y += n) {
        const float ms = F(sum_sq)(x, NULL, n, 0.0f) / (float)n;
        if (!isfinite(ms)) {
            rmsnorm_row_f64(x, y, n, w, eps);
            continue;
        }
        const float r = (float)(1.0 / sqrt((double)ms + (double)eps));
        F(affine_row)(x, y, n, 0.0f, r, w, NULL);
    }
}

FN float F(sum)(const float *x, int64_t n) {
    float s = F(sum_plain)(x, NULL, n, 0.0f);
    if (!isfinite(s)) s = sum_f64(x, n); /* f32 partial sums may overflow */
    return s;
}

/* -------------------------------------------------------- elementwise --- */

/* Applies OP (an expression in v) to x[0..n) into y. */
#define RK_MAP(x, y, n, OP)                                                 \
    do {                                                                    \
        int64_t i_ = 0;                                                     \
        for (; i_ + VL <= (n); i_ += VL) {                                  \
            vf v = F(ld)((x) + i_);                                         \
            F(st)((y) + i_, OP);                                            \
        }                                                                   \
        if (i_ < (n)) {                                                     \
            vf v = F(ld_part)((x) + i_, (n)-i_, 0.0f);                      \
            F(st_part)((y) + i_, OP, (n)-i_);                               \
        }                                                                   \
    } while (0)

/* silu(x) = x / (1 + e^-x); only -inf needs help (-inf / inf). */
IN vf F(silu_v)(vf v) {
    vf r = v / (1.0f + F(exp)(-v));
    return F(sel)(v == -INFINITY, F(splat)(-0.0f), r);
}

/* Chebyshev coefficients (in u = 2t - 1) of g(t) = ln(erfc(z)/t) + z²,
 * t = 1/(1 + z/2), z >= 0; max abs error 1.7e-11. */
static const double F(erfc_cheb)[17] = {
    -0.6513268598908547,     0.64196979235649021,     0.019476473204185836,   -0.0095615147868086323,
    -0.00094659534448203605, 0.00036683949785275912,  4.2523324806907722e-05, -2.0278578112506076e-05,
    -1.6242900047680493e-06, 1.3036558356750981e-06,  1.5626443245094346e-08, -8.5238103021024154e-08,
    6.5290540580083259e-09,  5.0594562037750826e-09,  -9.9167724863296739e-10, -2.2825961022049266e-10,
    1.0335393854665282e-10,
};

/* erf(z)/z as a polynomial in w = z² on [0, 4.5] (|x| <= 3), max relative
 * error 8e-14. */
static const double F(erf_poly)[15] = {
    1.1283791670954642,     -0.37612638902698986,   0.1128379166288517,     -0.026866170113501904,
    0.0052239757860772307,  -0.00085482885716814134, 0.00012054806209501411, -1.4920676224527574e-05,
    1.642869235876727e-06,  -1.6202975495228104e-07, 1.4226248290011831e-08, -1.0772416342728444e-09,
    6.5345027449940943e-11, -2.7549324570271066e-12, 5.8811553955116429e-14,
};

IN int F(any_d)(vl m) {
    int64_t r = 0;
    for (int i = 0; i < VH; i++) r |= m[i];
    return r != 0;
}

/* x·Φ(x), computed in f64 (relative error ~1e-11) and rounded once, so the
 * f32 result is within 1 ulp (measured: 0.5 ulp). For |x| <= 3,
 * Φ = (1 + erf(x/√2))/2 with the polynomial above (cancellation for x < 0
 * costs at most a factor 740 of its 8e-14); beyond that
 * Φ = erfc(|x|/√2)/2 or 1 - that, erfc = t·exp(-z² + g(t)). The erfc form
 * is only evaluated for vectors holding a lane with |x| > 3. */
IN vd F(gelu_erf_d)(vd x) {
    const vd w = 0.5 * x * x;
    vd p = (vd){0} + F(erf_poly)[14];
    for (int j = 13; j >= 0; j--) p = p * w + F(erf_poly)[j];
    const vd small = x * (0.5 + 0.5 * ((x * 0.70710678118654752) * p));
    const vl big = (vl)(w > 4.5); /* NaN: false, and the polynomial keeps it */
    if (!F(any_d)(big)) return small;

    const vd z = (vd)((vl)x & 0x7fffffffffffffffLL) * 0.70710678118654752;
    const vd t = 1.0 / (1.0 + 0.5 * z);
    const vd u = 2.0 * t - 1.0, u2 = 2.0 * u;
    vd b1 = {0}, b2 = {0};
    for (int j = 16; j >= 1; j--) { /* Clenshaw */
        vd b0 = u2 * b1 - b2 + F(erfc_cheb)[j];
        b2 = b1;
        b1 = b0;
    }
    const vd g = u * b1 - b2 + F(erfc_cheb)[0];
    const vd erfc = t * F(exp_d)(g - z * z);
    const vd phi = F(seld)(x < 0.0, 0.5 * erfc, 1.0 - 0.5 * erfc);
    return F(seld)(big, x * phi, small);
}

/* 0.5x(1 + tanh(u)) = x / (1 + e^(-2u)), u = √(2/π)(x + 0.044715x³), in
 * f64: no cancellation for negative x, no error amplification through exp. */
IN vd F(gelu_tanh_d)(vd x) {
    vd u = x * (0.79788456080286536 + 0.035677408136300125 * (x * x));
    return x / (1.0 + F(exp_d)(-2.0 * u));
}

/* -0 where x is -inf (x·Φ(x) and x/(1+e^..) give NaN there), else r. */
IN vfh F(neg_inf_to_neg_zero)(vfh x, vfh r) {
    vfh nz;
    for (int j = 0; j < VH; j++) nz[j] = -0.0f;
    vih m = x == -INFINITY;
    return (vfh)(((vih)nz & m) | ((vih)r & ~m));
}

/* Applies the f64 function OP to x[0..n) into y, VH lanes at a time; four
 * independent vectors per step so their long dependency chains overlap. */
#define RK_MAP_F64(x, y, n, OP)                                                         \
    do {                                                                                \
        int64_t i_ = 0;                                                                 \
        for (; i_ + 4 * VH <= (n); i_ += 4 * VH) {                                      \
            vfh v0 = *(const vfhu *)((x) + i_), v1 = *(const vfhu *)((x) + i_ + VH);    \
            vfh v2 = *(const vfhu *)((x) + i_ + 2 * VH), v3 = *(const vfhu *)((x) + i_ + 3 * VH); \
            vd r0 = OP(__builtin_convertvector(v0, vd)), r1 = OP(__builtin_convertvector(v1, vd)); \
            vd r2 = OP(__builtin_convertvector(v2, vd)), r3 = OP(__builtin_convertvector(v3, vd)); \
            *(vfhu *)((y) + i_) = F(neg_inf_to_neg_zero)(v0, __builtin_convertvector(r0, vfh)); \
            *(vfhu *)((y) + i_ + VH) = F(neg_inf_to_neg_zero)(v1, __builtin_convertvector(r1, vfh)); \
            *(vfhu *)((y) + i_ + 2 * VH) = F(neg_inf_to_neg_zero)(v2, __builtin_convertvector(r2, vfh)); \
            *(vfhu *)((y) + i_ + 3 * VH) = F(neg_inf_to_neg_zero)(v3, __builtin_convertvector(r3, vfh)); \
        }                                                                               \
        for (; i_ < (n); i_ += VH) {                                                    \
            const int64_t k_ = (n)-i_ < VH ? (n)-i_ : VH;                               \
            vfh v;                                                                      \
            for (int j_ = 0; j_ < VH; j_++) v[j_] = 0.0f;                               \
            memcpy(&v, (x) + i_, (size_t)k_ * sizeof(float));                           \
            vfh r = __builtin_convertvector(OP(__builtin_convertvector(v, vd)), vfh);   \
            r = F(neg_inf_to_neg_zero)(v, r);                                           \
            memcpy((y) + i_, &r, (size_t)k_ * sizeof(float));                           \
        }                                                                               \
    } while (0)

/* max(x, 0) with NaN kept. */
IN vf F(relu_v)(vf v) { return F(sel)((v > 0.0f) | (v != v), v, F(splat)(0.0f)); }

FN void F(gelu)(const float *x, float *y, int64_t n, int tanh_approx) {
    if (tanh_approx) RK_MAP_F64(x, y, n, F(gelu_tanh_d));
    else RK_MAP_F64(x, y, n, F(gelu_erf_d));
}
FN void F(silu)(const float *x, float *y, int64_t n) { RK_MAP(x, y, n, F(silu_v)(v)); }
FN void F(relu)(const float *x, float *y, int64_t n) { RK_MAP(x, y, n, F(relu_v)(v)); }

FN void F(add)(const float *a, const float *b, float *y, int64_t n) {
    int64_t i = 0;
    for (; i + VL <= n; i += VL) F(st)(y + i, F(ld)(a + i) + F(ld)(b + i));
    if (i < n) F(st_part)(y + i, F(ld_part)(a + i, n - i, 0.0f) + F(ld_part)(b + i, n - i, 0.0f), n - i);
}
FN void F(mul)(const float *a, const float *b, float *y, int64_t n) {
    int64_t i = 0;
    for (; i + VL <= n; i += VL) F(st)(y + i, F(ld)(a + i) * F(ld)(b + i));
    if (i < n) F(st_part)(y + i, F(ld_part)(a + i, n - i, 0.0f) * F(ld_part)(b + i, n - i, 0.0f), n - i);
}

#undef RK_MAP
#undef RK_MAP_F64
#undef RK_DEFINE_SUM
#undef RK_BLOCK
#undef vf
#undef vfu
#undef vi
#undef vd
#undef vl
#undef VL
#undef VH
#undef vfh
#undef vfhu
#undef vih
#undef F
#undef FN
#undef IN
#undef RK_CAT
#undef RK_CAT2
#undef RK_SUFFIX
#undef RK_ATTR
#undef RK_VL
