import Foundation
import Testing

@testable import AssayCore

/// `Waivers/<target-id>.yaml`: every field required, an inclusive expiry day, clear errors.
@Suite struct WaiverFileTests {
    static let valid = """
        target: lab-x
        waivers:
          - case: "conformance/gelu/*/bf16"
            category: known-bug
            reason: erf slightly off in bf16
            issue: https://tracker.example/BUG-7
            owner: alice
            approver: bob
            expires: 2027-01-31
          - case: "conformance/relu/subnormal*/f32"
            category: denormal-flush
            reason: the device flushes subnormals to zero
            issue: BUG-9
            owner: carol
            approver: dave
            expires: 2027-03-01
        """

    @Test func readsEveryField() throws {
        let file = try WaiverFile.parse(text: Self.valid, file: "Waivers/lab-x.yaml")
        #expect(file.target == "lab-x")
        let first = try #require(file.waivers.first)
        #expect(first.pattern == "conformance/gelu/*/bf16" && first.category == .knownBug)
        #expect(first.reference == "https://tracker.example/BUG-7" && first.owner == "alice" && first.approver == "bob")
        #expect(Waiver.dayText(first.expires) == "2027-01-31")
        #expect(file.waivers.last?.category == .denormalFlush)
    }

    private func failure(_ text: String) -> InputError? {
        do {
            _ = try WaiverFile.parse(text: text, file: "Waivers/lab-x.yaml")
            return nil
        } catch let error as InputError { return error } catch { return nil }
    }

    @Test func missingOwnerOrApproverAndBadFieldsNameFileLineAndField() throws {
        let noApprover = try #require(failure(Self.valid.replacingOccurrences(of: "    approver: bob\n", with: "")))
        #expect(
            noApprover.file == "Waivers/lab-x.yaml" && noApprover.line == 3 && noApprover.field == "waivers[0].approver"
        )
        #expect(noApprover.message == "missing required field 'approver'")
        let emptyOwner = try #require(failure(Self.valid.replacingOccurrences(of: "owner: alice", with: "owner: \"\"")))
        #expect(
            emptyOwner.line == 7 && emptyOwner.field == "waivers[0].owner" && emptyOwner.message == "must not be empty"
        )
        let time = try #require(
            failure(Self.valid.replacingOccurrences(of: "expires: 2027-01-31", with: "expires: 2027-01-31T12:00:00Z"))
        )
        #expect(
            time.line == 9 && time.message.contains("expected a day like 2027-01-31 (the last day the waiver applies)")
        )
        let category = try #require(failure(Self.valid.replacingOccurrences(of: "known-bug", with: "flaky")))
        #expect(
            category.line == 4 && category.message.contains("unknown waiver category 'flaky'")
                && category.message.contains("denormal-flush")
        )
        let pattern = try #require(failure(Self.valid.replacingOccurrences(of: "  - case:", with: "  - pattern:")))
        #expect(pattern.message.contains("unknown key 'pattern'"))
    }

    @Test func aFileForAnotherTargetIsRefusedAtItsTargetLine() throws {
        let file = try WaiverFile.parse(text: Self.valid, file: "w.yaml")
        let error = try #require(throws: InputError.self) {
            try file.check(for: "lab-y", text: Self.valid, file: "w.yaml")
        }
        #expect(error.description == "w.yaml:1: target: this waiver file is for target 'lab-x', not 'lab-y'")
        try file.check(for: "lab-x", text: Self.valid, file: "w.yaml")
    }

    /// docs/FORMATS.md: a waiver applies through its `expires` day (UTC), not only until it begins.
    @Test func expiryIsInclusiveOfTheDay() throws {
        let waiver = try #require(try WaiverFile.parse(text: Self.valid, file: "w.yaml").waivers.first)
        let formatter = ISO8601DateFormatter()
        #expect(!waiver.isExpired(at: formatter.date(from: "2027-01-31T00:00:00Z")!))
        #expect(!waiver.isExpired(at: formatter.date(from: "2027-01-31T23:59:59Z")!))
        #expect(waiver.isExpired(at: formatter.date(from: "2027-02-01T00:00:00Z")!))
        let note = WaiverNote(waiver, expired: false)
        #expect(!note.isExpired(at: formatter.date(from: "2027-01-31T18:00:00Z")!))
        #expect(note.isExpired(at: formatter.date(from: "2027-02-01T00:00:01Z")!))
    }

    @Test func descriptorWaiversStillLoadAndGainTheNewCategory() throws {
        let descriptor = try TargetDescriptor.parse(
            text: """
                id: t
                kind: cpu
                backend: {builtin: cpu}
                waivers:
                  - {pattern: "*", category: denormal-flush, reference: R, reason: ftz, expires: 2027-01-31}
                """,
            file: "t.yaml"
        )
        #expect(descriptor.waivers.first?.category == .denormalFlush)
        #expect(descriptor.waivers.first?.owner == nil)
    }
}
