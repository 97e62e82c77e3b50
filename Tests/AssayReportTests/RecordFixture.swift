import AssayCore
import Foundation

/// A synthetic run record with every outcome, evidence, performance cases (compute-bound,
/// memory-only, throttled), system checks, applied and expired waivers and a planned case
/// that never ran — and, when asked, a hostile string in every free-text field.
enum RecordFixture {
    static let hostile = "<script>alert(1)</script>"

    static func record(
        hostile: Bool = false,
        target targetID: String = "lab-npu",
        runID: String = "20261124T080000Z-aaaa0001",
        matmulMedian: Double = 2_000_000,
        omit: Set<String> = []
    ) -> RunRecord {
        let text = hostile ? Self.hostile : ""
        let expires = Date(timeIntervalSince1970: 1_900_000_000)
        let expired = Date(timeIntervalSince1970: 1_600_000_000)
        let waiver = Waiver(
            pattern: "conformance/gelu/*/bf16*",
            category: .knownBug,
            reference: "BUG-1234",
            reason: "erf approximation off by 2 ulp\(text)",
            expires: expires
        )
        let oldWaiver = Waiver(
            pattern: "conformance/softmax/*",
            category: .upstream,
            reference: "UP-7",
            reason: "fixed upstream",
            expires: expired
        )
        let descriptor = TargetDescriptor(
            id: targetID,
            title: "Lab NPU\(text)",
            kind: .accelerator,
            vendor: "Vendor\(text)",
            model: "X1",
            versions: ["driver": "1.2\(text)"],
            backend: BackendSpec(command: ["python3", "plugin.py"]),
            capabilities: DeclaredCapabilities(peakTFLOPS: ["f32": 2, "bf16": 8], memoryBandwidthGBs: 100),
            waivers: [waiver, oldWaiver]
        )
        let target = SourceSnapshot(path: "Targets/\(targetID).yaml", text: "id: \(targetID)\n", value: descriptor)
        let suite = SourceSnapshot(
            path: "Suites/conformance.yaml",
            text: "id: conformance\n",
            value: Suite(id: "conformance", title: "Conformance", entries: [])
        )
        let environment = EnvironmentRecord(
            fingerprint: String(repeating: "ab", count: 32),
            components: ["os.id": "openeuler", "cpu.model": "Kunpeng 920\(text)"],
            facts: SystemFacts(hostname: "node-7\(text)")
        )
        let backend = BackendIdentity(
            name: "vendor-plugin\(text)",
            version: "0.3",
            transport: .plugin,
            protocolVersion: 1,
            devices: [.init(index: 0, name: hostile ? Self.hostile : "NPU 0", memoryBytes: 64e9)],
            timer: "device_event",
            capabilities: ["matmul": ["f32", "bf16"]]
        )

        var cases: [CaseResult] = [
            conformance("conformance/matmul/m64.n48.k32/f32", .pass),
            conformance(
                "conformance/matmul/m64.n48.k32/bf16",
                .fail,
                evidence: ConformanceEvidence(
                    rtol: 0.016,
                    atol: 0.05,
                    maxAbsError: 3.5,
                    maxRelError: .infinity,
                    worstIndex: [3, 7],
                    mismatches: 12,
                    elements: 3072,
                    samples: [
                        .init(index: [3, 7], expected: 1.5, actual: 5.0),
                        .init(index: [0, 1], expected: 0, actual: .nan),
                    ],
                    structural: ["output dtype f32, expected bf16\(text)"]
                ),
                message: "12 mismatches\(text)"
            ),
            conformance("conformance/matmul/m33.n17.k65/bf16", .error, message: "kernel launch failed\(text)"),
            conformance(
                "conformance/softmax/shape8x128/f16",
                .crash,
                message: "plugin exited with signal 11",
                stderr: "Segmentation fault\u{1B}[0m\(text)"
            ),
            conformance("conformance/softmax/shape3x17x5/f16", .timeout, message: "no answer within 300 s"),
            conformance("conformance/layer_norm/shape8x256/int8", .unsupported, message: "not declared by the backend"),
            conformance(
                "conformance/gelu/shape1000/bf16/approximate=tanh",
                .waived,
                evidence: ConformanceEvidence(
                    rtol: 0.016,
                    atol: 0.01,
                    maxAbsError: 0.02,
                    maxRelError: 0.03,
                    worstIndex: [5],
                    mismatches: 1,
                    elements: 1000,
                    samples: [],
                    structural: []
                ),
                waiver: WaiverNote(waiver, expired: false)
            ),
            conformance(
                "conformance/softmax/shape4x33/f32",
                .fail,
                evidence: ConformanceEvidence(
                    rtol: 1e-5,
                    atol: 1e-6,
                    maxAbsError: 1e-3,
                    maxRelError: 2e-3,
                    worstIndex: [1, 2],
                    mismatches: 1,
                    elements: 132,
                    samples: [],
                    structural: []
                ),
                waiver: WaiverNote(oldWaiver, expired: true)
            ),
            performance(
                "perf/matmul/m512.n512.k512/f32",
                op: "matmul",
                median: matmulMedian,
                flops: 268_435_456,
                bytes: 3_145_728,
                limited: true
            ),
            performance(
                "perf/copy/shape4194304/f32",
                op: "copy",
                median: 400_000,
                flops: 0,
                bytes: 33_554_432,
                limited: false
            ),
            CaseResult(
                id: id("conformance/system/os_id/-"),
                kind: .system,
                op: "system",
                dtype: "-",
                outcome: .pass,
                system: SystemObservation(expected: "openeuler", observed: "openeuler")
            ),
            CaseResult(
                id: id("conformance/system/modules/-"),
                kind: .system,
                op: "system",
                dtype: "-",
                outcome: .fail,
                message: "missing module",
                system: SystemObservation(expected: "davinci\(text)", observed: "none\(text)")
            ),
        ]
        cases.removeAll { omit.contains($0.id.description) }
        let planned = cases.map(\.id) + [id("conformance/relu/shape1000/f32")]
        return RunRecord(
            runID: runID,
            harnessVersion: "0.1.0",
            status: .interrupted,
            startedAt: Date(timeIntervalSince1970: 1_795_000_000),
            finishedAt: Date(timeIntervalSince1970: 1_795_000_100),
            command: ["assay", "run", text],
            target: target,
            suites: [suite],
            environment: environment,
            backend: backend,
            clock: ClockInfo(
                source: "clock_gettime(CLOCK_MONOTONIC)",
                resolutionNanoseconds: 20,
                readOverheadNanoseconds: 28,
                reads: 1000
            ),
            measuredCeilings: nil,
            plannedCases: planned,
            cases: cases
        )
    }

