import AssayBackend
import AssayTestSupport
import Foundation
import Testing

@testable import AssayCore
@testable import AssayRunner

/// The `sustained_load` burn-in: back-to-back GEMM on every rank holds its rate (pass), a
/// backend whose GEMM slows down under load fails naming the drop, and a clock below the
/// declared floor fails as throttling.
@Suite(.enabled(if: Python.canImport("numpy"), "python3 with numpy is not available"))
struct SustainedLoadTests {
    static let suite = """
        id: burn
        kind: system
        cases:
          - check: sustained_load
        """

    @Test func everyRankHoldsItsRate() throws {
        let fixture = try PluginFixture()
        defer { fixture.cleanUp() }
        let (record, _) = try fixture.run(
            target: """
                id: burn-numpy
                kind: server
                backend:
                  command: [python3, "\(Repository.root.path)/Backends/python/numpy_backend.py"]
                  device: cpu
                  ranks: 2
                expect:
                  sustained_load: {duration_s: 2, max_decay: 0.9, size: 64}
                """,
            suite: Self.suite
        )
        let result = try #require(record.cases.first)
        #expect(result.outcome == .pass, "\(result.message ?? "") \(result.system?.observed ?? "")")
        let figures = try #require(result.system?.figures)
        #expect(figures["devices"] == 2 && (figures["first_window_flops"] ?? 0) > 0 && figures["decay"] != nil)
    }

    @Test func aSlowingDeviceFailsWithTheDrop() throws {
        let fixture = try PluginFixture()
        defer { fixture.cleanUp() }
        let (record, _) = try fixture.run(
            target: """
                id: burn-decaying
                kind: server
                backend:
                  command: [python3, "\(PluginFixtures.path("decaying_numpy.py"))", "\(Repository.root.path)"]
                  device: cpu
                expect:
                  sustained_load: {duration_s: 3, max_decay: 0.1, size: 64}
                """,
            suite: Self.suite
        )
        let result = try #require(record.cases.first)
        #expect(result.outcome == .fail)
        #expect(
            result.system?.observed.contains("device 0: GEMM rate fell") == true,
            "\(result.system?.observed ?? "")"
        )
        #expect((result.system?.figures?["decay"] ?? 0) > 0.1)
    }

    @Test func aClockBelowTheFloorIsThrottling() {
        let clock = TelemetrySample(smClockMHz: 900, memClockMHz: nil, powerWatts: 700, temperatureC: 88)
        let steady = SustainedLoad.Trace(
            points: (0..<10).map { (Double($0), 1e12) },
            telemetry: Array(repeating: clock, count: 10)
        )
        let spec = SustainedLoadSpec(durationSeconds: 10, maxDecay: 0.1, minClockFraction: 0.8)
        let throttled = SustainedLoad.judge([steady], spec: spec, maxClockMHz: 1980)
        #expect(!throttled.holds && throttled.observed.contains("throttled: SM clock down to 900 MHz"))
        #expect(throttled.figures["max_temperature_c"] == 88)
        let fine = SustainedLoad.judge([steady], spec: spec, maxClockMHz: 1000)
        #expect(fine.holds && fine.figures["decay"] == 0)
        var falling = steady
        falling.points = (0..<10).map { (Double($0), $0 < 5 ? 1e12 : 0.8e12) }
        #expect(
            !SustainedLoad.judge(
                [steady, falling],
                spec: SustainedLoadSpec(durationSeconds: 10, maxDecay: 0.1),
                maxClockMHz: nil
            ).holds
        )
    }
}
