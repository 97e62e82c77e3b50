import AssayCertify
import AssayCore
import AssayTestSupport
import Foundation
import Testing

/// The real `assay` binary: a run signed with a station key is certified only with that station
/// trusted; file-system errors and a bad --at are bad input (exit 2) that name the path or read
/// as a sentence; keygen makes missing folders.
@Suite(.serialized) struct CommandLineTests {
    func assay(_ arguments: [String], in directory: URL) throws -> Subprocess.Result {
        try Subprocess.run([try #require(Repository.assayExecutable).path] + arguments, in: directory)
    }

    @Test(.enabled(if: Repository.assayExecutable != nil, "the assay executable is not built"))
    func badInputIsExit2AndSaysWhere() throws {
        let directory = try TemporaryDirectory.make(prefix: "assay-cli")
        defer { try? FileManager.default.removeItem(at: directory) }
        try RunFixtures.writeAttested(RunFixtures.run(), to: directory)
        #expect(
            FileManager.default.createFile(atPath: directory.appendingPathComponent("plain").path, contents: Data())
        )
        let report = try assay(
            ["report", directory.path, "--out", directory.appendingPathComponent("plain/sub").path],
            in: directory
        )
        #expect(report.status == 2 && report.output.contains("plain/sub: cannot write"), "\(report.output)")
        let keygen = try assay(["keygen", "--out", "keys/deep/lab"], in: directory)
        #expect(keygen.status == 0, "\(keygen.output)")
        let profile = directory.appendingPathComponent("p.yaml")
        try RunFixtures.profileText.write(to: profile, atomically: true, encoding: .utf8)
        try RunFixtures.station.publicKey.pemRepresentation.write(
            to: directory.appendingPathComponent("station.pub"),
            atomically: true,
            encoding: .utf8
        )
        let base = [
            "certify", directory.path, "--profile", profile.path, "--key", "keys/deep/lab.key", "--station-pubkey",
            "station.pub",
        ]
        let at = try assay(base + ["--at", "nope"], in: directory)
        #expect(
            at.status == 2 && at.output.contains("--at 'nope' is not a time: give an RFC 3339 time such as"),
            "\(at.output)"
        )
        let out = try assay(
            base + [
                "--at", "2026-06-01T00:00:00Z", "--out", directory.appendingPathComponent("plain/c.dsse.json").path,
            ],
            in: directory
        )
        #expect(out.status == 2 && out.output.contains("plain/c.dsse.json"), "\(out.output)")
        let issued = try assay(base + ["--at", "2026-06-01T00:00:00Z"], in: directory)
        #expect(issued.status == 0 && issued.output.contains("certified: npu-x pass performance"), "\(issued.output)")
        let untrusted = try assay(
            [
                "certify", directory.path, "--profile", profile.path, "--key", "keys/deep/lab.key",
                "--station-pubkey", "keys/deep/lab.pub", "--at", "2026-06-01T00:00:00Z",
            ],
            in: directory
        )
        #expect(
            untrusted.status == 1 && untrusted.output.contains("is not signed by a trusted station"),
            "\(untrusted.output)"
        )
    }
}
