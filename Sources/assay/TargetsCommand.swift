import ArgumentParser
import AssayCore
import AssayProbe
import AssayRunner
import AssayWorkspace
import Foundation

struct TargetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "targets",
        abstract: "List and validate target descriptors.",
        subcommands: [List.self, Describe.self, Validate.self, Probe.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the targets found (workspace, $ASSAY_HOME, built-in) and where each came from."
        )

        @Flag(
            name: .long,
            help:
                "Print a JSON array of {name, origin, path, valid, error, summary {id, title, kind, vendor, model, backend}}."
        )
        var json = false

        struct Summary: Encodable {
            var id: String
            var title: String
            var kind: String
            var vendor: String?
            var model: String?
            /// `builtin:cpu`, or the plugin command (`| else ` before the fallback command).
            var backend: String
        }

        func run() throws {
            try ResourceListing.run(.target, json: json) { file in
                let descriptor = try TargetDescriptor.parse(text: file.text, file: file.displayName)
                let backend =
                    descriptor.backend.builtin.map { "builtin:\($0)" }
                    ?? [descriptor.backend.command, descriptor.backend.fallbackCommand].compactMap {
                        $0?.joined(separator: " ")
                    }.joined(separator: " | else ")
                let summary = Summary(
                    id: descriptor.id,
                    title: descriptor.title,
                    kind: descriptor.kind.rawValue,
                    vendor: descriptor.vendor,
                    model: descriptor.model,
                    backend: backend
                )
                return (
                    summary,
                    "\(descriptor.id.padding(toLength: 26, withPad: " ", startingAt: 0)) \(descriptor.kind.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(descriptor.title)  [\(backend)]"
                )
            }
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate descriptors; errors name file, line and field.",
            discussion: "Exit 0 when every file is valid, 2 otherwise."
        )
        @Argument(help: "Descriptor files (default: every target `assay targets list` shows).")
        var files: [String] = []

        func run() throws {
            let locator = try ResourceLocator.current()
            var invalid = 0
            let sources: [() throws -> LocatedResource] =
                files.isEmpty
                ? locator.list(.target).map { file in { file } }
                : files.map { path in { try locator.locate(path, kind: .target) } }
            for source in sources {
                do {
                    let file = try source()
                    // The program and cwd must exist here too: a descriptor that cannot start is not ok.
                    let base = locator.workspace.baseDirectory
                    let descriptor = try TargetDescriptor.parse(
                        text: file.text,
                        file: file.displayName,
                        variables: file.descriptorVariables(root: base)
                    )
                    var launched = descriptor
                    launched.backend = descriptor.backend.resolved(root: base)
                    try TargetPreflight.check(launched, text: file.text, file: file.displayName, root: base)
                    print("ok      \(file.displayName) (\(descriptor.id))")
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
                """
        )
        @Option(
            help:
                "The backend to write: \(BackendDraft.names.joined(separator: ", ")) (a shipped plugin or the built-in CPU backend)."
        )
        var backend: String?
        @Option(help: "The device for --backend torch (cpu, cuda, npu, mlu…).")
        var device: String?
        @Option(help: "Copy the backend of this descriptor (an id under Targets/ or a path).")
        var target: String?

        func validate() throws {
            if backend != nil, target != nil { throw ValidationError("give --backend or --target, not both") }
            if let backend, BackendDraft.named(backend) == nil {
                throw ValidationError(
                    "unknown --backend '\(backend)' (one of: \(BackendDraft.names.joined(separator: ", ")))"
                )
            }
            if device != nil, backend != "torch" { throw ValidationError("--device goes with --backend torch") }
        }

        func run() throws {
            var spec = backend.flatMap { BackendDraft.named($0, device: device) }
            if let target {
                let file = try ResourceLocator.current().locate(target, kind: .target)
                spec = try TargetDescriptor.parse(text: file.text, file: file.displayName).backend
            }
            print(ProbeYAML.render(SystemProbe(source: LiveProbeSource()).probe(), backend: spec), terminator: "")
        }
    }
}
