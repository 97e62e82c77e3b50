import AssayCore
import Foundation

/// Applies a target's waivers: a matching failure becomes `waived`; an expired waiver no
/// longer applies, and the case's message says so. A waiver applies through its `expires` day (UTC).
public struct WaiverPolicy: Sendable {
    public let waivers: [Waiver]
    public let now: Date

    public init(waivers: [Waiver], now: Date = Date()) {
        self.waivers = waivers
        self.now = now
    }

    public func apply(to result: inout CaseResult) {
        guard [.fail, .error, .crash, .timeout].contains(result.outcome) else { return }
        let matching = waivers.filter { $0.matches(result.id.description) }
        if let active = matching.first(where: { !$0.isExpired(at: now) }) {
            result.waiver = WaiverNote(active, expired: false)
            result.message =
                "waived (\(active.category.rawValue), \(active.reference)): \(result.message ?? result.outcome.rawValue)"
            result.outcome = .waived
        } else if let expired = matching.first {
            result.waiver = WaiverNote(expired, expired: true)
            result.message =
                "waiver \(expired.reference) (\(expired.category.rawValue), pattern \(expired.pattern)) expired on "
                + "\(Waiver.dayText(expired.expires)), so the failure stands: \(result.message ?? result.outcome.rawValue)"
        }
    }
}
