import AssayCore
import AssayTestSupport
import Foundation
import Testing

/// No % of peak, of roofline or of bandwidth above 100 in any report or certificate of real
/// runs of the smoke, perf-smoke and performance suites on this machine (the default local-cpu
/// target, native backend, whose ceilings are measured). Short time caps; of the performance
/// suite, its 16M-element memory-bound cases (copy, add, gelu, silu: the ones that showed
/// 347–705% of roofline), since the whole suite takes many minutes on a shared machine.
/// Certificates: cpu-server (only measured ceilings: no key figure, and certify says why the
/// floors are not met) and cpu-server with a reference run, also accepting a performance-only
/// run (key figures against the reference, capped at 100).
/// Scripts/check-percentages.py reads the files; it is shown to catch a planted 271%.
@Suite(.serialized) struct HonestPercentRealRunTests {
    static let scanner = Repository.root.appendingPathComponent("Scripts/check-percentages.py").path

    static func assay(_ arguments: [String], in directory: URL) throws -> Subprocess.Result {
        let binary = try #require(Repository.assayExecutable, "assay is not built")
        return try Subprocess.run(
            ["-u", "ASSAY_HOME", "-u", "ASSAY_STATION_KEY", binary.path] + arguments,
            in: directory
        )
    }

    /// Runs `suites` signed with the station key and returns the run directory.
    static func run(
        _ suites: [String],
        timeCap: String = "0.3",
        extra: [String] = [],
        in directory: URL,
        out: String
    ) throws -> URL {
        let result = try assay(
            ["run", "--quiet", "--time-cap", timeCap, "--rounds", "1", "--sign-with", "keys/station.key", "--out", out]
                + suites.flatMap { ["--suite", $0] } + extra,
            in: directory
        )
        #expect(result.status == 0, "\(result.output.suffix(2000))")
        return directory.appendingPathComponent("\(out)/local-cpu/latest").resolvingSymlinksInPath()
    }

    static func scan(_ directories: [URL]) throws -> (status: Int32, output: String) {
        let result = try Subprocess.run(["python3", scanner] + directories.map(\.path))
        return (result.status, result.output)
    }

    @Test(.enabled(if: Python.isAvailable, "python3 not installed"), .timeLimit(.minutes(30)))
    func noFigureAboveOneHundredInReportsOrCertificates() throws {
        let directory = try TemporaryDirectory.make(prefix: "assay-honest")
        defer { try? FileManager.default.removeItem(at: directory) }
        for prefix in ["keys/station", "keys/issuer"] {
            let made = try Self.assay(["keygen", "--out", prefix], in: directory)
            try #require(made.status == 0, "\(made.output)")
        }
        // 16M elements: a sample of the cold copy takes longer than 0.3 s on a loaded machine.
        let run = try Self.run(
            ["performance"],
            timeCap: "3",
            extra: ["--case", "performance/*/*16777216*"],
            in: directory,
            out: "Reports"
        )
        let smoke = try Self.run(["smoke", "perf-smoke"], in: directory, out: "Smoke")
        let record = try RunRecord.load(contentsOf: run.appendingPathComponent("run.json"))
        #expect(
            record.cases.contains { $0.op == "copy" && $0.performance?.percentOfRoofline != nil },
            "the performance suite's copy was measured"
        )

        // Built-in cpu-server: local-cpu declares no peaks, so no floor is met and no key figure printed.
        let plain = try Self.assay(
            [
                "certify", smoke.path, "--profile", "cpu-server", "--key", "keys/issuer.key",
                "--station-pubkey", "keys/station.pub",
            ],
            in: directory
        )
        #expect(plain.status == 0, "\(plain.output)")
        #expect(plain.output.contains("only a measured ceiling, which cannot meet a floor"), "\(plain.output)")

        // cpu-server with the other run as its reference (each run is the other's reference
        // machine, to save a run): key figures against it.
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("Profiles"),
            withIntermediateDirectories: true
        )
        var certified: [URL] = []
        for (name, target, reference) in [("smoke", smoke, run), ("performance", run, smoke)] {
            let referenceJSON = reference.appendingPathComponent("run.json")
            let digest = Digest.sha256Hex(try Data(contentsOf: referenceJSON))
            let profileText = try String(
                contentsOf: Repository.root.appendingPathComponent("Profiles/cpu-server.yaml"),
                encoding: .utf8
            )
            .replacingOccurrences(of: "id: cpu-server", with: "id: cpu-server-reference")
            .replacingOccurrences(of: "suite: [conformance, smoke]", with: "suite: [conformance, smoke, performance]")
            .replacingOccurrences(
                of: "\nlevels:",
                with: "\nreference_run: {path: \(referenceJSON.path), sha256: \(digest)}\nlevels:"
            )
            let profile = directory.appendingPathComponent("Profiles/reference-\(name).yaml")
            try profileText.write(to: profile, atomically: true, encoding: .utf8)
            let out = directory.appendingPathComponent("Certificates/\(name)")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            let issued = try Self.assay(
                [
                    "certify", target.path, "--profile", profile.path, "--key", "keys/issuer.key",
                    "--station-pubkey", "keys/station.pub", "--out",
                    out.appendingPathComponent("certificate.dsse.json").path,
                ],
                in: directory
            )
            #expect(issued.status == 0, "\(issued.output)")
            certified.append(out)
        }
        let envelope =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: certified[0].appendingPathComponent("certificate.dsse.json"))
            ) as? [String: Any]
        let payload = try #require((envelope?["payload"] as? String).flatMap { Data(base64Encoded: $0) })
        let figures = try #require(
            ((try JSONSerialization.jsonObject(with: payload) as? [String: Any])?["predicate"] as? [String: Any])?[
                "keyFigures"
            ] as? [[String: Any]]
        )
        #expect(!figures.isEmpty && figures.allSatisfy { $0["basis"] as? String == "reference" }, "\(figures)")

        let scanned = try Self.scan([run, smoke] + certified)
        #expect(scanned.status == 0, "\(scanned.output)")
        let checked = Int(scanned.output.split(separator: " ").first { Int($0) != nil } ?? "") ?? 0
        #expect(checked > 40, "figures found to check: \(scanned.output)")
        print("HonestPercentRealRunTests: \(scanned.output.trimmingCharacters(in: .whitespacesAndNewlines))")

        // The scanner finds a figure above 100 where the old reports printed one.
        let planted = directory.appendingPathComponent("planted")
        try FileManager.default.createDirectory(at: planted, withIntermediateDirectories: true)
        let markdown = try String(contentsOf: smoke.appendingPathComponent("report.md"), encoding: .utf8)
        let first = try #require(
            markdown.range(of: #"\| \d+\.\d%"#, options: .regularExpression),
            "a % of roofline cell in report.md"
        )
        try markdown.replacingCharacters(in: first, with: "| 271.0%").write(
            to: planted.appendingPathComponent("report.md"),
            atomically: true,
            encoding: .utf8
        )
        let caught = try Self.scan([planted])
        #expect(caught.status == 1 && caught.output.contains("above 100%: 271"), "\(caught.output)")
    }
}
