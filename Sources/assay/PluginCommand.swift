import ArgumentParser
import AssayBackend
import AssayCore
import AssayRunner
import AssayWorkspace
import Foundation

struct PluginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugin",
        abstract: "Test a plugin backend's protocol conformance.",
        subcommands: [Check.self, Bench.self]
    )

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that a plugin speaks the Assay Backend Protocol (docs/PROTOCOL.md).",
            discussion: """
                Starts CMD (or the plugin of the target --target names, as `assay run` would start it), then checks the handshake, runs every claimed op × dtype once on small seeded inputs \
                against the float64 reference, probes the error paths (unknown op, unknown message type, malformed \
                header; the plugin must keep serving), a benchmark's sample count, and shutdown. One line per check.

                Examples: assay plugin check -- python3 Backends/python/numpy_backend.py
                          assay plugin check --target numpy-cpu

                A target on the built-in CPU backend has no plugin to check; `assay targets describe TARGET` \
                shows any backend's op × dtype support.

                Exit codes: 0 every check passed, 1 a check failed, 2 bad usage (also a target without a plugin).
                """
        )

        @Option(name: .long, help: "Device string sent in the hello (options.device); overrides the target's.")
        var device: String?

        @Option(name: .long, help: "Check the plugin of this target (an id or a descriptor path) instead of a command.")
        var target: String?

        @Option(name: .long, help: "Seconds allowed for the handshake and for each request.")
        var timeout: Double = 60

        @Argument(parsing: .postTerminator, help: "The plugin command, after --.")
        var command: [String] = []

        func validate() throws {
            guard command.isEmpty != (target == nil) else {
                throw ValidationError(
                    "give --target TARGET or the plugin command after --, e.g. `assay plugin check -- python3 Backends/python/numpy_backend.py`"
                )
            }
            guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        }

        func run() throws {
            var configuration = PluginConfiguration(
                command: command,
                device: device,
                handshakeTimeoutSeconds: timeout,
                requestTimeoutSeconds: timeout,
                maxRestarts: 0
            )
            if let target { configuration = try Self.configuration(target: target, device: device, timeout: timeout) }
            let checks = PluginConformanceCheck(configuration: configuration).run { check in
                print(
                    "\(check.skipped ? "skip" : check.passed ? "ok  " : "FAIL") \(check.name)"
                        + (check.detail.isEmpty ? "" : ": \(check.detail)")
                )
            }
            let failed = checks.filter { !$0.passed && !$0.skipped }.count
            let skipped = checks.filter(\.skipped).count
            print(
                "\(checks.count - failed - skipped)/\(checks.count) checks passed"
                    + (failed == 0 ? "" : ", \(failed) failed")
                    + (skipped == 0 ? "" : ", \(skipped) not run")
            )
            if failed > 0 { throw ExitCode(ExitStatus.failure) }
        }

        /// The target's plugin as `assay run` starts it (command or fallback, cwd, env, device).
        static func configuration(target: String, device: String?, timeout: Double) throws -> PluginConfiguration {
            let locator = try ResourceLocator.current()
            let (file, descriptor) = try locator.findTarget(target)
            if let builtin = descriptor.backend.builtin {
                throw InputFailure(
                    message:
                        "\(file.displayName): target \(descriptor.id) uses the built-in backend '\(builtin)', not a plugin; "
                        + "`assay targets describe \(descriptor.id)` shows its op × dtype support"
                )
            }
            let base = locator.workspace.baseDirectory
            var configuration = try PluginConfiguration(spec: descriptor.backend.resolved(root: base), root: base)
            configuration.device = device ?? configuration.device
            configuration.handshakeTimeoutSeconds = timeout
            configuration.requestTimeoutSeconds = timeout
            configuration.maxRestarts = 0
            return configuration
        }
    }

    /// Protocol overhead figures for Benchmarks/protocol (hidden: a measurement tool, not a workflow).
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure the protocol's round-trip latency and tensor throughput against a raw pipe.",
            shouldDisplay: false
        )

        @Option(name: .long, help: "Round trips of a tiny execute to time.")
        var roundTrips: Int = 2000

        @Option(name: .long, help: "Bytes of the input tensor for the throughput test.")
        var bytes: Int = 64 << 20

        @Option(name: .long, help: "Repetitions of the throughput test.")
        var repeats: Int = 10

        @Argument(parsing: .postTerminator, help: "The plugin command, after --.")
        var command: [String] = []

        func validate() throws {
            guard !command.isEmpty else { throw ValidationError("give the plugin command after --") }
            guard roundTrips > 0, repeats > 0, bytes >= 4 else { throw ValidationError("counts must be positive") }
        }

        func run() throws {
            let figures = try PluginProtocolBenchmark(
                command: command,
                roundTrips: roundTrips,
                bytes: bytes,
                repeats: repeats
            ).run()
            print(figures.report)
        }
    }
}
