import ArgumentParser
import AssayCore
import AssayProbe
import AssayRunner
import Foundation

struct TargetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "targets",
        abstract: "List and validate target descriptors.",
        subcommands: [List.self, Validate.self, Probe.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the descriptors under Targets/.")
        func run() throws {
            for url in YAMLFolder.files(in: "Targets") {
                do {
                    let (descriptor, _) = try TargetDescriptor.load(contentsOf: url, displayName: "Targets/\(url.lastPathComponent)")
                    let backend = descriptor.backend.builtin.map { "builtin:\($0)" } ?? (descriptor.backend.command?.joined(separator: " ") ?? "")
                    print("\(descriptor.id.padding(toLength: 26, withPad: " ", startingAt: 0)) \(descriptor.kind.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(descriptor.title)  [\(backend)]")
                } catch {
                    print("\(url.lastPathComponent): INVALID — \(error)")
                }
            }
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate descriptors; errors name file, line and field.",
            discussion: "Exit 0 when every file is valid, 2 otherwise.")
        @Argument(help: "Descriptor files (default: every file under Targets/).")
        var files: [String] = []

        func run() throws {
            let urls = files.isEmpty ? YAMLFolder.files(in: "Targets") : files.map { URL(fileURLWithPath: $0) }
            var invalid = 0
            for url in urls {
                let name = files.isEmpty ? "Targets/\(url.lastPathComponent)" : url.relativePath
                do {
                    let (descriptor, text) = try TargetDescriptor.load(contentsOf: url, displayName: name)
                    // The program and cwd must exist here too: a descriptor that cannot start is not ok.
                    try TargetPreflight.check(descriptor, text: text, file: name,
                                              root: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
                    print("ok      \(name) (\(descriptor.id))")
                } catch {
                    invalid += 1
                    print("invalid \(error)")
                }
            }
            if invalid > 0 { throw ExitCode(ExitStatus.badInput) }
        }
    }
}

extension TargetsCommand {
    struct Probe: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print what the system probes see here, as YAML a new descriptor can start from.",
            discussion: """
            The draft validates as a descriptor (`assay targets validate`). Its backend is torch on the \
            accelerator found (cuda, npu, mlu, musa) or the built-in CPU backend, unless --backend or \
            --target names one.
            """)
        @Option(help: "The backend to write: \(BackendDraft.names.joined(separator: ", ")) (a shipped plugin or the built-in CPU backend).")
        var backend: String?
        @Option(help: "The device for --backend torch (cpu, cuda, npu, mlu…).")
        var device: String?
        @Option(help: "Copy the backend of this descriptor (an id under Targets/ or a path).")
        var target: String?

        func validate() throws {
            if backend != nil, target != nil { throw ValidationError("give --backend or --target, not both") }
            if let backend, BackendDraft.named(backend) == nil {
                throw ValidationError("unknown --backend '\(backend)' (one of: \(BackendDraft.names.joined(separator: ", ")))")
            }
            if device != nil, backend != "torch" { throw ValidationError("--device goes with --backend torch") }
        }

        func run() throws {
            var spec = backend.flatMap { BackendDraft.named($0, device: device) }
            if let target {
                let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
                do {
                    spec = try TargetDescriptor.load(contentsOf: RunSetup.locate(target, folder: "Targets", root: root)).0.backend
                } catch let error as InputError {
                    throw InputFailure(message: error.description)
                }
            }
            print(ProbeYAML.render(SystemProbe(source: LiveProbeSource()).probe(), backend: spec), terminator: "")
        }
    }
}

/// The YAML files of a repository folder, sorted.
enum YAMLFolder {
    static func files(in folder: String) -> [URL] {
        let url = URL(fileURLWithPath: folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { url.appendingPathComponent($0) }
    }
}
