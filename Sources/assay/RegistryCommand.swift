import ArgumentParser
import AssayCertify
import AssayCore
import AssayRegistry
import Foundation

struct RegistryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "A lab's results registry (SQLite or PostgreSQL) and its published compatibility list.",
        discussion: """
            --db is a file (SQLite, the default Reports/registry.sqlite) or postgres://user@host:port/db \
            (`?host=/socket/dir` for a unix socket; needs a build with `swift build --traits PostgreSQL`). The schema \
            is created and migrated forward on open. `assay gate --baseline registry:TARGET[@RUN-ID]` gates against it.

            Exit codes: 0 done, 1 ingest refused something (the reason is printed; the rest was stored), 2 bad input.
            """,
        subcommands: [Ingest.self, List.self, Trend.self, Site.self]
    )

    static var root: URL { URL(fileURLWithPath: FileManager.default.currentDirectoryPath) }

    /// Opens the registry, runs `body`, closes it; registry and database errors are bad input (exit 2).
    static func with<T>(_ db: String?, _ body: (Registry) throws -> T) throws -> T {
        do {
            let registry = try RegistryConnection.open(db, relativeTo: root)
            defer { registry.close() }
            return try body(registry)
        } catch let error as RegistryError {
            throw InputFailure(message: error.description)
        } catch let error as DatabaseError {
            throw InputFailure(message: error.description)
        } catch let error as InputError {
            throw InputFailure(message: error.description)
        } catch let error as KeyError {
            throw InputFailure(message: "\(error)")
        }
    }

    /// The gate's `--baseline registry:TARGET[@RUN-ID]`.
    static func baseline(_ text: String, db: String?, root: URL) throws -> ([RunRecord], String) {
        let reference: RegistryBaseline
        do { reference = try RegistryBaseline(text) } catch { throw InputFailure(message: "\(error)") }
        return try with(db) { try reference.load(from: $0) }
    }

    struct Connection: ParsableArguments {
        @Option(
            name: .long,
            help: "The registry: a SQLite file (default Reports/registry.sqlite) or a postgres:// URL."
        )
        var db: String?
    }

    struct Filters: ParsableArguments {
        @Option(name: .long, help: "Only this target id.") var target: String?
        @Option(name: .long, help: "Only targets of this vendor.") var vendor: String?
        @Option(name: .long, help: "Only targets of this kind (accelerator, cpu, server, os).") var kind: String?
        @Option(name: .long, help: "Only targets on this OS (as listed, e.g. 'debian 12').") var os: String?
        @Option(name: .long, help: "Only certificates under this profile.") var profile: String?

        var filter: RegistryFilter {
            RegistryFilter(target: target, vendor: vendor, kind: kind, os: os, profile: profile)
        }
    }

    struct Ingest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store runs, their summaries and waivers, and verified certificates.",
            discussion:
                "Each PATH is a run directory, a run.json, a certificate (*.dsse.json) or a folder searched for them (e.g. Reports/). A run stored before with the same bytes changes nothing; each run and each certificate is one transaction."
        )

        @Argument(help: "Runs, certificates, or folders holding them.") var paths: [String]
        @OptionGroup var connection: Connection
        @Option(
            name: .long,
            help: ArgumentHelp(
                "Issuer public keys (PEM, one or several blocks per file) certificates must verify with (repeatable).",
                valueName: "pem"
            )
        )
        var trust: [String] = []
        @Option(
            name: .customLong("station-pubkey"),
            help: ArgumentHelp(
                "Station keys or trust file: audit each run's attestation and refuse runs that do not hold up (repeatable).",
                valueName: "pem"
            )
        )
        var stationPubkeys: [String] = []
        @Flag(
            name: .long,
            help: "Keep every raw performance sample (default: one median per round, all the gate uses)."
        )
        var samples = false
        @Flag(name: .long, help: "Print what was done as JSON.") var json = false

        func run() throws {
            let outcomes = try RegistryCommand.with(connection.db) { registry -> [IngestOutcome] in
                let issuers = trust.isEmpty ? nil : try StationTrust(files: trust.map { URL(fileURLWithPath: $0) })
                let stations =
                    stationPubkeys.isEmpty
                    ? nil : try StationTrust(files: stationPubkeys.map { URL(fileURLWithPath: $0) })
                let inputs = try IngestInputs(paths: paths, relativeTo: RegistryCommand.root)
                return try registry.ingest(
                    inputs,
                    options: IngestOptions(
                        issuers: issuers,
                        stations: stations,
                        keepSamples: samples,
                        root: RegistryCommand.root
                    )
                )
            }
            if json {
                try JSONOutput.print(outcomes)
            } else {
                for outcome in outcomes {
                    print(
                        "\(outcome.action.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(outcome.kind) \(Markup.visible(outcome.detail))"
                            + (outcome.action == .refused ? " (\(Markup.visible(outcome.path)))" : "")
                    )
                }
                let counts = Dictionary(grouping: outcomes, by: \.action).mapValues(\.count)
                print(
                    IngestOutcome.Action.allCases.compactMap { action in
                        counts[action].map { "\($0) \(action.rawValue)" }
                    }.joined(separator: ", ")
                )
            }
            if outcomes.contains(where: { $0.action == .refused }) { throw ExitCode(ExitStatus.failure) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List targets, runs or certificates.")

        enum What: String, ExpressibleByArgument, CaseIterable { case targets, runs, certificates }

        @Argument(help: "targets, runs or certificates.") var what: What = .targets
        @OptionGroup var connection: Connection
        @OptionGroup var filters: Filters
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() throws {
            try RegistryCommand.with(connection.db) { registry in
                switch what {
                case .targets:
                    let targets = try registry.targets(filters.filter)
                    if json { return try JSONOutput.print(targets) }
                    for target in targets {
                        print(
                            [
                                target.id, target.kind, target.vendor ?? "-", target.os ?? "-", "\(target.runs) runs",
                                "last \(target.lastStartedAt)", target.title,
                            ]
                            .map(Markup.visible).joined(separator: "  ")
                        )
                    }
                case .runs:
                    let runs = try registry.runs(filters.filter)
                    if json { return try JSONOutput.print(runs) }
                    for run in runs {
                        let counts = ["pass", "fail", "error", "unsupported", "waived"].compactMap { key in
                            run.counts[key].flatMap { $0 > 0 ? "\(key) \($0)" : nil }
                        }
                        print(
                            [
                                run.targetID, run.runID, run.status, run.startedAt, run.backend,
                                counts.joined(separator: ", "), run.attested ? "attested" : "unattested",
                            ]
                            .map(Markup.visible).joined(separator: "  ")
                        )
                    }
                case .certificates:
                    let certificates = try registry.certificates(filters.filter)
                    if json { return try JSONOutput.print(certificates) }
                    for certificate in certificates {
                        print(
                            [
                                certificate.targetID, certificate.profileID, certificate.level,
                                certificate.validity.rawValue,
                                "\(certificate.notBefore) – \(certificate.notAfter)", certificate.runID,
                                certificate.issuer,
                            ]
                            .map(Markup.visible).joined(separator: "  ")
                        )
                    }
                }
            }
        }
    }

    struct Trend: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A performance case across a target's runs, with the versions beside each point."
        )

        @Argument(help: "The target id.") var target: String
        @Argument(help: "The performance case id (e.g. performance/matmul/m512.n512.k512/f32).") var caseID: String
        @OptionGroup var connection: Connection
        @Flag(name: .long, help: "Print JSON.") var json = false

        func run() throws {
            let points = try RegistryCommand.with(connection.db) { try $0.trend(target: target, caseID: caseID) }
            guard !points.isEmpty else {
                throw InputFailure(message: "registry: no measurement of \(caseID) on target \(target)")
            }
            if json { return try JSONOutput.print(points) }
            for point in points {
                let median = point.medianNanoseconds.map { String(format: "%.1f ns", $0) } ?? "-"
                let ci =
                    point.ciLowNanoseconds.flatMap { low in
                        point.ciHighNanoseconds.map { String(format: "[%.1f, %.1f]", low, $0) }
                    } ?? ""
                let versions = point.versions.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(
                    separator: " "
                )
                print([point.startedAt, point.runID, median, ci, versions].map(Markup.visible).joined(separator: "  "))
            }
        }
    }

    struct Site: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the compatibility list: a static site (index matrix, a page per target, JSON per page).",
            discussion:
                "No server and no external assets: open DIR/index.html from file:// or publish DIR on any web server."
        )

        @Option(name: .long, help: "The folder to write.") var out: String
        @OptionGroup var connection: Connection
        @Option(name: .long, help: "A title for the list.") var title = "Compatibility list"

        func run() throws {
            let folder = URL(fileURLWithPath: out, relativeTo: RegistryCommand.root).standardizedFileURL
            let written = try RegistryCommand.with(connection.db) { registry in
                try CompatibilitySite(registry: registry, title: title, root: RegistryCommand.root).write(to: folder)
            }
            print("wrote \(written) pages to \(folder.path)/index.html")
        }
    }
}

extension IngestOutcome.Action: CaseIterable {
    public static let allCases: [IngestOutcome.Action] = [.added, .unchanged, .replaced, .refused]
}
