import AssayCore
import Foundation
import Testing

@testable import AssayProbe

/// The live source on whatever machine runs the tests: sanity only, nothing machine-specific.
@Suite struct LiveProbeTests {
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/sys/kernel/osrelease")))
    func probesThisMachine() throws {
        let facts = SystemProbe(source: LiveProbeSource()).probe()
        let release = try #require(facts.kernel?.release)
        #expect(!release.isEmpty)
        #expect((facts.cpu?.logicalCores ?? 0) >= 1)
        #expect((facts.memory?.totalKiB ?? 0) > 0)
        #expect(facts.acceleratorTools?.count == AcceleratorToolSpec.all.count)
        #expect(facts.toolchain?.count == SystemProbe.toolchainTools.count)
        // The whole pipeline works on real data too.
        #expect(EnvironmentFingerprint(facts: facts).digest.count == 64)
        #expect(ProbeYAML.render(facts).hasPrefix("# Target descriptor"))
    }

    @Test func readsProcFilesThatStatAsEmpty() throws {
        let source = LiveProbeSource()
        if FileManager.default.fileExists(atPath: "/proc/self/status") {
            #expect(source.readFile("/proc/self/status")?.contains("Name:") == true)
        }
        #expect(source.readFile("/nonexistent/file") == nil)
        #expect(source.listDirectory("/nonexistent") == nil)
        #expect(source.readLink("/nonexistent") == nil)
    }

    @Test func runsToolsAndReportsAbsentOnes() throws {
        let source = LiveProbeSource()
        #expect(source.run(["assay-no-such-tool-\(UInt32.random(in: 0...UInt32.max))"]) == nil)
        let echo = try #require(source.run(["sh", "-c", "echo out; echo err >&2; exit 3"]))
        #expect(echo.exitCode == 3)
        #expect(echo.stdout == "out\n")
        #expect(echo.stderr == "err\n")
        #expect(!echo.succeeded)
        #expect(!echo.timedOut)
    }

    @Test func stopsAToolThatRunsPastItsLimit() throws {
        let start = Date()
        let result = try #require(LiveProbeSource(timeout: 0.5).run(["sleep", "30"]))
        #expect(result.timedOut)
        #expect(!result.succeeded)
        #expect(Date().timeIntervalSince(start) < 10)
    }

    @Test func largeOutputDoesNotDeadlock() throws {
        // Far more than a pipe buffer on both streams at once.
        let result = try #require(
            LiveProbeSource(timeout: 20).run(
                ["sh", "-c", "i=0; while [ $i -lt 20000 ]; do echo line-$i; echo err-$i >&2; i=$((i+1)); done"])
        )
        #expect(result.succeeded)
        #expect(result.stdout.lines.count == 20000)
        #expect(result.stderr.lines.count == 20000)
    }

    @Test func searchPathIncludesSbinDirectories() {
        let source = LiveProbeSource(environment: ["PATH": "/opt/x/bin"])
        #expect(source.searchPath.first == "/opt/x/bin")
        #expect(source.searchPath.contains("/usr/sbin"))
        #expect(Set(source.searchPath).count == source.searchPath.count)
    }
}
