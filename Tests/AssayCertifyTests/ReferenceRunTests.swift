import AssayCertify
import AssayCore
import AssayTestSupport
import Foundation
import Testing

/// A profile's `reference_run` stands in for peaks a descriptor does not declare; a ceiling the
/// run measured on itself never meets a floor; the reference is pinned by its digest.
struct ReferenceRunTests {
    static let matmul = "performance/matmul/m4096.n4096.k4096/bf16"
    static let copy = "performance/copy/shape16777216/f32"

    /// A case measured only against its own run's ceilings: `flops` and `bytes` per call at
    /// 1 s per call (the median), so its rates are the figures themselves.
    static func measured(_ id: String, flops: Double, bytes: Double) -> CaseResult {
        var result = RunFixtures.performance(id, peak: 100, roofline: 100)
        result.performance?.summary.median = 1e9
        result.performance?.flops = flops
        result.performance?.bytes = bytes
        result.performance?.flopsPerSecond = flops
        result.performance?.bytesPerSecond = bytes
        result.performance?.ceilingSource = .measured
        return result
    }

    /// The good fixture run with both floored cases measured only: bf16 matmul at 40 TFLOP/s, copy at 300 GB/s.
    static func measuredRun(matmulFLOPS: Double = 40e12) -> RunRecord {
        RunFixtures.run(
            RunFixtures.goodCases.map { result in
                switch result.id.description {
                case matmul: measured(matmul, flops: matmulFLOPS, bytes: 1e9)
                case copy: measured(copy, flops: 0, bytes: 300e9)
                default: result
                }
            }
        )
    }

    /// A reference machine's run: bf16 GEMM reached 64 TFLOP/s, copy 400 GB/s.
    static func reference() -> ReferencePeaks {
        var run = measuredRun(matmulFLOPS: 64e12)
        run.cases = run.cases.map { $0.id.description == copy ? measured(copy, flops: 0, bytes: 400e9) : $0 }
        return ReferencePeaks(record: run, path: "ref/run.json", sha256: String(repeating: "0", count: 64))
    }

    static func profile(referencing path: String, sha256: String) throws -> CertificationProfile {
        let text = RunFixtures.profileText.replacingOccurrences(
            of: "levels:\n",
            with: "reference_run:\n  path: \(path)\n  sha256: \(sha256)\nlevels:\n"
        )
        return try CertificationProfile.parse(text: text, file: "Profiles/npu-basic.yaml")
    }

