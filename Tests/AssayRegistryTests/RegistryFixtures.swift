import AssayBench
import AssayCertify
import AssayCore
import Foundation

/// Synthetic, signed runs and certificates for the registry tests: a target per descriptor,
/// runs with conformance and performance cases, attested by a station and certified under a
/// one-level profile, exactly as `assay run --sign-with` and `assay certify` leave them.
enum RegistryFixtures {
    static let station = try! SigningKey(seed: Data(repeating: 9, count: 32))
    static let issuer = try! SigningKey(seed: Data(repeating: 11, count: 32))
    static let stranger = try! SigningKey(seed: Data(repeating: 13, count: 32))
    static let base = RFC3339.date(from: "2026-06-01T00:00:00Z")!
    static let performanceCases = ["performance/matmul/m512.n512.k512/f32", "performance/copy/shape1048576/f32"]

    static let profile = try! CertificationProfile.parse(
        text: """
            id: lab-basic
            version: "1"
            title: Lab basic
            validity_days: 30
            suites: [conformance]
            passing:
              outcomes: [pass]
            levels:
              - id: compatible
                requires: [suites, outcomes]

            """,
        file: "Profiles/lab-basic.yaml"
    )

    struct Target {
        var id: String
        var title: String
        var vendor = "Example"
        var kind = "accelerator"
        var os = "12"
        var driver = "1.0"
    }

    /// A JSON string is a YAML double-quoted scalar: any title, hostile ones included.
    static func quoted(_ text: String) -> String {
        String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
    }

    static func record(_ target: Target, run index: Int, conformance: Int = 4, medians: [Double]? = nil) -> RunRecord {
        let text = """
            id: \(target.id)
            title: \(quoted(target.title))
            kind: \(target.kind)
            vendor: \(quoted(target.vendor))
            model: M1
            versions: {driver: "\(target.driver)", sdk: "3.0"}
            backend: {builtin: cpu}

            """
        let descriptor = try! TargetDescriptor.parse(text: text, file: "Targets/\(target.id).yaml")
        let startedAt = base.addingTimeInterval(Double(index) * 3600)
        var cases: [CaseResult] = (0..<conformance).map { number in
            let id = try! CaseID(parsing: "conformance/add/shape\(number + 1)x8/f32")
            let evidence = ConformanceEvidence(
                rtol: 1e-6,
                atol: 1e-6,
                maxAbsError: 0,
                maxRelError: 0,
                worstIndex: [0],
                mismatches: 0,
                elements: 8 * (number + 1),
                samples: [],
                structural: []
            )
            return CaseResult(
                id: id,
                kind: .conformance,
                op: "add",
                dtype: "f32",
                outcome: .pass,
                evidence: evidence,
                startedAt: startedAt,
                seconds: 0.01
            )
        }
        for (offset, name) in performanceCases.enumerated() {
            let median = medians?[offset] ?? (1000 * Double(offset + 1) + Double(index))
            // Three rounds of five samples around the median, each round a little apart.
            var rounds: [[Double]] = []
            for round in 0..<3 {
                let center = median * (1 + 0.001 * Double(round - 1))
                rounds.append((0..<5).map { center + Double($0 - 2) })
            }
            let samples = rounds.flatMap { $0 }
            let roundStatistics = rounds.enumerated().map {
                RoundStatistics(
                    round: $0.offset + 1,
                    samples: 5,
                    median: $0.element[2],
                    iqr: 2,
                    converged: true,
                    stopReason: "converged"
                )
            }
            let performance = PerformanceRecord(
                mode: .warm,
                timerKind: .host,
                k: 1,
                n: samples.count,
                warmupCalls: 2,
                samples: samples,
                summary: Statistics.summarize(samples),
                converged: true,
                stopReason: "converged",
                totalSeconds: 1,
                measuredSeconds: 1,
                flopsPerSecond: 1e9 / median,
                rounds: roundStatistics
            )
            let id = try! CaseID(parsing: name)
            cases.append(
                CaseResult(
                    id: id,
                    kind: .performance,
                    op: id.op,
                    dtype: id.dtype,
                    outcome: .pass,
                    performance: performance,
                    startedAt: startedAt,
                    seconds: 1
                )
            )
        }
        return RunRecord(
            runID: String(format: "20260601T%02d0000Z-%@", index % 24, target.id.prefix(8).description) + "-\(index)",
            harnessVersion: "0.1.0",
            status: .complete,
            startedAt: startedAt,
            finishedAt: startedAt.addingTimeInterval(60),
            target: SourceSnapshot(path: "Targets/\(target.id).yaml", text: text, value: descriptor),
            suites: ["conformance", "performance"].map {
                SourceSnapshot(
                    path: "Suites/\($0).yaml",
                    text: "id: \($0)\n",
                    value: Suite(id: $0, title: $0, entries: [])
                )
            },
            environment: EnvironmentRecord(
                fingerprint: String(repeating: "cd", count: 32),
                components: ["os.id": "debian", "os.versionID": target.os],
                facts: nil
            ),
            backend: BackendIdentity(
                name: "native-cpu",
                version: "0.1.0",
                transport: .builtin,
                devices: [.init(index: 0, name: "X1", driver: target.driver)],
                timer: "host_monotonic",
                capabilities: [:]
            ),
            plannedCases: cases.map(\.id),
            cases: cases
        )
    }

