import AssayCore

/// `conv2d` in NCHW with stride, padding, dilation, groups and optional bias (cross-correlation, as in torch).
struct Conv2dOp: Operator {
    let name = "conv2d"
    let paramNames = ["n", "c", "h", "w", "f", "kh", "kw"]
    var attrDefaults: AttrMap {
        [
            "stride": .ints([1, 1]), "padding": .ints([0, 0]), "dilation": .ints([1, 1]), "groups": .int(1),
            "bias": .bool(false),
        ]
    }
    var specialValues: SpecialValueSet { .withoutNearMax }

    /// Output spatial size, or nil when the window does not fit.
    static func outputSize(input: Int, kernel: Int, stride: Int, padding: Int, dilation: Int) -> Int? {
        let span = input + 2 * padding - dilation * (kernel - 1) - 1
        return span < 0 ? nil : span / stride + 1
    }

    func resolve(params: AttrMap, attrs: AttrMap, dtype: DType) throws -> OpProblem {
        let p = ProblemParams(op: name, params: params, attrs: attrs)
        let n = try p.int("n")
        let c = try p.int("c", minimum: 1)
        let h = try p.int("h")
        let w = try p.int("w")
        let f = try p.int("f", minimum: 1)
        let kh = try p.int("kh", minimum: 1)
        let kw = try p.int("kw", minimum: 1)
        let stride = try p.ints("stride", count: 2)
        let padding = try p.ints("padding", count: 2)
        let dilation = try p.ints("dilation", count: 2)
        let groups = attrs["groups"]?.intValue ?? 0
        guard stride.allSatisfy({ $0 >= 1 }), dilation.allSatisfy({ $0 >= 1 }), padding.allSatisfy({ $0 >= 0 }) else {
            throw OpError(field: "attrs", "conv2d stride and dilation must be ≥ 1 and padding ≥ 0")
        }
        guard groups >= 1, c % groups == 0, f % groups == 0 else {
            throw OpError(field: "attrs", "conv2d groups=\(groups) must divide c=\(c) and f=\(f)")
        }
        guard
            let oh = Conv2dOp.outputSize(
                input: h,
                kernel: kh,
                stride: stride[0],
                padding: padding[0],
                dilation: dilation[0]
            ),
            let ow = Conv2dOp.outputSize(
                input: w,
                kernel: kw,
                stride: stride[1],
                padding: padding[1],
                dilation: dilation[1]
            )
        else {
            throw OpError(
                field: "shapes",
                "conv2d kernel \(kh)x\(kw) (dilated) does not fit the padded input \(h)x\(w)"
            )
        }
        var inputs = [
            TensorSpec(name: "x", dtype: dtype, shape: [n, c, h, w]),
            TensorSpec(name: "weight", dtype: dtype, shape: [f, c / groups, kh, kw]),
        ]
        if try p.bool("bias") { inputs.append(TensorSpec(name: "bias", dtype: dtype, shape: [f], role: .parameter)) }
        guard let reduction = Shape([c / groups, kh, kw]).checkedElementCount else {
            throw OpError(field: "shapes", "conv2d reduction length c/groups·kh·kw overflows")
        }
        return p.problem(
            dtype: dtype,
            inputs: inputs,
            output: TensorSpec(name: "out", dtype: dtype, shape: [n, f, oh, ow]),
            flops: 2 * Double(n) * Double(f) * Double(oh) * Double(ow) * Double(reduction),
            reductionLength: reduction
        )
    }

    func reference(_ problem: OpProblem, inputs: [RefTensor]) -> RefTensor {
        let g = Conv2dGeometry(problem)
        let (n, c, h, w, f, kh, kw) = (g.n, g.c, g.h, g.w, g.f, g.kh, g.kw)
        let (stride, padding, dilation, groups, oh, ow) = (g.stride, g.padding, g.dilation, g.groups, g.oh, g.ow)
        let x = inputs[0].data
        let weight = inputs[1].data
        let bias = inputs.count > 2 ? inputs[2].data : nil
        let channelsPerGroup = c / groups
        let filtersPerGroup = f / groups
        var out = [Double](repeating: 0, count: n * f * oh * ow)
        for batch in 0..<n {
            for filter in 0..<f {
                let group = filter / filtersPerGroup
                for oy in 0..<oh {
                    for ox in 0..<ow {
                        var sum = 0.0
                        for ci in 0..<channelsPerGroup {
                            let channel = group * channelsPerGroup + ci
                            for ky in 0..<kh {
                                let iy = oy * stride.0 - padding.0 + ky * dilation.0
                                guard iy >= 0, iy < h else { continue }
                                for kx in 0..<kw {
                                    let ix = ox * stride.1 - padding.1 + kx * dilation.1
                                    guard ix >= 0, ix < w else { continue }
                                    sum +=
                                        x[((batch * c + channel) * h + iy) * w + ix]
                                        * weight[((filter * channelsPerGroup + ci) * kh + ky) * kw + kx]
                                }
                            }
                        }
                        out[((batch * f + filter) * oh + oy) * ow + ox] = sum + (bias?[filter] ?? 0)
                    }
                }
            }
        }
        return RefTensor(shape: [n, f, oh, ow], data: out)
    }
}

extension Array where Element == Int {
    /// A one-element list stands for the same value on every axis.
    func expanded(to count: Int) -> [Int] { self.count == 1 ? Array(repeating: self[0], count: count) : self }
}

extension Conv2dOp {
    /// The convolution rounded to T before the bias is added (a second rounding).
    func stagedRounding(_ input: StagingInput) -> [Double]? {
        guard input.inputs.count > 2 else { return nil }
        let (problem, inputs, expected, magnitudes, staging) = (
            input.problem, input.inputs, input.expected, input.magnitudes, input.staging
        )
        let out = problem.output.shape.dims
        let plane = Swift.max(1, out[2] * out[3])
        let filters = Swift.max(1, out[1])
        return staging.biasStaging(
            expected: expected,
            magnitudes: magnitudes,
            bias: inputs[2].data,
            reductionLength: problem.reductionLength
        ) { $0 / plane % filters }
    }

    func feeding(_ problem: OpProblem, inputs: [RefTensor], at index: [Int]) -> String? {
        index.count == 4 ? "image \(index[0]), filter \(index[1]), output position (\(index[2]), \(index[3]))" : nil
    }
}
