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
    }

    private static let replyKeys: [StaticString] = [
        "type", "id", "payload_bytes", "outputs", "elapsed_ns", "telemetry", "peak_bytes",
    ]
    private static let tensorKeys: [StaticString] = ["dtype", "shape", "nbytes", "shm_offset"]
    private static let telemetryKeys: [StaticString] = ["sm_clock_mhz", "mem_clock_mhz", "power_w", "temperature_c"]

    private func reply(_ scanner: inout ReplyScanner, answering expected: PluginMessage.Expectation?) -> PluginMessage?
    {
        var fields = Fields()
        let complete = scanner.object(known: Self.replyKeys) { scanner, index in
            switch index {  // as in replyKeys
            case 0:
                fields.type = scanner.string()
                return fields.type != nil
            case 1: return scanner.optionalInteger(into: &fields.id)
            case 2:
                var bytes: Int?
                guard scanner.optionalInteger(into: &bytes) else { return false }
                fields.payloadBytes = bytes ?? 0
                return true
            case 3:
                fields.outputs = tensors(&scanner)
                return fields.outputs != nil
            case 4:
                var values: [Double] = []
                guard scanner.array({ scanner in scanner.double().map { values.append($0) } != nil }) else {
                    return false
                }
                fields.elapsed = values
                return true
            case 5:
                if scanner.null() { return true }
                fields.telemetry = telemetry(&scanner)
                return fields.telemetry != nil
            default:  // `peak_bytes` of `benchmark_graph`: rare, so the reference reads it
                return false
            }
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
            let object = scanner.object(known: Self.tensorKeys) { scanner, index in
                switch index {  // as in tensorKeys
                case 0:
                    guard let token = scanner.string() else { return false }
                    dtype = scanner.text(token)
                    return true
                case 1:
                    var dims: [Int] = []
                    guard scanner.array({ scanner in scanner.integer().map { dims.append($0) } != nil }) else {
                        return false
                    }
                    shape = dims
                    return true
                case 2: return scanner.optionalInteger(into: &nbytes)
                default: return scanner.optionalInteger(into: &shmOffset)
                }
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
            let object = scanner.object(known: Self.telemetryKeys) { scanner, index in
                if scanner.null() { return true }
                guard let value = scanner.double() else { return false }
                switch index {  // as in telemetryKeys
                case 0: sample.smClockMHz = value
                case 1: sample.memClockMHz = value
                case 2: sample.powerWatts = value
                default: sample.temperatureC = value
                }
                return true
            }
            guard object else { return false }
            entries.append(sample)
            return true
        }
        return complete ? entries : nil
    }
}
