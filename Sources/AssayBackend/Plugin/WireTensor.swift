import AssayCore

/// A tensor descriptor as the protocol writes it: `{"dtype": "f32", "shape": [2, 3], "nbytes": 24}`.
struct WireTensor: Codable, Equatable {
    var dtype: String
    var shape: [Int]
    var nbytes: Int?
    /// Feature shm: where in the shared region the bytes are (instead of the pipe payload).
    var shmOffset: Int?

    enum CodingKeys: String, CodingKey {
        case dtype, shape, nbytes
        case shmOffset = "shm_offset"
    }

    init(dtype: String, shape: [Int], nbytes: Int?) {
        self.dtype = dtype
        self.shape = shape
        self.nbytes = nbytes
    }

    init(dtype: DType, shape: Shape) {
        self.dtype = dtype.rawValue
        self.shape = shape.dims
        nbytes = shape.elementCount * dtype.byteWidth
    }

    /// `{"dtype":…,"shape":[…],"nbytes":…,"shm_offset":…}`, the optional members when present.
    func write(to writer: inout JSONHeaderWriter) {
        writer.beginObject()
        writer.field("dtype", dtype)
        writer.key("shape")
        writer.beginArray()
        for dim in shape { writer.number(dim) }
        writer.endArray()
        if let nbytes { writer.field("nbytes", nbytes) }
        if let shmOffset { writer.field("shm_offset", shmOffset) }
        writer.endObject()
    }

    /// Checks a list of descriptors against the announced payload before anything is allocated:
    /// known dtype, non-negative dims, `nbytes` = product(shape) × itemsize (no overflow),
    /// the sum of those in the pipe = `payloadBytes`, the sum of all ≤ `cap`; one with `shm_offset`
    /// lies inside `shmWindow` (feature shm). Returns each tensor's dtype, shape and byte count.
    static func validate(
        _ tensors: [WireTensor],
        payloadBytes: Int,
        cap: Int,
        field: String,
        shmWindow: Range<Int>? = nil
    ) throws -> [(DType, Shape, Int)] {
        guard payloadBytes >= 0 else { throw PluginIOError.violation("payload_bytes \(payloadBytes) is negative") }
        guard payloadBytes <= cap else {
            throw PluginIOError.violation(
                "payload_bytes \(payloadBytes) exceeds \(cap) bytes, the largest reply this request allows"
            )
        }
        var total = 0
        var shared = 0
        let checked = try tensors.enumerated().map { index, tensor -> (DType, Shape, Int) in
            let place = "\(field)[\(index)]"
            guard let dtype = DType(rawValue: tensor.dtype) else {
                throw PluginIOError.violation("\(place): unknown dtype '\(tensor.dtype)'")
            }
            guard tensor.shape.allSatisfy({ $0 >= 0 }) else {
                throw PluginIOError.violation("\(place): negative dim in shape \(tensor.shape)")
            }
            var bytes = dtype.byteWidth
            for dim in tensor.shape {
                let (product, overflow) = bytes.multipliedReportingOverflow(by: dim)
                guard !overflow, product <= cap else {
                    throw PluginIOError.violation("\(place): shape \(tensor.shape) exceeds the payload cap")
                }
                bytes = product
            }
            guard tensor.nbytes == bytes else {
                throw PluginIOError.violation(
                    "\(place): nbytes \(tensor.nbytes.map(String.init) ?? "missing") != product(shape \(tensor.shape)) × \(dtype.byteWidth) = \(bytes)"
                )
            }
            if let offset = tensor.shmOffset {
                guard let window = shmWindow else {
                    throw PluginIOError.violation("\(place): shm_offset but no shared-memory window was offered")
                }
                guard offset >= window.lowerBound, bytes <= window.upperBound - offset else {
                    throw PluginIOError.violation(
                        "\(place): shm_offset \(offset) + nbytes \(bytes) lies outside the window \(window.lowerBound)..<\(window.upperBound) offered"
                    )
                }
                shared += bytes  // each ≤ cap: no overflow before the comparison
                guard shared <= cap - payloadBytes else {
                    throw PluginIOError.violation(
                        "\(field): nbytes in shared memory exceed \(cap - payloadBytes) bytes, the rest of the largest reply"
                    )
                }
                return (dtype, Shape(tensor.shape), bytes)
            }
            total += bytes  // each ≤ cap, so the sum of a sane count cannot overflow before it is compared
            guard total <= payloadBytes else {
                throw PluginIOError.violation("\(field): sum of nbytes exceeds payload_bytes \(payloadBytes)")
            }
            return (dtype, Shape(tensor.shape), bytes)
        }
        guard total == payloadBytes else {
            throw PluginIOError.violation("\(field): sum of nbytes \(total) != payload_bytes \(payloadBytes)")
        }
        return checked
    }
}
