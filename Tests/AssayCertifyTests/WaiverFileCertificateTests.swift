import AssayCertify
import AssayCore
import Foundation
import Testing

/// The certificate names the waiver file by its own digest, apart from the descriptor's, and
/// certificates from before waiver files still decode.
struct WaiverFileCertificateTests {
    static let waiverText = """
        target: npu-x
        waivers:
          - {case: "conformance/gelu/*", category: known-bug, reason: fix pending, issue: BUG-7, owner: a, approver: b, expires: 2027-01-01}

        """

    func predicate(waivers text: String?) throws -> AdaptationPredicate {
        var run = RunFixtures.run()
        run.waivers = try text.map {
            SourceSnapshot(
                path: "Waivers/npu-x.yaml",
                text: $0,
                value: try WaiverFile.parse(text: $0, file: "Waivers/npu-x.yaml")
            )
        }
        return CertificateIssuer.predicate(
            profile: RunFixtures.profile,
            run: run,
            level: "compatible",
            issuer: "Lab",
            at: RunFixtures.now,
            harnessVersion: "9.9.9"
        )
    }

    @Test func theWaiverFileDigestIsNamedApartFromTheDescriptors() throws {
        let with = try predicate(waivers: Self.waiverText)
        #expect(with.waiverFile == .init(path: "Waivers/npu-x.yaml", sha256: Digest.sha256Hex(Self.waiverText)))
        #expect(with.target.descriptorSHA256 == Digest.sha256Hex(RunFixtures.descriptorText))
        // Editing a waiver changes the waiver file's digest, never the descriptor's.
        let edited = try predicate(
            waivers: Self.waiverText.replacingOccurrences(of: "fix pending", with: "fix shipped in 1.3")
        )
        #expect(edited.waiverFile?.sha256 != with.waiverFile?.sha256)
        #expect(edited.target.descriptorSHA256 == with.target.descriptorSHA256)
        #expect(try predicate(waivers: nil).waiverFile == nil)
    }

    @Test func aPredicateFromBeforeWaiverFilesStillDecodes() throws {
        let current = try predicate(waivers: nil)
        var object = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(current)) as? [String: Any]
        )
        #expect(object["waiverFile"] == nil)
        object.removeValue(forKey: "waiverFile")
        let old = try JSONDecoder().decode(
            AdaptationPredicate.self,
            from: JSONSerialization.data(withJSONObject: object)
        )
        #expect(old == current)
        #expect(old.counts["observed"] == 0)
    }
}
