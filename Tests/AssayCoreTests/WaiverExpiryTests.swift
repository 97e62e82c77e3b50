import Foundation
import Testing

@testable import AssayCore

/// `expires: 2027-03-31` means "after this date": the waiver covers that whole day.
struct WaiverExpiryTests {
    @Test func aDateCoversItsWholeDayATimeEndsThen() throws {
        let day = try #require(YAMLValue.parseDate("2027-03-31"))
        let waiver = Waiver(pattern: "*", category: .knownBug, reference: "B-1", reason: "r", expires: day)
        #expect(!waiver.isExpired(at: day.addingTimeInterval(86_399)))
        #expect(waiver.isExpired(at: day.addingTimeInterval(86_400)))
        let instant = try #require(YAMLValue.parseDate("2027-03-31T12:00:00Z"))
        let timed = Waiver(pattern: "*", category: .knownBug, reference: "B-1", reason: "r", expires: instant)
        #expect(!timed.isExpired(at: instant.addingTimeInterval(-1)) && timed.isExpired(at: instant))
    }
}