    @Test func aMeasuredCeilingAloneMeetsNoFloorAndSaysWhy() {
        let result = ProfileEvaluation.evaluate(RunFixtures.profile, run: Self.measuredRun(), at: RunFixtures.now)
        #expect(result.passed && result.level == "compatible")
        #expect(result.reasons.count == 2)
        #expect(
            result.reasons.allSatisfy { $0.message.contains("only a measured ceiling, which cannot meet a floor") },
            "\(result.reasons)"
        )
        #expect(
            CertificateIssuer.predicate(
                profile: RunFixtures.profile,
                run: Self.measuredRun(),
                level: "compatible",
                issuer: "i",
                at: RunFixtures.now,
                harnessVersion: "1"
            ).keyFigures.isEmpty,
            "no key figure against a measured ceiling"
        )
    }

    @Test func theReferenceRunStandsInForUndeclaredPeaks() {
        let reference = Self.reference()
        #expect(reference.flopsPerSecond["bf16"] == 64e12 && reference.bytesPerSecond == 400e9)
        // 40 of 64 TFLOP/s = 62.5% ≥ 50%; 300 of 400 GB/s = 75% ≥ 60%.
        let met = ProfileEvaluation.evaluate(
            RunFixtures.profile,
            run: Self.measuredRun(),
            at: RunFixtures.now,
            reference: reference
        )
        #expect(met.level == "performance" && met.reasons.isEmpty, "\(met.reasons)")
        let slow = ProfileEvaluation.evaluate(
            RunFixtures.profile,
            run: Self.measuredRun(matmulFLOPS: 16e12),
            at: RunFixtures.now,
            reference: reference
        )
        #expect(slow.level == "compatible")
        #expect(slow.reasons.map(\.message) == ["perf floor: \(Self.matmul) at 25% of peak of the reference run < 50%"])
        // Faster than the reference machine: 100%, never above.
        let fast = CertificateIssuer.predicate(
            profile: RunFixtures.profile,
            run: Self.measuredRun(matmulFLOPS: 90e12),
            level: "performance",
            issuer: "i",
            at: RunFixtures.now,
            harnessVersion: "1",
            reference: reference
        )
        let figure = try? #require(fast.keyFigures.first { $0.caseID == Self.matmul })
        #expect(figure?.value == 100 && figure?.basis == .reference)
        #expect(
            fast.referenceRun?.path == "ref/run.json" && fast.referenceRun?.sha256 == String(repeating: "0", count: 64)
        )
    }

    @Test func declaredPeaksComeFirstWithTheirSource() {
        let predicate = CertificateIssuer.predicate(
            profile: RunFixtures.profile,
            run: RunFixtures.run(),
            level: "performance",
            issuer: "i",
            at: RunFixtures.now,
            harnessVersion: "1",
            reference: Self.reference()
        )
        #expect(predicate.keyFigures.map(\.basis) == [.declared, .declared])
        #expect(predicate.keyFigures.first?.value == 61.5)
    }

    @Test func theProfilePinsTheReferenceByDigest() throws {
        let directory = try TemporaryDirectory.make(prefix: "assay-reference")
        defer { try? FileManager.default.removeItem(at: directory) }
        let referenceDirectory = directory.appendingPathComponent("ref")
        try FileManager.default.createDirectory(at: referenceDirectory, withIntermediateDirectories: true)
        let url = try RunFixtures.write(Self.measuredRun(matmulFLOPS: 64e12), to: referenceDirectory)
        let digest = Digest.sha256Hex(try Data(contentsOf: url))

        let loaded = try Self.profile(referencing: "ref", sha256: digest).referenceRun!.load(relativeTo: directory)
        #expect(loaded.sha256 == digest && loaded.path == "ref" && loaded.flopsPerSecond["bf16"] == 64e12)

        let wrong = String(repeating: "1", count: 64)
        let mismatch = try Self.profile(referencing: "ref/run.json", sha256: wrong)
        let error = #expect(throws: InputError.self) { _ = try mismatch.referenceRun!.load(relativeTo: directory) }
        #expect(
            error?.file == "Profiles/npu-basic.yaml" && error?.line == 23 && error?.field == "reference_run.sha256",
            "\(String(describing: error))"
        )
        #expect(error?.message.contains("not the \(wrong) the profile pins") == true)
        let missing = try Self.profile(referencing: "nowhere", sha256: digest)
        let unreadable = #expect(throws: InputError.self) { _ = try missing.referenceRun!.load(relativeTo: directory) }
        #expect(unreadable?.field == "reference_run.path")
    }

    @Test func aMalformedReferenceRunIsRefusedAtItsLine() {
        for (digest, fragment) in [("abc", "64 hex digits"), (String(repeating: "g", count: 64), "64 hex digits")] {
            let error = #expect(throws: InputError.self) { _ = try Self.profile(referencing: "ref", sha256: digest) }
            #expect(
                error?.line == 24 && error?.field == "reference_run.sha256"
                    && error?.message.contains(fragment) == true,
                "\(String(describing: error))"
            )
        }
        let noFloors =
            "id: p\nversion: \"1\"\nvalidity_days: 1\npassing: {outcomes: [pass]}\nreference_run: {path: r, sha256: \(String(repeating: "a", count: 64))}\n"
            + "levels:\n  - id: ok\n    requires: [outcomes]\n"
        let error = #expect(throws: InputError.self) {
            _ = try CertificationProfile.parse(text: noFloors, file: "p.yaml")
        }
        #expect(
            error?.line == 5 && error?.message.contains("used only by performance_floors") == true,
            "\(String(describing: error))"
        )
    }
}
