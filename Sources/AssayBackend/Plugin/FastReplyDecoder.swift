import AssayBench
import AssayCore

/// Decodes the replies a harness reads once per request (`result`, `samples`) straight from the
/// header's bytes, without Foundation: `JSONDecoder` was about 40% of the harness's CPU in a tiny
/// round trip. It accepts a line only when it is certain that the reference path
/// (`PluginMessage.parseReference`, `JSONDecoder` plus the checks of `PluginMessage.init(from:)`)
/// accepts it with the same value; anything else — every error, and whatever is merely unusual
/// (escapes, non-ASCII, duplicate keys, integers written as `1.0` or `1e2`, numbers at the edge of
/// their range, other reply kinds) — returns nil, and the caller asks the reference path, which
/// decodes it or names the problem. So errors and their messages are the reference's by
/// construction, and `FastReplyDecoderTests` checks agreement on a fuzzed corpus.
struct FastReplyDecoder {
    /// Refuse a sample that is not positive and finite. False only in the test showing that the
    /// agreement check catches a lenient decoder.
    var checksSamples = true

    func decode(_ line: ArraySlice<UInt8>, answering expected: PluginMessage.Expectation?) -> PluginMessage? {
        line.withUnsafeBufferPointer { bytes in
            var scanner = ReplyScanner(bytes: bytes)
            return reply(&scanner, answering: expected)
        }
    }

    /// The fields a `result` or `samples` header may carry, before they are put together.
    private struct Fields {
        var type: ReplyScanner.Token?
        var id: Int?
        var payloadBytes = 0
        var outputs: [WireTensor]?
        var elapsed: [Double]?
        var telemetry: [TelemetrySample?]?
        var seen: UInt8 = 0
    }

    private static let typeBit: UInt8 = 1
    private static let idBit: UInt8 = 2
    private static let payloadBit: UInt8 = 4
    private static let outputsBit: UInt8 = 8
    private static let elapsedBit: UInt8 = 16
    private static let telemetryBit: UInt8 = 32

    private func reply(_ scanner: inout ReplyScanner, answering expected: PluginMessage.Expectation?) -> PluginMessage? {
        var fields = Fields()
        var otherKeys: [ReplyScanner.Token] = []
        let complete = scanner.object { scanner, key in
            let bit: UInt8
            if scanner.equals(key, "type") {
                bit = Self.typeBit
                guard let token = scanner.string() else { return false }
                fields.type = token
            } else if scanner.equals(key, "id") {
                bit = Self.idBit
                if !scanner.null() {
                    guard let id = scanner.integer() else { return false }
                    fields.id = id
                }
            } else if scanner.equals(key, "payload_bytes") {
                bit = Self.payloadBit
                if !scanner.null() {
                    guard let bytes = scanner.integer() else { return false }
                    fields.payloadBytes = bytes
                }
            } else if scanner.equals(key, "outputs") {
                bit = Self.outputsBit
                guard let outputs = tensors(&scanner) else { return false }
                fields.outputs = outputs
            } else if scanner.equals(key, "elapsed_ns") {
                bit = Self.elapsedBit
                var values: [Double] = []
                guard scanner.array({ scanner in scanner.double().map { values.append($0) } != nil }) else { return false }
                fields.elapsed = values
            } else if scanner.equals(key, "telemetry") {
                bit = Self.telemetryBit
                if !scanner.null() {
                    guard let entries = telemetry(&scanner) else { return false }
                    fields.telemetry = entries
                }
            } else {
                // Unknown fields are ignored (docs/PROTOCOL.md, Versioning), but must be JSON and unique.
                guard !otherKeys.contains(where: { scanner.equals($0, key) }) else { return false }
                otherKeys.append(key)
                return scanner.skipValue()
            }
            guard fields.seen & bit == 0 else { return false }
            fields.seen |= bit
            return true
        }
        guard complete, scanner.atEnd, let type = fields.type else { return nil }
        let kind: PluginMessage.Kind
        if scanner.equals(type, "result") {
            kind = .result
        } else if scanner.equals(type, "samples") {
            kind = .samples
        } else {
            return nil
        }
        if let expected, expected.kind != kind { return nil }
        switch kind {
        case .result:
            guard let outputs = fields.outputs else { return nil }
            return .result(id: fields.id, outputs: outputs, payloadBytes: fields.payloadBytes)
        default:
            guard fields.payloadBytes == 0, let elapsed = fields.elapsed else { return nil }
            if let count = expected?.count, elapsed.count != count { return nil }
            if checksSamples, !elapsed.allSatisfy({ $0.isFinite && $0 > 0 }) { return nil }
            guard let telemetry = fields.telemetry else {
                return .samples(id: fields.id, elapsed.map { MeasuredSample(elapsedNanoseconds: $0) })
            }
            guard telemetry.count == elapsed.count else { return nil }
            return .samples(
                id: fields.id,
                zip(elapsed, telemetry).map { MeasuredSample(elapsedNanoseconds: $0, telemetry: $1) }
            )
        }
    }

