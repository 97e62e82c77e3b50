import AssayCertify
import AssayCore
import Foundation

/// Synthetic run records and a profile to judge them with.
enum RunFixtures {
    static let descriptorPath = "Targets/npu-x.yaml"
    static let descriptorText = """
        id: npu-x
        title: NPU X <rev B> & "friends"
        kind: accelerator
        vendor: Example
        model: X1
        versions: {driver: "1.2"}
        backend: {builtin: cpu}

        """
    /// A time before every waiver below expires.
    static let now = RFC3339.date(from: "2026-06-01T00:00:00Z")!

    /// Profile with two levels: compatible (conformance suite, outcomes, ≤ 25% unsupported)
    /// and performance (bf16 matmul ≥ 50% of peak, copy ≥ 60% of roofline).
    static let profileText = """
        id: npu-basic
        version: "2"
        title: NPU basic
        validity_days: 30
        suites:
          - conformance
          - suite: system
            if_present: true
        passing:
          outcomes: [pass, unsupported, waived]
          waiver_categories: [known-bug]
        max_unsupported_fraction: 0.25
        performance_floors:
          - match: {op: matmul, dtype: bf16}
            metric: percent_of_peak
            min: 0.5
            level: performance
          - match: "*/copy/*"
            metric: percent_of_roofline
            min: 0.6
            level: performance
        levels:
          - id: compatible
            requires: [suites, outcomes, unsupported_fraction]
          - id: performance
            requires: [performance_floors]

        """
    static let profile = try! CertificationProfile.parse(text: profileText, file: "Profiles/npu-basic.yaml")

    static func caseResult(
        _ id: String,
        _ outcome: Outcome = .pass,
        kind: CaseKind = .conformance,
        waiver: WaiverNote? = nil,
        performance: PerformanceRecord? = nil
    ) -> CaseResult {
        let caseID = try! CaseID(parsing: id)
        // Conformance verdicts carry the evidence they follow from, as the runner records it.
        let missed = outcome == .fail || outcome == .waived
        let evidence =
            kind == .conformance && outcome != .unsupported
            ? ConformanceEvidence(
                rtol: 1e-3,
                atol: 1e-3,
                maxAbsError: missed ? 0.5 : 1e-4,
                maxRelError: missed ? 0.5 : 1e-4,
                worstIndex: [0],
                mismatches: missed ? 1 : 0,
                elements: 64,
                samples: missed ? [.init(index: [0], expected: 1, actual: 1.5)] : [],
                structural: []
            )
            : nil
        return CaseResult(
            id: caseID,
            kind: kind,
            op: caseID.op,
            dtype: caseID.dtype,
            outcome: outcome,
            evidence: evidence,
            performance: performance,
            waiver: waiver,
            startedAt: now,
            seconds: 0.1
        )
    }

    static func performance(_ id: String, peak: Double?, roofline: Double?) -> CaseResult {
        let summary = SummaryStatistics(
            n: 10,
            median: 1,
            medianCILow: 1,
            medianCIHigh: 1,
            medianCIRelativeHalfWidth: 0,
            min: 1,
            max: 1,
            p5: 1,
            p25: 1,
            p75: 1,
            p95: 1,
            p99: 1,
            mean: 1,
            stddev: 0,
            cv: 0,
            iqr: 0,
            mildOutliers: 0,
            severeOutliers: 0
        )
        let record = PerformanceRecord(
            mode: .warm,
            timerKind: .host,
            k: 1,
            n: 10,
            warmupCalls: 1,
            samples: Array(repeating: 1, count: 10),
            summary: summary,
            converged: true,
            stopReason: "converged",
            totalSeconds: 1,
            measuredSeconds: 1,
            percentOfPeak: peak,
            percentOfRoofline: roofline,
            ceilingSource: .declared
        )
        return caseResult(id, kind: .performance, performance: record)
    }

    static func waiver(_ category: Waiver.Category, expires: String = "2027-01-01") -> WaiverNote {
        WaiverNote(
            Waiver(
                pattern: "*",
                category: category,
                reference: "BUG-7",
                reason: "fix pending",
                expires: ISO8601DateFormatter().date(from: expires + "T00:00:00Z")!
            ),
            expired: false
        )
    }

