import AssayBench
import AssayCore
import AssayOps
import Foundation

/// Measures what the protocol costs (Benchmarks/protocol): the round trip of a tiny `execute`
/// and the throughput of a large `copy` (its bytes go in and come back), through the plugin
/// with feature `shm` agreed and through a second instance of it kept on the pipe, next to
/// peers that do the same traffic with nothing on top: a raw pipe to a minimal Python echo
/// process (timed with the same reader and writer) and two plain memory copies (into a
/// buffer, out into a fresh array: what the shared-memory path cannot avoid). The peers are
/// measured interleaved, round by round, so a machine busy with other work slows all alike.
public struct PluginProtocolBenchmark {
    public var command: [String]
    public var roundTrips: Int
    public var bytes: Int
    public var repeats: Int

    /// Round trips are timed in this many interleaved blocks.
    static let blocks = 10

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
        self.command = command
        self.roundTrips = roundTrips
        self.bytes = bytes
        self.repeats = repeats
    }

    /// Medians and single bests: latencies in nanoseconds, throughputs in bytes per second
    /// (bytes sent plus received). A best is the fastest single round trip or copy.
    public struct Figures: Sendable {
        public var shmLatencyNs: Double
        public var pipeLatencyNs: Double
        public var rawPipeLatencyNs: Double
        public var shmBytesPerSecond: Double
        public var pipeBytesPerSecond: Double
        public var rawPipeBytesPerSecond: Double
        public var memcpyBytesPerSecond: Double
        /// The bests, in the order shm, pipe, raw pipe (latency) and shm, pipe, raw pipe, memcpy (throughput).
        public var bestLatencyNs: [Double] = []
        public var bestBytesPerSecond: [Double] = []
        public var bytes: Int
        /// Why the plugin kept the pipe although it was offered shm (nil: it used shared memory).
        public var sharedMemoryRefusal: String?
        /// /proc/loadavg's 1, 5 and 15 minute averages at the start and the end (empty where unreadable):
        /// figures from a shared machine are quoted with them.
        public var loadAverages: [String] = []

        public static let latencyGoalNs = 50_000.0
        public static let shmGoalBytesPerSecond = 5e9

        public var report: String {
            func cell(_ value: Double) -> String {
                let text = String(format: "%.3f", value)
                return String(repeating: " ", count: max(0, 12 - text.count)) + text
            }
            func label(_ name: String) -> String { name + String(repeating: " ", count: max(0, 29 - name.count)) }
            let latencyMet = shmLatencyNs <= Figures.latencyGoalNs ? "met" : "missed"
            let throughputMet =
                sharedMemoryRefusal == nil && shmBytesPerSecond >= Figures.shmGoalBytesPerSecond ? "met" : "missed"
            let name = "\(bytes >> 20) MiB copy (GB/s)"
            var lines = [
                "metric                           assay shm  assay pipe    raw pipe      memcpy   goal",
                "round trip, tiny execute (µs)\(cell(shmLatencyNs / 1e3))\(cell(pipeLatencyNs / 1e3))\(cell(rawPipeLatencyNs / 1e3))           -   median ≤ 50 µs (assay shm): \(latencyMet)",
                "\(label(name))\(cell(shmBytesPerSecond / 1e9))\(cell(pipeBytesPerSecond / 1e9))\(cell(rawPipeBytesPerSecond / 1e9))\(cell(memcpyBytesPerSecond / 1e9))   ≥ 5 GB/s through shm: \(throughputMet)",
            ]
            if bestLatencyNs.count == 3, bestBytesPerSecond.count == 4 {
                lines += [
                    label("  best single round trip (µs)") + bestLatencyNs.map { cell($0 / 1e3) }.joined() + "           -",
                    label("  best single copy (GB/s)") + bestBytesPerSecond.map { cell($0 / 1e9) }.joined(),
                ]
            }
            lines.append(
                "(medians, then single bests; throughput counts the bytes sent plus the bytes received; the peers were run interleaved)"
            )
            if loadAverages.count == 2 {
                lines.append("load average (1, 5, 15 min): \(loadAverages[0]) at the start, \(loadAverages[1]) at the end")
            }
            if let sharedMemoryRefusal { lines.append("shared memory refused: \(sharedMemoryRefusal)") }
            return lines.joined(separator: "\n")
        }
    }

    /// The first three fields of /proc/loadavg, or nil where it cannot be read.
    static func loadAverage() -> String? {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    public func run() throws -> Figures {
        let loadAtStart = PluginProtocolBenchmark.loadAverage()
        let clock = MonotonicClock()
        func median(_ values: [Double]) -> Double { Statistics.quantile(sorted: values.sorted(), 0.5) }
        func time(_ count: Int, _ body: () throws -> Void) rethrows -> [Double] {
            try (0..<count).map { _ in
                let start = clock.nanoseconds()
                try body()
                return Double(clock.nanoseconds() - start)
            }
        }

        let shm = PluginBackend(configuration: PluginConfiguration(command: command, maxRestarts: 0))
        defer { shm.shutdown() }
        var pipeConfiguration = PluginConfiguration(command: command, maxRestarts: 0)
        pipeConfiguration.features.removeAll { $0 == "shm" }
        let pipe = PluginBackend(configuration: pipeConfiguration)
        defer { pipe.shutdown() }
        _ = try shm.describe()
        _ = try pipe.describe()
        let tiny = try copyCase(elements: 1)
        let large = try copyCase(elements: bytes / 4)
        let largeBytes = large.1[0].bytes

        let echo = try PluginProcess(
            argv: ["python3", "-c", PluginProtocolBenchmark.echoScript],
            environment: ProcessInfo.processInfo.environment,
            directory: nil
        )
        defer { echo.kill() }
        func echoOnce(_ payload: [UInt8]) throws {
            let deadline = Deadline(seconds: 60)
            try echo.write(Array("\(payload.count)\n".utf8), deadline: deadline)
            try echo.write(payload, deadline: deadline)
            _ = try echo.readLine(limit: 64, deadline: deadline)
            var back = [UInt8](repeating: 0, count: payload.count)
            try back.withUnsafeMutableBytes { try echo.readExact(into: $0, deadline: deadline) }
        }
        let staging = UnsafeMutableRawBufferPointer.allocate(byteCount: largeBytes.count, alignment: 64)
        defer { staging.deallocate() }
        func memcpyOnce() {
            largeBytes.withUnsafeBytes { staging.copyMemory(from: $0) }
            let back = [UInt8](unsafeUninitializedCapacity: largeBytes.count) { buffer, count in
                SharedMemoryRegion.adviseHugePages(UnsafeMutableRawBufferPointer(buffer))  // as the shm path does
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(staging))
                count = largeBytes.count
            }
            precondition(back.count == largeBytes.count)
        }
        let tinyBytes = [UInt8](repeating: 7, count: 4)

        // Warm-up: lazy initialisation on both sides, the region's pages, the pipes' buffers.
        for _ in 0..<50 {
            _ = try shm.execute(tiny.0, inputs: tiny.1)
            _ = try pipe.execute(tiny.0, inputs: tiny.1)
            try echoOnce(tinyBytes)
        }
        _ = try shm.execute(large.0, inputs: large.1)
        _ = try pipe.execute(large.0, inputs: large.1)
        try echoOnce(largeBytes)
        memcpyOnce()

        var latency: [[Double]] = [[], [], []]
        let perBlock = max(1, roundTrips / PluginProtocolBenchmark.blocks)
        for _ in 0..<PluginProtocolBenchmark.blocks {
            latency[0] += try time(perBlock) { _ = try shm.execute(tiny.0, inputs: tiny.1) }
            latency[1] += try time(perBlock) { _ = try pipe.execute(tiny.0, inputs: tiny.1) }
            latency[2] += try time(perBlock) { try echoOnce(tinyBytes) }
        }
        var large4: [[Double]] = [[], [], [], []]
        for _ in 0..<repeats {
            large4[0] += try time(1) { _ = try shm.execute(large.0, inputs: large.1) }
            large4[1] += try time(1) { _ = try pipe.execute(large.0, inputs: large.1) }
            large4[2] += try time(1) { try echoOnce(largeBytes) }
            large4[3] += time(1) { memcpyOnce() }
        }
        let moved = Double(2 * largeBytes.count)
        let rates = large4.map { moved / median($0) * 1e9 }
        var figures = Figures(
            shmLatencyNs: median(latency[0]),
            pipeLatencyNs: median(latency[1]),
            rawPipeLatencyNs: median(latency[2]),
            shmBytesPerSecond: rates[0],
            pipeBytesPerSecond: rates[1],
            rawPipeBytesPerSecond: rates[2],
            memcpyBytesPerSecond: rates[3],
            bytes: largeBytes.count,
            sharedMemoryRefusal: shm.usesSharedMemory
                ? nil : shm.sharedMemoryRefusal ?? "the plugin did not agree feature shm"
        )
        figures.bestLatencyNs = latency.map { $0.min() ?? .nan }
        figures.bestBytesPerSecond = large4.map { moved / ($0.min() ?? .nan) * 1e9 }
        if let loadAtStart, let loadAtEnd = PluginProtocolBenchmark.loadAverage() {
            figures.loadAverages = [loadAtStart, loadAtEnd]
        }
        return figures
    }

    /// A `copy` of `elements` f32 values and its input.
    private func copyCase(elements: Int) throws -> (OpProblem, [Tensor]) {
        let problem = try OpCatalogue.standard.problem(
            op: "copy",
            params: ["shape": .ints([elements])],
            attrs: [:],
            dtype: .f32
        )
        return (problem, [Tensor(float32: (0..<elements).map { Float($0 % 1000) }, shape: Shape([elements]))])
    }
}
