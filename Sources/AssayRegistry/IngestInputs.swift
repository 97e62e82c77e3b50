import AssayCertify
import Foundation

/// What `assay registry ingest PATH...` finds: run directories (a folder holding run.json, or
/// run.json itself) and certificates (`*.dsse.json` other than a run attestation), in the
/// paths given and, for any other folder, anywhere below it. Hidden folders (a run still being
/// built, `.<id>.partial`) and symbolic links (`latest`) are skipped so nothing counts twice.
public struct IngestInputs: Equatable, Sendable {
    public var runs: [URL] = []
    public var certificates: [URL] = []

    public init(paths: [String], relativeTo root: URL) throws {
        for path in paths {
            let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: root.path, isDirectory: true))
                .standardizedFileURL
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                throw RegistryError.badInput(file: path, message: "no such file or folder")
            }
            if !isDirectory.boolValue {
                if url.lastPathComponent == "run.json" {
                    add(run: url.deletingLastPathComponent())
                } else if Self.isCertificate(url) {
                    add(certificate: url)
                } else {
                    throw RegistryError.badInput(
                        file: path,
                        message: "neither a run (run.json or its folder) nor a certificate (*.dsse.json)"
                    )
                }
            } else {
                walk(url.resolvingSymlinksInPath())
            }
        }
        if runs.isEmpty && certificates.isEmpty {
            throw RegistryError.badInput(file: paths.joined(separator: " "), message: "no runs or certificates found")
        }
    }

    static func isCertificate(_ url: URL) -> Bool {
        url.lastPathComponent.hasSuffix(".dsse.json") && url.lastPathComponent != RunAttestation.fileName
    }

    private mutating func add(run directory: URL) {
        if !runs.contains(directory) { runs.append(directory) }
    }

    private mutating func add(certificate url: URL) {
        if !certificates.contains(url) { certificates.append(url) }
    }

    private mutating func walk(_ directory: URL) {
        let manager = FileManager.default
        if manager.fileExists(atPath: directory.appendingPathComponent("run.json").path) { add(run: directory) }
        let names = ((try? manager.contentsOfDirectory(atPath: directory.path)) ?? []).filter { !$0.hasPrefix(".") }
            .sorted()
        for name in names {
            let entry = directory.appendingPathComponent(name)
            if (try? manager.destinationOfSymbolicLink(atPath: entry.path)) != nil { continue }
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: entry.path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue { walk(entry) } else if Self.isCertificate(entry) { add(certificate: entry) }
        }
    }
}