    /// The cases of a run that meets both levels of `profile`.
    static let goodCases: [CaseResult] = [
        caseResult("conformance/matmul/m64.n48.k32/bf16"),
        caseResult("conformance/matmul/m64.n48.k32/f32"),
        caseResult("conformance/softmax/shape8x128/f64", .unsupported),
        caseResult("conformance/gelu/shape1000/bf16", .waived, waiver: waiver(.knownBug)),
        performance("performance/matmul/m4096.n4096.k4096/bf16", peak: 61.5, roofline: 61.5),
        performance("performance/copy/shape16777216/f32", peak: nil, roofline: 80),
    ]

    static func run(
        _ cases: [CaseResult] = goodCases,
        status: RunRecord.Status = .complete,
        suites: [String] = ["conformance", "performance"],
        planned: [CaseID]? = nil
    ) -> RunRecord {
        let descriptor = try! TargetDescriptor.parse(text: descriptorText, file: descriptorPath)
        return RunRecord(
            runID: "20260601T000000Z-test",
            harnessVersion: "0.1.0",
            status: status,
            startedAt: now,
            finishedAt: now,
            target: SourceSnapshot(path: descriptorPath, text: descriptorText, value: descriptor),
            suites: suites.map {
                SourceSnapshot(
                    path: "Suites/\($0).yaml",
                    text: "id: \($0)\n",
                    value: Suite(id: $0, title: $0, entries: [])
                )
            },
            environment: EnvironmentRecord(
                fingerprint: String(repeating: "ab", count: 32),
                components: [:],
                facts: nil
            ),
            backend: BackendIdentity(
                name: "native-cpu",
                version: "0.1.0",
                transport: .builtin,
                devices: [],
                timer: "host_monotonic",
                capabilities: [:]
            ),
            plannedCases: planned ?? cases.map(\.id),
            cases: cases
        )
    }

    /// Writes `run` as `<directory>/run.json` the way the runner does.
    @discardableResult
    static func write(_ run: RunRecord, to directory: URL) throws -> URL {
        let url = directory.appendingPathComponent("run.json")
        try RecordCoding.encoder().encode(run).write(to: url)
        return url
    }

    /// The station key that signs fixture runs, and the trust that accepts it.
    static let station = try! SigningKey(seed: Data(repeating: 7, count: 32))
    static let stations = StationTrust(keys: [station.publicKey])

    /// The journal lines the runner would have written for `cases` (MAC'ed when `station` is given).
    static func journalLines(_ cases: [CaseResult], runID: String, station: SigningKey?) throws -> [Data] {
        let key = station.map { JournalKey(secret: $0.seed, runID: runID) }
        var head = JournalChain.genesis(runID: runID)
        return try cases.map { result in
            let line = JournalChain.line(
                body: try RecordCoding.encoder(pretty: false).encode(result),
                prev: head,
                key: key
            )
            head = JournalChain.hash(line)
            return line
        }
    }

    /// Writes run.json and journal.jsonl as a finished run leaves them, and signs them with
    /// `station` as `assay run --sign-with` does (a fixed stand-in for the harness executable).
    static func writeAttested(_ run: RunRecord, to directory: URL, station: SigningKey = station) throws {
        var run = run
        let lines = try journalLines(run.cases, runID: run.runID, station: station)
        try Data(lines.map { $0 + Data("\n".utf8) }.joined()).write(
            to: directory.appendingPathComponent("journal.jsonl")
        )
        run.journal = JournalState(
            lines: lines.count,
            head: lines.last.map(JournalChain.hash) ?? JournalChain.genesis(runID: run.runID),
            keyed: true
        )
        try write(run, to: directory)
        try attest(directory, station: station)
    }

    /// (Re-)signs the run directory as it is now.
    static func attest(_ directory: URL, station: SigningKey = station) throws {
        try RunAttestor.attest(
            directory: directory,
            key: station,
            harness: .init(name: "assay", bytes: Data("harness".utf8)),
            host: "station-1"
        )
    }
}