    static func id(_ text: String) -> CaseID { try! CaseID(parsing: text) }

    private static func conformance(
        _ text: String,
        _ outcome: Outcome,
        evidence: ConformanceEvidence? = nil,
        message: String? = nil,
        stderr: String? = nil,
        waiver: WaiverNote? = nil
    ) -> CaseResult {
        let caseID = id(text)
        return CaseResult(
            id: caseID,
            kind: .conformance,
            op: caseID.op,
            dtype: caseID.dtype,
            values: .random,
            outcome: outcome,
            message: message,
            evidence: evidence,
            waiver: waiver,
            stderrTail: stderr,
            seconds: 0.25
        )
    }

    /// Samples spread around `median` so the strip, CI and quartiles are all visible.
    private static func performance(
        _ text: String,
        op: String,
        median: Double,
        flops: Double,
        bytes: Double,
        limited: Bool
    ) -> CaseResult {
        let caseID = id(text)
        let samples: [Double] = (0..<60).map { (index: Int) -> Double in
            let spread = Double((index * 37) % 60) / 60
            return median * (0.9 + 0.2 * spread)
        }
        let summary = SummaryStatistics(
            n: 60,
            median: median,
            medianCILow: median * 0.98,
            medianCIHigh: median * 1.02,
            medianCIRelativeHalfWidth: 0.02,
            min: median * 0.9,
            max: median * 1.1,
            p5: median * 0.91,
            p25: median * 0.95,
            p75: median * 1.05,
            p95: median * 1.09,
            p99: median * 1.1,
            mean: median,
            stddev: median * 0.05,
            cv: 0.05,
            iqr: median * 0.1,
            mildOutliers: 0,
            severeOutliers: 0,
            medianCIMethod: .binomialExact
        )
        let seconds = median / 1e9
        let peak = 2e12
        let bandwidth = 100e9
        var record = PerformanceRecord(
            mode: .warm,
            timerKind: .device,
            k: 4,
            n: 60,
            warmupCalls: 5,
            samples: samples,
            summary: summary,
            converged: !limited,
            stopReason: limited ? "time cap at ±2.0%" : "converged at ±0.9%",
            totalSeconds: 2,
            measuredSeconds: 1.5,
            telemetry: limited
                ? .init(smClockMHz: .init(min: 900, max: 1800), powerWatts: .init(min: 250, max: 400)) : nil,
            maxClockMHz: 1800,
            lowClockSamples: limited ? 12 : 0,
            limited: limited,
            limitReason: limited ? "clock below 75% of max in 12/60 samples" : nil
        )
        record.flops = flops
        record.bytes = bytes
        record.flopsPerSecond = flops / seconds
        record.bytesPerSecond = bytes / seconds
        record.arithmeticIntensity = flops / bytes
        record.percentOfPeak = flops > 0 ? 100 * flops / seconds / peak : nil
        record.bound = flops > 0 ? PerformanceRecord.Bound.compute : PerformanceRecord.Bound.memory
        record.percentOfRoofline = flops > 0 ? 100 * flops / seconds / peak : 100 * bytes / seconds / bandwidth
        record.ceilingSource = PerformanceRecord.CeilingSource.declared
        return CaseResult(
            id: caseID,
            kind: .performance,
            op: op,
            dtype: caseID.dtype,
            outcome: .pass,
            performance: record,
            seconds: 2
        )
    }
}
