import AssayCore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayGate

/// The status → exit code mapping, the three outputs, and the real `assay gate` binary.
@Suite(.serialized) struct ExitCodeTests {
    static let perf = "perf/matmul/m64.n64.k64/f32", conf = "smoke/add/a64x64.b64x64/f32"

    static func comparison(_ verdict: PerformanceComparison.Verdict) -> PerformanceComparison {
        PerformanceComparison(
            id: try! CaseID(parsing: perf),
            verdict: verdict,
            baselineSamples: 50,
            currentSamples: 50,
            baselineMedian: 1,
            currentMedian: 1,
            pValue: 1,
            adjustedPValue: 1,
            ratio: 1,
            ratioLow: 1,
            ratioHigh: 1,
            baselineRelativeIQR: 0,
            tau: 0.02
        )
    }

    static func finding(_ kind: ConformanceFinding.Kind, fails: Bool) -> ConformanceFinding {
        ConformanceFinding(
            id: try! CaseID(parsing: conf),
            kind: kind,
            baselineOutcome: .pass,
            currentOutcome: .fail,
            message: nil,
            failsGate: fails
        )
    }

    @Test func statusAndExitCodeMapping() {
        let status = GateReport.status
        #expect(status([], []) == .pass)
        #expect(status([], [Self.comparison(.same), Self.comparison(.improved)]) == .pass)
        #expect(
            status(
                [
                    Self.finding(.new, fails: false), Self.finding(.fixed, fails: false),
                    Self.finding(.missing, fails: false),
                ],
                []
            ) == .pass
        )
        #expect(status([], [Self.comparison(.same), Self.comparison(.inconclusive)]) == .inconclusive)
        #expect(status([], [Self.comparison(.regressed), Self.comparison(.inconclusive)]) == .regression)
        #expect(status([Self.finding(.regressed, fails: true)], [Self.comparison(.inconclusive)]) == .regression)
        #expect(status([Self.finding(.missing, fails: true)], []) == .regression)
        #expect([GateReport.Status.pass, .regression, .inconclusive].map(\.exitCode) == [0, 1, 3])
    }

    static func sampleReport() throws -> GateReport {
        let baseline = SyntheticRuns.record(
            [
                SyntheticRuns.performanceCase(perf, rounds: SyntheticRuns.rounds(median: 100_000, cv: 0.01, seed: 1)),
                SyntheticRuns.conformanceCase(conf, .pass),
            ],
            runID: "base"
        )
        let current = SyntheticRuns.record(
            [
                SyntheticRuns.performanceCase(perf, rounds: SyntheticRuns.rounds(median: 110_000, cv: 0.01, seed: 2)),
                SyntheticRuns.conformanceCase(conf, .fail, message: "max abs error <1e-3> & \"worse\""),
            ],
            runID: "cur"
        )
        return try Gate.compare(baseline: baseline, current: current)
    }

    @Test func outputsCarryTheFigures() throws {
        let report = try Self.sampleReport()
        #expect(report.status == .regression)
        let markdown = GateMarkdown.render(report)
        #expect(markdown.contains("regression (exit 1)"))
        #expect(markdown.contains("### Performance regressions") && markdown.contains("`\(Self.perf)`"))
        let junit = GateJUnit.render(report)
        #expect(junit.contains("failures=\"2\""))
        #expect(junit.contains("max abs error &lt;1e-3&gt; &amp; &quot;worse&quot;"))
        #expect(!junit.contains("<1e-3>"))
        let json = try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any]
        let rows = try #require(json?["performance"] as? [[String: Any]])
        #expect(rows.count == 1)
        for key in ["pValue", "adjustedPValue", "ratio", "ratioLow", "ratioHigh", "tau", "verdict"] {
            #expect(rows[0][key] != nil, "\(key)")
        }
        #expect(GateJUnit.escape("a\u{1}<b>&c") == "a\u{FFFD}&lt;b&gt;&amp;c")
    }

    // MARK: the real binary

    func gate(_ arguments: [String], in folder: URL) throws -> Int32 {
        let process = try Subprocess.launch(try #require(Repository.assayExecutable), ["gate"] + arguments, in: folder)
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test(.enabled(if: Repository.assayExecutable != nil, "the assay executable is not built"), .hangBackstop)
    func realBinaryExitCodes() throws {
        let folder = try TemporaryDirectory.make(prefix: "assay-gate")
        defer { try? FileManager.default.removeItem(at: folder) }
        func write(_ record: RunRecord, _ name: String) throws {
            try RecordCoding.encoder().encode(record).write(to: folder.appendingPathComponent(name))
        }
        let steady = SyntheticRuns.rounds(median: 100_000, cv: 0.01, seed: 7)
        try write(SyntheticRuns.record([SyntheticRuns.performanceCase(Self.perf, rounds: steady)]), "base.json")
        try write(
            SyntheticRuns.record([
                SyntheticRuns.performanceCase(
                    Self.perf,
                    rounds: SyntheticRuns.rounds(median: 100_000, cv: 0.01, seed: 8)
                )
            ]),
            "same.json"
        )
        try write(
            SyntheticRuns.record([
                SyntheticRuns.performanceCase(
                    Self.perf,
                    rounds: SyntheticRuns.rounds(median: 110_000, cv: 0.01, seed: 9)
                )
            ]),
            "slow.json"
        )
        // One round each side: no between-round variance, so the gate may not claim anything.
        try write(
            SyntheticRuns.record([
                SyntheticRuns.performanceCase(
                    Self.perf,
                    samples: SyntheticRuns.samples(median: 100_000, cv: 0.01, seed: 10)
                )
            ]),
            "one.json"
        )
        try write(
            SyntheticRuns.record([
                SyntheticRuns.performanceCase(
                    Self.perf,
                    samples: SyntheticRuns.samples(median: 100_000, cv: 0.01, seed: 11)
                )
            ]),
            "few.json"
        )
        try write(
            SyntheticRuns.record([SyntheticRuns.performanceCase(Self.perf, rounds: steady)], fingerprint: "elsewhere"),
            "other.json"
        )

        #expect(try gate(["--baseline", "base.json", "--current", "same.json"], in: folder) == 0)
        #expect(
            try gate(
                ["--baseline", "base.json", "--current", "slow.json", "--out", "out", "--format", "junit,json"],
                in: folder
            ) == 1
        )
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/gate.junit.xml").path))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/gate.json").path))
        #expect(try gate(["--baseline", "one.json", "--current", "few.json"], in: folder) == 3)
        #expect(try gate(["--baseline", "base.json", "--current", "other.json"], in: folder) == 2)
        #expect(
            try gate(["--baseline", "base.json", "--current", "other.json", "--allow-different-target"], in: folder)
                == 0
        )
        #expect(try gate(["--baseline", "no-such-baseline", "--current", "same.json"], in: folder) == 2)
        #expect(try gate(["--baseline", "base.json", "--current", "same.json", "--format", "pdf"], in: folder) == 2)
    }

    /// Several current runs: `--current` repeated, or a directory of runs, as `--baseline` takes one.
    @Test(.enabled(if: Repository.assayExecutable != nil, "the assay executable is not built"), .hangBackstop)
    func realBinaryTakesSeveralCurrentRuns() throws {
        let folder = try TemporaryDirectory.make(prefix: "assay-gate-currents")
        defer { try? FileManager.default.removeItem(at: folder) }
        let manager = FileManager.default
        for side in ["base", "cur"] {
            try manager.createDirectory(at: folder.appendingPathComponent(side), withIntermediateDirectories: true)
        }
        for index in 0..<3 {
            for (side, median) in [("base", 100_000.0), ("cur", 112_000.0)] {
                let record = SyntheticRuns.record(
                    [
                        SyntheticRuns.performanceCase(
                            Self.perf,
                            rounds: SyntheticRuns.rounds(
                                median: median * (1 + 0.01 * Double(index)),
                                cv: 0.01,
                                seed: UInt64(40 + index)
                            )
                        )
                    ],
                    runID: "\(side)-\(index)"
                )
                try RecordCoding.encoder().encode(record).write(
                    to: folder.appendingPathComponent("\(side)/\(index).json")
                )
            }
        }
        #expect(
            try gate(["--baseline", "base", "--current", "cur", "--out", "dir", "--format", "json"], in: folder) == 1
        )
        let report =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: folder.appendingPathComponent("dir/gate.json"))
            ) as? [String: Any]
        #expect((report?["currentRuns"] as? [[String: Any]])?.count == 3)
        let row = try #require((report?["performance"] as? [[String: Any]])?.first)
        #expect((row["estimate"] as? [String: Any])?["currentUnits"] as? Int == 3 && row["currentRuns"] as? Int == 3)
        #expect(
            try gate(
                ["--baseline", "base", "--current", "cur/0.json", "--current", "cur/1.json", "--out", "two"],
                in: folder
            )
                == 1
        )
        #expect(
            try gate(["--baseline", "base", "--current", "cur/0.json", "--current", "cur/none.json"], in: folder) == 2
        )
    }
}
