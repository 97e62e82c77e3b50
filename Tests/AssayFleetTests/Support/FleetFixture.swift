import AssayCore
import AssayFleet
import AssayTestSupport
import Foundation
import Testing

/// A scratch workspace for one fleet test: descriptors, the fleet folder, and the built `assay`.
struct FleetFixture {
    let folder: URL
    let assay: URL

    init() throws {
        folder = try TemporaryDirectory.make(prefix: "assay-fleet")
        // An empty assay.yaml makes the scratch folder the workspace: Reports/ and fleets land here.
        try Data().write(to: folder.appendingPathComponent("assay.yaml"))
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("Targets"),
            withIntermediateDirectories: true
        )
        guard let assay = Repository.assayExecutable else { throw FixtureError.notBuilt }
        self.assay = assay
    }

    enum FixtureError: Error {
        case notBuilt
        case timedOut(String)
    }

    /// Writes `Targets/<name>.yaml`; returns its path.
    @discardableResult
    func descriptor(_ name: String, _ text: String) throws -> URL {
        let url = folder.appendingPathComponent("Targets/\(name).yaml")
        try Data(text.utf8).write(to: url)
        return url
    }

    /// The local-cpu descriptor under another id (and with extra lines).
    @discardableResult
    func cpuDescriptor(id: String, extra: String = "") throws -> URL {
        try descriptor(
            id,
            """
            id: \(id)
            kind: cpu
            backend:
              builtin: cpu
              threads: 1
            \(extra)
            """
        )
    }

    /// The one fleet folder under Reports/fleets.
    func fleetFolder() throws -> URL {
        let fleets = folder.appendingPathComponent("Reports/fleets")
        let names = try FileManager.default.contentsOfDirectory(atPath: fleets.path).filter { $0.hasPrefix("fleet-") }
        #expect(names.count == 1)
        return fleets.appendingPathComponent(try #require(names.first))
    }

    func manifest(_ fleet: URL) throws -> FleetManifest { try FleetDirectory(fleet).loadManifest() }

    func summary(_ fleet: URL) throws -> FleetSummary {
        try RecordCoding.decoder().decode(
            FleetSummary.self,
            from: Data(contentsOf: fleet.appendingPathComponent("summary.json"))
        )
    }

    func record(_ runDirectory: String) throws -> RunRecord {
        try RunRecord.load(contentsOf: URL(fileURLWithPath: runDirectory).appendingPathComponent("run.json"))
    }

    /// Polls `condition` every 0.2 s up to `seconds`.
    func wait(_ what: String, seconds: Double, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return }
            usleep(200_000)
        }
        throw FixtureError.timedOut(what)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}
