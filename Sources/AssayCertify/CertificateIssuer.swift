import AssayCore
import Foundation

/// Issues an adaptation certificate: evaluates the profile, and only when it is met signs an
/// in-toto statement over the run record and descriptor, and writes the DSSE envelope and
/// its printable HTML rendering. `assay certify` is a thin shell around `certify`.
public enum CertificateIssuer {
    public struct Request: Sendable {
        public var run: RunLocation
        public var profile: CertificationProfile
        public var key: SigningKey
        public var issuer: String
        public var at: Date
        /// The envelope path; nil for `<run dir>/certificate.dsse.json`.
        public var out: URL?
        public var harnessVersion: String
        /// The stations whose run attestations are accepted.
        public var stations: StationTrust
        /// The figures of the profile's reference run (`ReferenceRun.load`); nil when it names none.
        public var reference: ReferencePeaks?

        public init(
            run: RunLocation,
            profile: CertificationProfile,
            key: SigningKey,
            issuer: String = "Assay",
            at: Date = Date(),
            out: URL? = nil,
            harnessVersion: String,
            stations: StationTrust,
            reference: ReferencePeaks? = nil
        ) {
            self.run = run
            self.profile = profile
            self.key = key
            self.issuer = issuer
            self.at = at
            self.out = out
            self.harnessVersion = harnessVersion
            self.stations = stations
            self.reference = reference
        }
    }

    public struct Issued: Sendable {
        public var envelopeURL: URL
        public var htmlURL: URL
        public var envelope: DSSEEnvelope
        public var predicate: AdaptationPredicate
        public var result: ProfileResult
        public var payloadSHA256: String
    }

    public enum Decision: Sendable {
        /// The run record cannot be believed (no valid attestation from a trusted station, files
        /// that do not match it, a broken journal, run.json disagreeing with the journal); nothing was written.
        case untrusted([String])
        /// The profile is not met; nothing was written.
        case refused(ProfileResult)
        case issued(Issued)
    }

    public static let defaultEnvelopeName = "certificate.dsse.json"
    /// How many key figures a certificate carries at most.
    static let keyFigureLimit = 12

    /// Audits the run (`RunAudit`), evaluates, then signs and writes both files when the profile
    /// is met. Throws `InputError` for an unreadable run record or an issue time before the run
    /// ended, `KeyError` when signing fails.
    public static func certify(_ request: Request) throws -> Decision {
        let (run, runBytes) = try request.run.load()
        let attested: RunAudit.Attested
        switch RunAudit.audit(request.run, record: run, runBytes: runBytes, trust: request.stations) {
        case .refused(let reasons): return .untrusted(reasons)
        case .attested(let value): attested = value
        }
        if let end = run.finishedAt, request.at < end {
            throw InputError(
                file: request.run.runJSON.path,
                field: "finishedAt",
                message:
                    "the issue time \(RFC3339.string(from: request.at)) is before the run ended (\(RFC3339.string(from: end))); a certificate cannot be valid before its run existed"
            )
        }
        let result = ProfileEvaluation.evaluate(request.profile, run: run, at: request.at, reference: request.reference)
        guard result.passed, let level = result.level else { return .refused(result) }
        var predicate = predicate(
            profile: request.profile,
            run: run,
            level: level,
            issuer: request.issuer,
            at: request.at,
            harnessVersion: request.harnessVersion,
            reference: request.reference
        )
        predicate.runAttestation = .init(sha256: attested.envelopeSHA256, stationKeyID: attested.stationKeyID)
        let payload = try statement(predicate: predicate, run: run, runBytes: runBytes).canonicalPayload()
        let envelope = try EnvelopeSigner.sign(statementPayload: payload, key: request.key)
        let envelopeURL = request.out ?? request.run.directory.appendingPathComponent(defaultEnvelopeName)
        let htmlURL = htmlURL(for: envelopeURL)
        let payloadSHA256 = Digest.sha256Hex(payload)
        do {
            try envelope.jsonData().write(to: envelopeURL, options: .atomic)
        } catch {
            throw InputError(
                file: envelopeURL.path,
                message: "cannot write the certificate: \(error.localizedDescription)"
            )
        }
        let html = CertificateHTML.render(
            predicate,
            keyID: request.key.keyID,
            payloadSHA256: payloadSHA256,
            envelopeName: envelopeURL.lastPathComponent,
            runSHA256: Digest.sha256Hex(runBytes)
        )
        do {
            try Data(html.utf8).write(to: htmlURL, options: .atomic)
        } catch {
            throw InputError(
                file: htmlURL.path,
                message: "cannot write the printable certificate: \(error.localizedDescription)"
            )
        }
        return .issued(
            Issued(
                envelopeURL: envelopeURL,
                htmlURL: htmlURL,
                envelope: envelope,
                predicate: predicate,
                result: result,
                payloadSHA256: payloadSHA256
            )
        )
    }

    /// `x.dsse.json` → `x.html`; any other name gets `.html` appended.
    public static func htmlURL(for envelopeURL: URL) -> URL {
        let name = envelopeURL.lastPathComponent
        let base = name.hasSuffix(".dsse.json") ? String(name.dropLast(".dsse.json".count)) : name
        return envelopeURL.deletingLastPathComponent().appendingPathComponent(base + ".html")
    }

