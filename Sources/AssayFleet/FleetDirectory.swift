import AssayCore
import Foundation

/// The folder of one fleet: `fleet.json`, the generated job scripts (`jobs/`), one log per
/// target (`logs/`), and what each job reports back (`runs/<target>.path`, `runs/<target>.exit`).
public struct FleetDirectory: Sendable {
    public static let manifestName = "fleet.json"

    public let url: URL

    public init(_ url: URL) { self.url = url.standardizedFileURL }

    public var manifestURL: URL { url.appendingPathComponent(Self.manifestName) }
    public var jobsFolder: URL { url.appendingPathComponent("jobs") }
    public var logsFolder: URL { url.appendingPathComponent("logs") }
    public var runsFolder: URL { url.appendingPathComponent("runs") }

    /// The script that runs one target (regenerated on every submission of it).
    public func jobScript(for targetID: String) -> URL { jobsFolder.appendingPathComponent("\(targetID).sh") }
    public func log(for targetID: String) -> URL { logsFolder.appendingPathComponent("\(targetID).log") }
    /// Written by `assay run --run-dir-file` as soon as the run directory exists.
    public func runPathFile(for targetID: String) -> URL { runsFolder.appendingPathComponent("\(targetID).path") }
    /// The job's exit status, written when `assay run` (and certify) returned.
    public func exitFile(for targetID: String) -> URL { runsFolder.appendingPathComponent("\(targetID).exit") }

    /// Creates the folders of a new fleet; refuses a folder that already holds one.
    public func create() throws {
        if FileManager.default.fileExists(atPath: manifestURL.path) {
            throw InputError(
                file: url.path,
                message: "already holds a fleet; resume it with `assay fleet submit --resume \(url.path)`"
            )
        }
        for folder in [url, jobsFolder, logsFolder, runsFolder] {
            do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
                throw InputError(file: folder.path, message: "cannot create the folder: \(error.localizedDescription)")
            }
        }
    }

    public func loadManifest() throws -> FleetManifest {
        guard let data = FileManager.default.contents(atPath: manifestURL.path) else {
            throw InputError(
                file: manifestURL.path,
                message: "no fleet manifest here: not a fleet folder (see `assay fleet submit`)"
            )
        }
        let manifest: FleetManifest
        do { manifest = try RecordCoding.decoder().decode(FleetManifest.self, from: data) } catch {
            throw InputError(file: manifestURL.path, message: "malformed fleet manifest: \(error)")
        }
        guard manifest.format == FleetManifest.currentFormat else {
            throw InputError(
                file: manifestURL.path,
                field: "format",
                message: "'\(manifest.format)' is not \(FleetManifest.currentFormat)"
            )
        }
        return manifest
    }

    /// Replaces `fleet.json` atomically: a reader sees the old manifest or the new one.
    public func save(_ manifest: FleetManifest) throws {
        do { try RecordCoding.encoder().encode(manifest).write(to: manifestURL, options: .atomic) } catch {
            throw InputError(
                file: manifestURL.path,
                message: "cannot write the fleet manifest: \(error.localizedDescription)"
            )
        }
    }

    /// The run directory the target's job announced, if it got that far.
    public func runDirectory(for targetID: String) -> URL? {
        guard let text = try? String(contentsOf: runPathFile(for: targetID), encoding: .utf8) else { return nil }
        let path = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return path.isEmpty ? nil : URL(fileURLWithPath: path)
    }

    /// The exit status the target's last job wrote, if it finished.
    public func exitStatus(for targetID: String) -> Int32? {
        guard let text = try? String(contentsOf: exitFile(for: targetID), encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
