import AssayCore
import Testing

@testable import AssayGate

/// `observed` counts like `pass` for regressions only (docs/DECISIONS.md).
@Suite struct ObservedOutcomeGateTests {
    @Test func anObservedReadingThatNowFailsOrIsUnsupportedRegressed() {
        #expect(ConformanceComparison.change(from: .observed, to: .fail) == .regressed)
        #expect(ConformanceComparison.change(from: .observed, to: .crash) == .regressed)
        #expect(ConformanceComparison.change(from: .observed, to: .unsupported) == .regressed)
    }

    @Test func passAndObservedAreNotChangesAndObservedIsNoFix() {
        #expect(ConformanceComparison.change(from: .pass, to: .observed) == nil)
        #expect(ConformanceComparison.change(from: .observed, to: .pass) == nil)
        #expect(ConformanceComparison.change(from: .fail, to: .observed) == nil)
        #expect(ConformanceComparison.change(from: .fail, to: .pass) == .fixed)
    }
}