    /// The subjects: run.json by the digest of its exact bytes, the descriptor by the digest of
    /// the text snapshotted in the record (the file on disk may have changed since), and the
    /// run attestation the certificate relies on.
    public static func statement(
        predicate: AdaptationPredicate,
        run: RunRecord,
        runBytes: Data
    ) -> InTotoStatement<AdaptationPredicate> {
        InTotoStatement(
            subject: [
                InTotoSubject(name: AdaptationPredicate.runSubjectName, contents: runBytes),
                InTotoSubject(
                    name: AdaptationPredicate.descriptorSubjectName(path: run.target.path),
                    contents: Data(run.target.text.utf8)
                ),
            ]
                + (predicate.runAttestation.map { [InTotoSubject(name: RunAttestation.fileName, sha256: $0.sha256)] }
                    ?? [])
                + (predicate.referenceRun.map { [InTotoSubject(name: "reference:\($0.path)", sha256: $0.sha256)] } ?? []),
            predicateType: AdaptationPredicate.predicateType,
            predicate: predicate
        )
    }

    public static func predicate(
        profile: CertificationProfile,
        run: RunRecord,
        level: String,
        issuer: String,
        at: Date,
        harnessVersion: String,
        reference: ReferencePeaks? = nil
    ) -> AdaptationPredicate {
        let descriptor = run.target.value
        let applied = run.cases.filter { $0.outcome == .waived }.compactMap { result in
            result.waiver.map { (caseID: result.id.description, waiver: $0) }
        }
        var predicate = AdaptationPredicate(
            profile: .init(id: profile.id, version: profile.version, title: profile.title, sha256: profile.sha256),
            result: "pass",
            level: level,
            target: .init(
                id: descriptor.id,
                title: descriptor.title,
                kind: descriptor.kind.rawValue,
                vendor: descriptor.vendor,
                model: descriptor.model,
                versions: descriptor.versions,
                descriptorSHA256: Digest.sha256Hex(run.target.text)
            ),
            run: .init(
                id: run.runID,
                startedAt: RFC3339.string(from: run.startedAt),
                finishedAt: run.finishedAt.map(RFC3339.string(from:)),
                suites: run.suites.map(\.value.id),
                backend: "\(run.backend.name) \(run.backend.version)"
            ),
            environmentFingerprint: run.environment.fingerprint,
            keyFigures: keyFigures(profile: profile, run: run, reference: reference),
            counts: Dictionary(
                uniqueKeysWithValues: Outcome.allCases.map { ($0.rawValue, run.outcomeCounts[$0] ?? 0) }
            ),
            waivers: applied.map {
                .init(
                    caseID: $0.caseID,
                    category: $0.waiver.category.rawValue,
                    reference: $0.waiver.reference,
                    expires: RFC3339.string(from: $0.waiver.expires)
                )
            },
            issuer: issuer,
            issuedAt: RFC3339.string(from: at),
            notBefore: RFC3339.string(from: at),
            notAfter: RFC3339.string(from: notAfter(profile: profile, issuedAt: at, waivers: applied.map(\.waiver))),
            harnessVersion: run.harnessVersion,
            issuingHarnessVersion: harnessVersion,
            waiverFile: run.waivers.map { .init(path: $0.path, sha256: Digest.sha256Hex($0.text)) }
        )
        predicate.peakSource = descriptor.capabilities.declaresPeaks ? descriptor.capabilities.source : nil
        predicate.referenceRun = reference.map { .init(path: $0.path, sha256: $0.sha256) }
        return predicate
    }

    /// The validity period, cut short by the first applied waiver to expire: a certificate
    /// must not outlive an exception it relies on. (A waiver stops applying at `Waiver.lapse(of:)`,
    /// the end of its expiry day.)
    static func notAfter(profile: CertificationProfile, issuedAt: Date, waivers: [WaiverNote]) -> Date {
        let period = issuedAt.addingTimeInterval(Double(profile.validityDays) * 86_400)
        guard let firstLapse = waivers.map({ Waiver.lapse(of: $0.expires) }).min() else { return period }
        return min(period, firstLapse.addingTimeInterval(-1))
    }

    /// The floored cases first (with the floor's metric), then the other measured cases,
    /// each with percent of peak when known, else percent of roofline: only figures that could
    /// meet a floor (against declared peaks or the reference run), never a measured ceiling's.
    static func keyFigures(
        profile: CertificationProfile,
        run: RunRecord,
        reference: ReferencePeaks? = nil
    ) -> [AdaptationPredicate.KeyFigure] {
        let measured = run.cases.filter { $0.kind == .performance && $0.outcome == .pass && $0.performance != nil }
        let figures = measured.compactMap { result -> (floored: Bool, figure: AdaptationPredicate.KeyFigure)? in
            let floor = profile.performanceFloors.first { $0.match.matches(result) }
            let metrics: [PerformanceFloor.Metric] = floor.map { [$0.metric] } ?? [.percentOfPeak, .percentOfRoofline]
            for metric in metrics {
                guard case .figure(let value, let basis) = metric.judge(result, reference: reference) else { continue }
                return (
                    floor != nil,
                    .init(
                        caseID: result.id.description,
                        metric: metric,
                        value: value,
                        floor: floor.map { $0.min * 100 },
                        basis: basis
                    )
                )
            }
            return nil
        }
        return Array((figures.filter(\.floored) + figures.filter { !$0.floored }).map(\.figure).prefix(keyFigureLimit))
    }
}
