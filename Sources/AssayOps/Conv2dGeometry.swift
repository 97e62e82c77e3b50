/// The sizes and attributes of a conv2d problem (NCHW input, F·C/g·KH·KW weight), read in one place
/// for the float64 reference and the native kernels.
public struct Conv2dGeometry: Sendable {
    public let n: Int, c: Int, h: Int, w: Int, f: Int, kh: Int, kw: Int
    /// (y, x) pairs; a one-element attribute stands for both axes.
    public let stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int)
    public let groups: Int
    /// Output height and width.
    public let oh: Int, ow: Int

    public init(_ problem: OpProblem) {
        (n, c, h, w) = (problem.int("n"), problem.int("c"), problem.int("h"), problem.int("w"))
        (f, kh, kw) = (problem.int("f"), problem.int("kh"), problem.int("kw"))
        let pair = { (name: String) -> (Int, Int) in
            let values = problem.attrInts(name).expanded(to: 2)
            return (values[0], values[1])
        }
        (stride, padding, dilation) = (pair("stride"), pair("padding"), pair("dilation"))
        groups = problem.attrs["groups"]?.intValue ?? 1
        (oh, ow) = (problem.output.shape[2], problem.output.shape[3])
    }
}
