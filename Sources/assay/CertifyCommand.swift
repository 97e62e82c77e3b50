import ArgumentParser
import AssayCertify
import AssayCore
import AssayWorkspace
import Foundation

struct CertifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certify",
        abstract: "Issue a signed adaptation certificate for a run that meets a profile.",
        discussion: """
            First audits RUN: it must carry a run attestation (run.dsse.json) signed by a station key given \
            with --station-pubkey, its files must match it, its journal chain must hold, and run.json must agree \
            with the journal and the evidence (every count and outcome is recomputed). Then judges RUN against the profile; \
            performance floors and key figures count only against the peaks the descriptor declares (with their source) or \
            the profile's reference_run, never against a ceiling the run measured. When it is met, writes a DSSE envelope holding an in-toto statement \
            (subjects: run.json and the target descriptor by sha256) signed with KEY, and a printable HTML \
            rendering next to it, and prints both paths. When it is not met, writes nothing and prints every reason.

            Exit codes: 0 issued; 1 the run is not trusted or the profile is not met; 2 bad input (run record, \
            profile, key, or --at, including an --at before the run ended).
            """
    )

    @Argument(help: ArgumentHelp("A run directory (e.g. Reports/local-cpu/latest) or its run.json.", valueName: "run"))
    var runPath: String

    @Option(name: .long, help: "Profile: a path, or an id (workspace Profiles/, $ASSAY_HOME, built-in).")
    var profile: String

    @Option(name: .long, help: "The issuer's private key (from `assay keygen`; default: the workspace's station_key).")
    var key: String?

    @Option(
        name: .customLong("station-pubkey"),
        help: ArgumentHelp(
            "A trusted station's public key, or a trust file of several PEM keys (repeatable).",
            valueName: "pem"
        )
    )
    var stationPubkeys: [String] = []

    @Option(name: .long, help: "Envelope path (default: RUN_DIR/certificate.dsse.json; the HTML goes next to it).")
    var out: String?

    @Option(name: .long, help: "Issuer name recorded in the certificate.")
    var issuer: String = "Assay"

    @Option(name: .long, help: "Issue time, RFC 3339 (default: now). The certificate is valid from then.")
    var at: String?

    func run() throws {
        let workspace = try Workspace.discover()
        let profileFile = try ResourceLocator(workspace: workspace).locate(profile, kind: .profile)
        guard let keyURL = key.map({ URL(fileURLWithPath: $0) }) ?? workspace.stationKey else {
            throw InputFailure(message: "give --key (or station_key in the workspace's assay.yaml)")
        }
        let request: CertificateIssuer.Request
        do {
            let profile = try CertificationProfile.parse(text: profileFile.text, file: profileFile.displayName)
            // A reference run is named relative to its profile (a built-in's, to the current folder).
            let folder =
                profileFile.url?.deletingLastPathComponent()
                ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            request = CertificateIssuer.Request(
                run: RunLocation(runPath),
                profile: profile,
                key: try SigningKey(contentsOf: keyURL),
                issuer: issuer,
                at: try Self.instant(at),
                out: out.map { URL(fileURLWithPath: $0) },
                harnessVersion: AssayCommand.configuration.version,
                stations: try StationTrust(files: stationPubkeys.map { URL(fileURLWithPath: $0) }),
                reference: try profile.referenceRun?.load(relativeTo: folder)
            )
        } catch let error as InputFailure {
            throw error
        } catch {
            throw InputFailure(message: "\(error)")
        }
        let decision = try CertificateIssuer.certify(request)
        switch decision {
        case .untrusted(let reasons):
            print("not certified: \(runPath) is not a record this harness can trust:")
            for reason in reasons { print("  \(Markup.visible(reason))") }
            throw ExitCode(ExitStatus.failure)
        case .refused(let result):
            print("not certified: \(runPath) does not meet profile \(result.profileID):")
            for reason in result.reasons { print("  \(Markup.visible(reason.description))") }
            for note in result.notes { print("  note: \(Markup.visible(note))") }
            throw ExitCode(ExitStatus.failure)
        case .issued(let issued):
            print(
                "certified: \(issued.predicate.target.id) \(issued.predicate.result) \(issued.predicate.level) "
                    + "(profile \(issued.predicate.profile.id) \(issued.predicate.profile.version)), valid until \(issued.predicate.notAfter)"
            )
            for reason in issued.result.reasons { print("  not reached: \(Markup.visible(reason.description))") }
            for note in issued.result.notes { print("  note: \(Markup.visible(note))") }
            print("certificate: \(issued.envelopeURL.path)")
            print("printable:   \(issued.htmlURL.path)")
        }
    }

    /// `--at` as a date; shared with `assay verify`.
    static func instant(_ text: String?) throws -> Date {
        guard let text else { return Date() }
        guard let date = RFC3339.date(from: text) else {
            throw InputFailure(
                message: "--at '\(text)' is not a time: give an RFC 3339 time such as 2026-01-31T12:00:00Z."
            )
        }
        return date
    }
}
