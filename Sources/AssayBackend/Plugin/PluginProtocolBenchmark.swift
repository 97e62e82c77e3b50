import AssayBench
import AssayCore
import AssayOps
import Foundation

/// Measures what the protocol costs on top of a plain pipe (Benchmarks/protocol): the round trip
/// of a tiny `execute` and the throughput of a large `copy` (its bytes go in and come back),
/// each next to the same traffic through a raw pipe to a minimal Python echo process, timed
/// with the same reader and writer.
public struct PluginProtocolBenchmark {
    public var command: [String]
    public var roundTrips: Int
    public var bytes: Int
    public var repeats: Int

    /// The raw-pipe baseline: reads `N\n` and N bytes, writes them back.
    static let echoScript = """
    import os, sys
    inp, out = os.fdopen(0, "rb", buffering=1 << 16), os.fdopen(1, "wb", buffering=1 << 16)
    while True:
        line = inp.readline()
        if not line:
            sys.exit(0)
        n = int(line)
        buf = bytearray(n)
        view, got = memoryview(buf), 0
        while got < n:
            k = inp.readinto(view[got:])
            if not k:
                sys.exit(0)
            got += k
        out.write(b"%d\\n" % n)
        out.write(buf)
        out.flush()
    """

    public init(command: [String], roundTrips: Int, bytes: Int, repeats: Int) {
        self.command = command; self.roundTrips = roundTrips; self.bytes = bytes; self.repeats = repeats
    }

    public struct Figures: Sendable {
        public var protocolLatencyMedianNs: Double
        public var pipeLatencyMedianNs: Double
        public var protocolBytesPerSecond: Double
        public var pipeBytesPerSecond: Double
        public var bytes: Int

        public var report: String {
            let latencyRatio = protocolLatencyMedianNs / pipeLatencyMedianNs
            let throughputRatio = protocolBytesPerSecond / pipeBytesPerSecond
            return """
            metric                          protocol      raw pipe     ratio   goal
            round trip, tiny execute (µs)   \(pad(protocolLatencyMedianNs / 1e3))  \(pad(pipeLatencyMedianNs / 1e3))  \(pad(latencyRatio, width: 8))   median ≤ 100 µs: \(protocolLatencyMedianNs <= 100_000 ? "met" : "missed")
            throughput, \(bytes >> 20) MiB copy (GB/s)  \(pad(protocolBytesPerSecond / 1e9))  \(pad(pipeBytesPerSecond / 1e9))  \(pad(throughputRatio, width: 8))   ≥ 1 GB/s and ≥ 0.5 × pipe: \(protocolBytesPerSecond >= 1e9 && throughputRatio >= 0.5 ? "met" : "missed")
            (throughput counts the bytes sent plus the bytes received; medians)
            """
        }

        private func pad(_ value: Double, width: Int = 12) -> String {
            let text = String(format: "%.3f", value)
            return String(repeating: " ", count: max(0, width - text.count)) + text
        }
    }

    public func run() throws -> Figures {
        let clock = MonotonicClock()
        func median(_ values: [Double]) -> Double { Statistics.quantile(sorted: values.sorted(), 0.5) }
        func time(_ count: Int, _ body: () throws -> Void) rethrows -> [Double] {
            try (0..<count).map { _ in
                let start = clock.nanoseconds()
                try body()
                return Double(clock.nanoseconds() - start)
            }
        }

        let backend = PluginBackend(configuration: PluginConfiguration(command: command, maxRestarts: 0))
        defer { backend.shutdown() }
        _ = try backend.describe()
        let tiny = try copyCase(elements: 1)
        let large = try copyCase(elements: bytes / 4)
        _ = try time(50) { _ = try backend.execute(tiny.0, inputs: tiny.1) }  // warm-up
        let protocolLatency = try time(roundTrips) { _ = try backend.execute(tiny.0, inputs: tiny.1) }
        _ = try backend.execute(large.0, inputs: large.1)
        let protocolLarge = try time(repeats) { _ = try backend.execute(large.0, inputs: large.1) }

        let echo = try PluginProcess(argv: ["python3", "-c", PluginProtocolBenchmark.echoScript], environment: ProcessInfo.processInfo.environment, directory: nil)
        defer { echo.kill() }
        let tinyBytes = [UInt8](repeating: 7, count: 4)
        let largeBytes = large.1[0].bytes
        func echoOnce(_ payload: [UInt8]) throws {
            let deadline = Deadline(seconds: 60)
            try echo.write(Array("\(payload.count)\n".utf8), deadline: deadline)
            try echo.write(payload, deadline: deadline)
            _ = try echo.readLine(limit: 64, deadline: deadline)
            var back = [UInt8](repeating: 0, count: payload.count)
            try back.withUnsafeMutableBytes { try echo.readExact(into: $0, deadline: deadline) }
        }
        _ = try time(50) { try echoOnce(tinyBytes) }
        let pipeLatency = try time(roundTrips) { try echoOnce(tinyBytes) }
        try echoOnce(largeBytes)
        let pipeLarge = try time(repeats) { try echoOnce(largeBytes) }

        let moved = Double(2 * largeBytes.count)
        return Figures(protocolLatencyMedianNs: median(protocolLatency), pipeLatencyMedianNs: median(pipeLatency),
                       protocolBytesPerSecond: moved / median(protocolLarge) * 1e9, pipeBytesPerSecond: moved / median(pipeLarge) * 1e9,
                       bytes: largeBytes.count)
    }

    /// A `copy` of `elements` f32 values and its input.
    private func copyCase(elements: Int) throws -> (OpProblem, [Tensor]) {
        let problem = try OpCatalogue.standard.problem(op: "copy", params: ["shape": .ints([elements])], attrs: [:], dtype: .f32)
        return (problem, [Tensor(float32: (0..<elements).map { Float($0 % 1000) }, shape: Shape([elements]))])
    }
}