    /// Writes run.json, its chained and MAC'ed journal, and the station's attestation.
    @discardableResult
    static func writeRun(_ run: RunRecord, in folder: URL, report: Bool = false) throws -> URL {
        let directory = folder.appendingPathComponent(run.target.value.id).appendingPathComponent(run.runID)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var run = run
        let key = JournalKey(secret: station.seed, runID: run.runID)
        var head = JournalChain.genesis(runID: run.runID)
        var journal = Data()
        for result in run.cases {
            let line = JournalChain.line(
                body: try RecordCoding.encoder(pretty: false).encode(result),
                prev: head,
                key: key
            )
            head = JournalChain.hash(line)
            journal += line + Data("\n".utf8)
        }
        try journal.write(to: directory.appendingPathComponent("journal.jsonl"))
        run.journal = JournalState(lines: run.cases.count, head: head, keyed: true)
        try RecordCoding.encoder().encode(run).write(to: directory.appendingPathComponent("run.json"))
        try RunAttestor.attest(
            directory: directory,
            key: station,
            harness: .init(name: "assay", bytes: Data("harness".utf8)),
            host: "station-1"
        )
        if report {
            try Data("<!DOCTYPE html><title>report</title><p>report of \(run.runID)</p>".utf8).write(
                to: directory.appendingPathComponent("report.html")
            )
        }
        return directory
    }

    /// Certifies the run in `directory` as `assay certify` does; returns the envelope.
    static func certify(_ directory: URL, key: SigningKey = issuer, at: Date? = nil) throws -> URL {
        let location = RunLocation(directory.path)
        let finished = try location.load().record.finishedAt ?? base
        let request = CertificateIssuer.Request(
            run: location,
            profile: profile,
            key: key,
            at: at ?? finished.addingTimeInterval(60),
            harnessVersion: "0.1.0",
            stations: StationTrust(keys: [station.publicKey])
        )
        guard case .issued(let issued) = try CertificateIssuer.certify(request) else {
            throw RegistryFixtureError.notIssued
        }
        return issued.envelopeURL
    }

    /// A trust file with the keys' public halves.
    static func trustFile(_ keys: [SigningKey], in folder: URL, name: String = "issuers.pem") throws -> URL {
        let url = folder.appendingPathComponent(name)
        try Data(("# lab issuers\n" + keys.map(\.publicKey.pemRepresentation).joined(separator: "\n")).utf8).write(
            to: url
        )
        return url
    }

    enum RegistryFixtureError: Error { case notIssued }
}
