import AssayCertify
import AssayCore
import Foundation

extension Registry {
    public func targets(_ filter: RegistryFilter = .init()) throws -> [TargetEntry] {
        let (clause, parameters) = Self.whereClause(filter, alias: "t")
        return try database.query(
            """
            SELECT t.target_id, t.title, t.kind, t.vendor, t.model, t.os, t.last_started_at,
              (SELECT COUNT(*) FROM runs r WHERE r.target_id = t.target_id)
            FROM targets t \(clause) ORDER BY t.target_id
            """,
            parameters
        ).map { row in
            TargetEntry(
                id: row[0].string ?? "",
                title: row[1].string ?? "",
                kind: row[2].string ?? "",
                vendor: row[3].string,
                model: row[4].string,
                os: row[5].string,
                runs: row[7].int ?? 0,
                lastStartedAt: row[6].string ?? ""
            )
        }
    }

    /// Runs oldest first.
    public func runs(_ filter: RegistryFilter = .init()) throws -> [RunEntry] {
        let (clause, parameters) = Self.whereClause(filter, alias: "t")
        return try database.query(
            """
            SELECT r.target_id, r.run_id, r.status, r.started_at, r.finished_at, r.backend_name, r.backend_version, r.os,
              r.versions_json, r.suites_json, r.counts_json, r.attested, r.station_host, r.report_path, r.fingerprint
            FROM runs r JOIN targets t ON t.target_id = r.target_id \(clause) ORDER BY r.target_id, r.started_at, r.run_id
            """,
            parameters
        ).map { row in
            RunEntry(
                targetID: row[0].string ?? "",
                runID: row[1].string ?? "",
                status: row[2].string ?? "",
                startedAt: row[3].string ?? "",
                finishedAt: row[4].string,
                backend: "\(row[5].string ?? "") \(row[6].string ?? "")",
                os: row[7].string,
                versions: JSONText.decode([String: String].self, row[8].string) ?? [:],
                suites: JSONText.decode([String].self, row[9].string) ?? [],
                counts: JSONText.decode([String: Int].self, row[10].string) ?? [:],
                attested: row[11].int == 1,
                station: row[12].string,
                reportPath: row[13].string,
                fingerprint: row[14].string ?? ""
            )
        }
    }

    /// Certificates newest first, each judged valid, expired or not yet valid at `now`.
    public func certificates(_ filter: RegistryFilter = .init(), at now: Date = Date()) throws -> [CertificateEntry] {
        var (clause, parameters) = Self.whereClause(filter, alias: "t")
        if let profile = filter.profile {
            clause += (clause.isEmpty ? "WHERE" : " AND") + " c.profile_id = ?"
            parameters.append(.init(profile))
        }
        return try database.query(
            """
            SELECT c.payload_sha256, c.target_id, c.run_id, c.profile_id, c.profile_version, c.profile_title, c.level, c.issuer,
              c.issuer_key_id, c.issued_at, c.not_before, c.not_after
            FROM certificates c LEFT JOIN targets t ON t.target_id = c.target_id \(clause)
            ORDER BY c.target_id, c.profile_id, c.issued_at DESC, c.payload_sha256
            """,
            parameters
        ).map { row in
            let notBefore = row[10].string ?? ""
            let notAfter = row[11].string ?? ""
            let validity: CertificateEntry.Validity
            if let start = RFC3339.date(from: notBefore), now < start {
                validity = .notYetValid
            } else if let end = RFC3339.date(from: notAfter), now > end {
                validity = .expired
            } else {
                validity = .valid
            }
            return CertificateEntry(
                payloadSHA256: row[0].string ?? "",
                targetID: row[1].string ?? "",
                runID: row[2].string ?? "",
                profileID: row[3].string ?? "",
                profileVersion: row[4].string ?? "",
                profileTitle: row[5].string ?? "",
                level: row[6].string ?? "",
                issuer: row[7].string ?? "",
                issuerKeyID: row[8].string ?? "",
                issuedAt: row[9].string ?? "",
                notBefore: notBefore,
                notAfter: notAfter,
                validity: validity
            )
        }
    }

