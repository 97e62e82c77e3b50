import AssayCertify
import AssayCore
import Foundation

extension Registry {
    /// Stores every run, then every certificate, found under `inputs`. Each run (with its
    /// cases, performance summaries and waivers) and each certificate is one transaction: a
    /// failure leaves none of its rows. A run or certificate stored before with the same bytes
    /// changes nothing. Malformed inputs throw before anything is written.
    public func ingest(_ inputs: IngestInputs, options: IngestOptions) throws -> [IngestOutcome] {
        let runs = try inputs.runs.map { directory -> (RunLocation, RunRecord, Data) in
            let location = RunLocation(directory.path)
            let bytes = try location.bytes()
            do {
                return (location, try RunRecord.load(contentsOf: location.runJSON), bytes)
            } catch let error as InputError {
                throw RegistryError.badInput(file: location.runJSON.path, message: error.description)
            }
        }
        var outcomes: [IngestOutcome] = []
        for (location, record, bytes) in runs {
            outcomes.append(try ingestRun(location, record: record, bytes: bytes, options: options))
        }
        for url in inputs.certificates {
            outcomes.append(try ingestCertificate(url, options: options))
        }
        return outcomes
    }

    private func ingestRun(
        _ location: RunLocation,
        record: RunRecord,
        bytes: Data,
        options: IngestOptions
    ) throws -> IngestOutcome {
        let path = location.runJSON.path
        func refused(_ reason: String) -> IngestOutcome {
            IngestOutcome(path: path, kind: "run", action: .refused, detail: reason)
        }
        guard record.status != .running else {
            return refused("the run is still being written (status running); ingest it when it has ended")
        }
        var station: (keyID: String, host: String)?
        if let stations = options.stations {
            switch RunAudit.audit(location, record: record, runBytes: bytes, trust: stations) {
            case .refused(let reasons): return refused("the run does not hold up: " + reasons.joined(separator: "; "))
            case .attested(let attested): station = (attested.stationKeyID, attested.attestation.station.host)
            }
        }
        let row = RunRow(
            record: record,
            bytes: bytes,
            station: station,
            reportPath: reportPath(location, root: options.root),
            keepSamples: options.keepSamples
        )
        let action = try database.writeTransaction { try store(row) }
        return IngestOutcome(
            path: path,
            kind: "run",
            action: action,
            detail: "\(record.target.value.id) \(record.runID), \(record.cases.count) cases"
        )
    }

    /// The run's report, relative to the root when it lies below it.
    private func reportPath(_ location: RunLocation, root: URL) -> String? {
        let report = location.directory.appendingPathComponent("report.html")
        guard FileManager.default.fileExists(atPath: report.path) else { return nil }
        let rootPath = root.standardizedFileURL.path + "/"
        return report.path.hasPrefix(rootPath) ? String(report.path.dropFirst(rootPath.count)) : report.path
    }

    private func store(_ row: RunRow) throws -> IngestOutcome.Action {
        let target = row.record.target.value
        // The newest run's descriptor describes the target; an older run ingested later changes nothing.
        try database.execute(
            """
            INSERT INTO targets (target_id, title, kind, vendor, model, os, descriptor_sha256, descriptor_text, last_started_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (target_id) DO UPDATE SET title = excluded.title, kind = excluded.kind, vendor = excluded.vendor,
              model = excluded.model, os = excluded.os, descriptor_sha256 = excluded.descriptor_sha256,
              descriptor_text = excluded.descriptor_text, last_started_at = excluded.last_started_at
            WHERE targets.last_started_at < excluded.last_started_at
            """,
            [
                .init(target.id), .init(target.title), .init(target.kind.rawValue), .init(target.vendor),
                .init(target.model),
                .init(row.os), .init(row.record.target.sha256), .init(row.record.target.text), .init(row.startedAt),
            ]
        )
        // Two stations storing the same run at once: the unique key lets exactly one insert win.
        var inserted = try database.query(
            RunRow.insertSQL + " ON CONFLICT (target_id, run_id) DO NOTHING RETURNING run_id",
            row.runValues
        )
        var action = IngestOutcome.Action.added
        if inserted.isEmpty {
            let existing = try database.query(
                "SELECT run_sha256 FROM runs WHERE target_id = ? AND run_id = ?",
                [.init(target.id), .init(row.record.runID)]
            )
            if existing.first?.first?.string == row.runSHA256 { return .unchanged }
            try database.execute(
                "DELETE FROM runs WHERE target_id = ? AND run_id = ?",
                [.init(target.id), .init(row.record.runID)]
            )
            inserted = try database.query(RunRow.insertSQL + " RETURNING run_id", row.runValues)
            action = .replaced
        }
        try database.executeMany(RunRow.caseSQL, row.caseRows)
        try database.executeMany(RunRow.performanceSQL, row.performanceRows)
        try database.executeMany(RunRow.waiverSQL, row.waiverRows)
        return action
    }

    private func ingestCertificate(_ url: URL, options: IngestOptions) throws -> IngestOutcome {
        func refused(_ reason: String) -> IngestOutcome {
            IngestOutcome(path: url.path, kind: "certificate", action: .refused, detail: reason)
        }
        guard let envelopeBytes = FileManager.default.contents(atPath: url.path) else {
            throw RegistryError.badInput(file: url.path, message: "cannot read the certificate")
        }
        guard let issuers = options.issuers, !issuers.keys.isEmpty else {
            return refused("no trust file to verify it against (give --trust with the issuers' public keys)")
        }
        // The run beside the certificate, when there, must be the certified one.
        let runDirectory = url.deletingLastPathComponent()
        let runBytes = FileManager.default.contents(atPath: runDirectory.appendingPathComponent("run.json").path)
        let attestationBytes = FileManager.default.contents(
            atPath: runDirectory.appendingPathComponent(RunAttestation.fileName).path
        )
        let expected = runBytes.map {
            CertificateCheck.expectedSubjects(runBytes: $0, attestationBytes: attestationBytes)
        }
        // Verified as of its own first day: an expired certificate is history, shown as expired.
        let at = CertificateRow.notBefore(envelopeBytes) ?? Date()
        var failures: [String] = []
        for key in issuers.keys {
            do {
                let verified = try CertificateCheck.verify(
                    envelopeJSON: envelopeBytes,
                    trustedKey: key,
                    expectedSubjects: expected,
                    at: at
                )
                let row = CertificateRow(
                    verified: verified,
                    envelope: envelopeBytes,
                    issuerKeyID: key.keyID,
                    sourcePath: url.path
                )
                let stored = try database.writeTransaction {
                    try database.query(
                        CertificateRow.insertSQL + " ON CONFLICT (payload_sha256) DO NOTHING RETURNING payload_sha256",
                        row.values
                    )
                }
                let predicate = verified.predicate
                return IngestOutcome(
                    path: url.path,
                    kind: "certificate",
                    action: stored.isEmpty ? .unchanged : .added,
                    detail:
                        "\(predicate.target.id) \(predicate.profile.id) \(predicate.level), valid until \(predicate.notAfter)"
                )
            } catch let error as VerificationError {
                if case .badSignature = error { continue }
                failures.append(error.description)
            }
        }
        if failures.isEmpty { failures.append("not signed by any of the \(issuers.keys.count) trusted issuer key(s)") }
        return refused(failures.joined(separator: "; "))
    }
}
