import ArgumentParser
import AssayBackend
import AssayCore
import AssayWorkspace
import Foundation

extension TargetsCommand {
    /// What a target's backend says it can do: starts it (plugin or built-in) and prints the
    /// handshake — identity, devices, timer and the op × dtype support it claims.
    struct Describe: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start a target's backend and print its identity and op × dtype support from the handshake.",
            discussion: """
                Works for the built-in CPU backend and for plugins alike. A plugin is started as `assay run` \
                would start it (command or fallback_command, cwd, env, device), asked to describe itself, and \
                shut down.

                Exit codes: 0 described; 1 the backend did not start or describe itself; 2 bad input.
                """
        )

        @Argument(help: "Target id or descriptor path.")
        var target: String

        @Flag(
            name: .long,
            help:
                "Print JSON: target, title, origin, backend (name, version, transport, protocolVersion, devices, timer, capabilities {op: [dtypes]}, runtime)."
        )
        var json = false

        struct Description: Encodable {
            var target: String
            var title: String
            var origin: String
            var backend: BackendIdentity
        }

        func run() throws {
            let locator = try ResourceLocator.current()
            let (file, descriptor) = try locator.findTarget(target)
            let base = locator.workspace.baseDirectory
            var launched = descriptor
            launched.backend = descriptor.backend.resolved(root: base)
            let identity: BackendIdentity
            do {
                let backend = try BackendFactory.make(launched, root: base)
                defer { backend.shutdown() }
                identity = try backend.describe()
            } catch {
                FileHandle.standardError.write(
                    Data("error: the backend of \(descriptor.id) did not describe itself: \(error)\n".utf8)
                )
                throw ExitCode(ExitStatus.failure)
            }
            if json {
                try JSONOutput.print(
                    Description(
                        target: descriptor.id,
                        title: descriptor.title,
                        origin: file.whereFrom,
                        backend: identity
                    )
                )
                return
            }
            print("target:  \(descriptor.id) — \(descriptor.title)  (\(file.whereFrom))")
            print(
                "backend: \(identity.name) \(identity.version) (\(identity.transport.rawValue)\(identity.protocolVersion.map { ", protocol \($0)" } ?? "")), timer \(identity.timer)"
            )
            for device in identity.devices {
                print("device \(device.index): \(device.name)\(device.kind.map { " (\($0))" } ?? "")")
            }
            print(Self.matrix(identity.capabilities.claims), terminator: "")
        }

        /// The op × dtype grid: `x` where the backend claims support, `.` where it does not.
        static func matrix(_ capabilities: [String: [String]]) -> String {
            let known = DType.allCases.map(\.rawValue)
            let claimed = Set(capabilities.values.flatMap { $0 })
            let dtypes = known.filter(claimed.contains) + claimed.subtracting(known).sorted()
            let width = max(4, (capabilities.keys.map(\.count).max() ?? 0) + 2)
            var lines = [
                "op".padding(toLength: width, withPad: " ", startingAt: 0)
                    + dtypes.map { $0.padding(toLength: 6, withPad: " ", startingAt: 0) }.joined()
            ]
            for op in capabilities.keys.sorted() {
                let supported = Set(capabilities[op] ?? [])
                lines.append(
                    op.padding(toLength: width, withPad: " ", startingAt: 0)
                        + dtypes.map {
                            (supported.contains($0) ? "x" : ".").padding(toLength: 6, withPad: " ", startingAt: 0)
                        }.joined()
                )
            }
            lines.append(
                "\(capabilities.count) ops, \(capabilities.values.reduce(0) { $0 + $1.count }) op × dtype pairs claimed"
            )
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