    /// The certificate's DSSE envelope as it was ingested.
    public func envelope(_ payloadSHA256: String) throws -> String? {
        try database.query("SELECT envelope FROM certificates WHERE payload_sha256 = ?", [.init(payloadSHA256)]).first?
            .first?.string
    }

    /// A performance case across the target's runs, oldest first.
    public func trend(target: String, caseID: String) throws -> [TrendPoint] {
        try database.query(
            """
            SELECT r.run_id, r.started_at, p.median_ns, p.ci_low_ns, p.ci_high_ns, p.flops_per_second, p.bytes_per_second,
              p.percent_of_peak, r.versions_json
            FROM performance p JOIN runs r ON r.target_id = p.target_id AND r.run_id = p.run_id
            WHERE p.target_id = ? AND p.case_id = ? ORDER BY r.started_at, r.run_id
            """,
            [.init(target), .init(caseID)]
        ).map { row in
            TrendPoint(
                runID: row[0].string ?? "",
                startedAt: row[1].string ?? "",
                medianNanoseconds: row[2].double,
                ciLowNanoseconds: row[3].double,
                ciHighNanoseconds: row[4].double,
                flopsPerSecond: row[5].double,
                bytesPerSecond: row[6].double,
                percentOfPeak: row[7].double,
                versions: JSONText.decode([String: String].self, row[8].string) ?? [:]
            )
        }
    }

    /// The performance cases measured in the target's runs, with how many runs measured each.
    public func performanceCases(target: String) throws -> [(caseID: String, runs: Int)] {
        try database.query(
            """
            SELECT case_id, COUNT(*) FROM performance WHERE target_id = ? AND median_ns IS NOT NULL GROUP BY case_id ORDER BY case_id
            """,
            [.init(target)]
        ).map { ($0[0].string ?? "", $0[1].int ?? 0) }
    }

    /// The run records kept for the gate (`--baseline registry:TARGET[@REF]`), oldest first.
    /// Without REF: the target's newest complete run and every earlier complete run with its
    /// identity (descriptor, backend and version, environment fingerprint), the history the
    /// gate can compare with. With REF: that run id alone.
    public func baselineRecords(target: String, ref: String?) throws -> [RunRecord] {
        let rows: [[SQLValue]]
        if let ref {
            rows = try database.query(
                "SELECT record_json FROM runs WHERE target_id = ? AND run_id = ?",
                [.init(target), .init(ref)]
            )
            guard !rows.isEmpty else {
                let known = try runs(.init(target: target)).suffix(5).map(\.runID)
                throw RegistryError.notFound(
                    "registry: no run \(ref) of target \(target)"
                        + (known.isEmpty ? " (no runs of it)" : " (latest: \(known.joined(separator: ", ")))")
                )
            }
        } else {
            let newest = try database.query(
                """
                SELECT descriptor_sha256, backend_name, backend_version, fingerprint FROM runs
                WHERE target_id = ? AND status = 'complete' ORDER BY started_at DESC, run_id DESC LIMIT 1
                """,
                [.init(target)]
            )
            guard let identity = newest.first else {
                throw RegistryError.notFound("registry: no complete run of target \(target)")
            }
            rows = try database.query(
                """
                SELECT record_json FROM runs WHERE target_id = ? AND status = 'complete' AND descriptor_sha256 = ?
                  AND backend_name = ? AND backend_version = ? AND fingerprint = ? ORDER BY started_at, run_id
                """,
                [.init(target)] + identity
            )
        }
        return try rows.map { row in
            do {
                return try RecordCoding.decoder().decode(RunRecord.self, from: Data((row.first?.string ?? "").utf8))
            } catch {
                throw RegistryError.badInput(
                    file: database.location,
                    message: "stored run record of \(target) unreadable: \(error)"
                )
            }
        }
    }

    static func whereClause(_ filter: RegistryFilter, alias: String) -> (String, [SQLValue]) {
        var conditions: [String] = []
        var parameters: [SQLValue] = []
        for (column, value) in [
            ("target_id", filter.target), ("vendor", filter.vendor), ("kind", filter.kind), ("os", filter.os),
        ] {
            guard let value else { continue }
            conditions.append("\(alias).\(column) = ?")
            parameters.append(.init(value))
        }
        return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), parameters)
    }
}