    /// `[{"dtype":…,"shape":[…],"nbytes":…,"shm_offset":…}, …]`, as `WireTensor` decodes them.
    private func tensors(_ scanner: inout ReplyScanner) -> [WireTensor]? {
        var tensors: [WireTensor] = []
        let complete = scanner.array { scanner in
            var dtype: String?
            var shape: [Int]?
            var nbytes: Int?
            var shmOffset: Int?
            var seen: UInt8 = 0
            var otherKeys: [ReplyScanner.Token] = []
            let object = scanner.object { scanner, key in
                let bit: UInt8
                if scanner.equals(key, "dtype") {
                    bit = 1
                    guard let token = scanner.string() else { return false }
                    dtype = scanner.text(token)
                } else if scanner.equals(key, "shape") {
                    bit = 2
                    var dims: [Int] = []
                    guard scanner.array({ scanner in scanner.integer().map { dims.append($0) } != nil }) else {
                        return false
                    }
                    shape = dims
                } else if scanner.equals(key, "nbytes") {
                    bit = 4
                    if !scanner.null() {
                        guard let value = scanner.integer() else { return false }
                        nbytes = value
                    }
                } else if scanner.equals(key, "shm_offset") {
                    bit = 8
                    if !scanner.null() {
                        guard let value = scanner.integer() else { return false }
                        shmOffset = value
                    }
                } else {
                    guard !otherKeys.contains(where: { scanner.equals($0, key) }) else { return false }
                    otherKeys.append(key)
                    return scanner.skipValue()
                }
                guard seen & bit == 0 else { return false }
                seen |= bit
                return true
            }
            guard object, let dtype, let shape else { return false }
            var tensor = WireTensor(dtype: dtype, shape: shape, nbytes: nbytes)
            tensor.shmOffset = shmOffset
            tensors.append(tensor)
            return true
        }
        return complete ? tensors : nil
    }

    /// `telemetry`: one entry per sample, each null or an object of optional numbers.
    private func telemetry(_ scanner: inout ReplyScanner) -> [TelemetrySample?]? {
        var entries: [TelemetrySample?] = []
        let complete = scanner.array { scanner in
            if scanner.null() {
                entries.append(nil)
                return true
            }
            var sample = TelemetrySample()
            var seen: UInt8 = 0
            var otherKeys: [ReplyScanner.Token] = []
            let object = scanner.object { scanner, key in
                let bit: UInt8
                let field: WritableKeyPath<TelemetrySample, Double?>
                if scanner.equals(key, "sm_clock_mhz") {
                    (bit, field) = (1, \.smClockMHz)
                } else if scanner.equals(key, "mem_clock_mhz") {
                    (bit, field) = (2, \.memClockMHz)
                } else if scanner.equals(key, "power_w") {
                    (bit, field) = (4, \.powerWatts)
                } else if scanner.equals(key, "temperature_c") {
                    (bit, field) = (8, \.temperatureC)
                } else {
                    guard !otherKeys.contains(where: { scanner.equals($0, key) }) else { return false }
                    otherKeys.append(key)
                    return scanner.skipValue()
                }
                guard seen & bit == 0 else { return false }
                seen |= bit
                if scanner.null() { return true }
                guard let value = scanner.double() else { return false }
                sample[keyPath: field] = value
                return true
            }
            guard object else { return false }
            entries.append(sample)
            return true
        }
        return complete ? entries : nil
    }
}
