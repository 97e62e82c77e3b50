/// The vectorised row and elementwise kernels a scalar type may have (f32: CAssayKernels).
/// Types without them (f64) use the generic Swift loops in `NativeKernels`.
protocol RowKernels {
    static var hasRowKernels: Bool { get }
    static func softmaxRows(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, rows: Int, n: Int, logarithmic: Bool)
    static func layerNormRows(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, rows: Int, n: Int, weight: [Self], bias: [Self], eps: Double)
    static func rmsNormRows(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, rows: Int, n: Int, weight: [Self], eps: Double)
    static func activation(_ op: String, _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int, tanhForm: Bool)
    static func elementwise(add: Bool, _ a: [Self], _ b: [Self]) -> [Self]
    static func sum(_ x: UnsafePointer<Self>, count: Int) -> Self
}

extension RowKernels {
    static var hasRowKernels: Bool { false }
    static func softmaxRows(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, rows: Int, n: Int, logarithmic: Bool) {}
    static func layerNormRows(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, rows: Int, n: Int, weight: [Self], bias: [Self], eps: Double) {}
    static func rmsNormRows(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, rows: Int, n: Int, weight: [Self], eps: Double) {}
    static func activation(_ op: String, _ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int, tanhForm: Bool) {}
    static func elementwise(add: Bool, _ a: [Self], _ b: [Self]) -> [Self] { [] }
}

extension Double: RowKernels {
    static func sum(_ x: UnsafePointer<Double>, count: Int) -> Double { (0..<count).reduce(0) { $0 + x[$1] } }
}
extension Float: RowKernels {
    static func sum(_ x: UnsafePointer<Float>, count: Int) -> Float { (0..<count).reduce(0) { $0 + x[$1] } }
}
