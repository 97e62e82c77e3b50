import AssayBackend
import AssayTestSupport
import Foundation
import Testing

@testable import AssayCore
@testable import AssayRunner

/// `assay run --no-ceilings`: a target without declared peaks gets no measured ceilings, and its
/// performance cases are measured all the same, without roofline figures.
@Suite struct CeilingSkipTests {
    @Test func noCeilingsSkipsTheProbeAndStillMeasures() throws {
        let folder = try TemporaryDirectory.make(prefix: "assay-no-ceilings")
        defer { try? FileManager.default.removeItem(at: folder) }
        let suite = folder.appendingPathComponent("perf.yaml")
        try """
        id: perf
        kind: performance
        performance: {time_cap_s: 1}
        cases:
          - {op: add, dtypes: [f32], shapes: [{a: [4096], b: [4096]}]}
        """.write(to: suite, atomically: true, encoding: .utf8)
        // local-cpu declares no peaks: without the flag this run would measure ceilings first.
        let request = RunRequest(
            target: "local-cpu",
            suites: [suite.path],
            reportsRoot: folder.appendingPathComponent("Reports"),
            root: Repository.root,
            command: ["test"],
            measuresCeilings: false
        )
        let session = try RunSetup.prepare(request, progress: ProgressReporter(quiet: true)) { _, _ in
            NativeCPUBackend(threads: 1)
        }
        let record = try session.run()
        #expect(record.measuredCeilings == nil)
        let performance = try #require(record.cases.first?.performance)
        #expect(record.cases.first?.outcome == .pass && performance.n > 0)
        #expect(performance.percentOfRoofline == nil && performance.ceilingSource == nil)
    }
}
