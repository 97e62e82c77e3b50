import AssayBackend
import AssayBench
import AssayPlanning
import Foundation
import Testing

@testable import AssayCore
@testable import AssayOps
@testable import AssayRunner

/// A clock on which every reading is 20 s after the last: no call ever fits a 15 s time cap.
private final class LeapingClock: NanosecondClock, @unchecked Sendable {
    private var now: UInt64 = 0
    func nanoseconds() -> UInt64 {
        now += 20_000_000_000
        return now
    }
}

/// Samples through the real sampler, on a clock that has the time cap pass before the first sample.
private struct CappedBeforeAnySample: PerformanceCaseRunner {
    func run(_ work: OpCase) throws -> PerformanceRecord {
        try Sampler(clock: LeapingClock()) { _, samples in
            Array(repeating: MeasuredSample(elapsedNanoseconds: 1_000), count: samples)
        }.run()
    }
}

@Suite struct NoSampleCaseTests {
    @Test func aPerformanceCaseWithoutASampleIsAnErrorNotAPass() throws {
        let suite = try Suite.parse(
            text: """
                id: t
                kind: performance
                cases:
                  - {op: add, dtypes: [f32], shapes: [{a: [64], b: [64]}]}
                """,
            file: "test.yaml",
            validator: OpCatalogue.standard
        )
        let backend = NativeCPUBackend(threads: 1)
        let executor = CaseExecutor(
            backend: backend,
            identity: try backend.describe(),
            performanceRunner: CappedBeforeAnySample(),
            systemChecker: nil
        )
        let results = try SuiteExpander.expand(suite, catalogue: .standard).map(executor.run)
        #expect(results.count == 1)
        let result = try #require(results.first)
        #expect(result.outcome == .error)
        #expect(result.message?.contains("before any sample was kept") == true)
        #expect(result.message?.contains("--time-cap") == true)
        // The record of what happened is kept: no samples, and why.
        #expect(result.performance?.n == 0)
    }
}
