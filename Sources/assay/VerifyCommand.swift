import ArgumentParser
import AssayCertify
import AssayCore
import Foundation

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify an adaptation certificate.",
        discussion: """
            Checks, in this order: the envelope, a signature by the trusted public key over DSSE PAE, the payload \
            type, the predicate type, the validity window (at --at, default now), with --run that run.json and the \
            target descriptor it snapshots have the certified sha256 digests, and the predicate's schema. The \
            envelope's keyid is a hint only and never trusted.

            Exit codes:
              0   valid
              2   bad input (a file cannot be read, not a public key, bad --at)
              10  malformed envelope (not DSSE JSON, bad base64)
              11  payload type is not application/vnd.in-toto+json
              12  bad signature (no signature verifies with the trusted key)
              13  wrong predicate type
              14  not yet valid
              15  expired
              16  subject digest mismatch (the run record or descriptor is not the certified one)
              17  malformed statement or predicate
              18  not a passing certificate (result is not pass, or the level is not one of the profile's)
              19  with --run and --station-pubkey: the run's attestation, journal or record does not hold up
            """
    )

    @Argument(help: "The certificate (DSSE envelope JSON).")
    var certificate: String

    @Option(name: .long, help: "The issuer's public key (PEM) to trust.")
    var pubkey: String

    @Option(
        name: .customLong("run"),
        help: ArgumentHelp("A run directory or run.json to check against the certificate's subjects.", valueName: "run")
    )
    var runPath: String?

    @Option(
        name: .customLong("station-pubkey"),
        help: ArgumentHelp(
            "With --run: a trusted station key or trust file; the run is audited as certify does (repeatable).",
            valueName: "pem"
        )
    )
    var stationPubkeys: [String] = []

    @Option(
        name: .long,
        help: "The profile (id under Profiles/ or a path) the certificate must name, with one of its levels."
    )
    var profile: String?

    @Option(name: .long, help: "Check validity at this RFC 3339 time instead of now.")
    var at: String?

    func run() throws {
        do {
            let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            let profile = try profile.map {
                try CertificationProfile.load(contentsOf: CertificationProfile.locate($0, root: root))
            }
            let verified = try CertificateCheck.verify(
                certificate: URL(fileURLWithPath: certificate),
                publicKey: URL(fileURLWithPath: pubkey),
                run: runPath.map(RunLocation.init),
                at: try CertifyCommand.instant(at),
                stations: stationPubkeys.isEmpty
                    ? nil : try StationTrust(files: stationPubkeys.map { URL(fileURLWithPath: $0) }),
                profile: profile
            )
            print(Markup.visible(verified.summary))
        } catch let error as VerificationError {
            FileHandle.standardError.write(Data("invalid: \(Markup.visible(error.description))\n".utf8))
            throw ExitCode(error.exitCode)
        } catch let error as InputFailure {
            throw error
        } catch {
            throw InputFailure(message: "\(error)")
        }
    }
}
