import AssayCore
import Foundation

/// A run record as the registry's rows: the run, one row per case, a performance summary per
/// measured case, and the waivers applied.
struct RunRow {
    let record: RunRecord
    let runSHA256: String
    let startedAt: String
    let os: String?
    let runValues: [SQLValue]
    let caseRows: [[SQLValue]]
    let performanceRows: [[SQLValue]]
    let waiverRows: [[SQLValue]]

    static let insertSQL = """
        INSERT INTO runs (target_id, run_id, run_sha256, status, started_at, finished_at, harness_version, descriptor_sha256,
          fingerprint, backend_name, backend_version, os, versions_json, suites_json, counts_json, attested, station_key_id,
          station_host, report_path, samples_kept, record_json, ingested_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    static let caseSQL = """
        INSERT INTO cases (target_id, run_id, case_id, kind, op, dtype, outcome, message, max_abs_error, max_rel_error,
          mismatches, elements, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    static let performanceSQL = """
        INSERT INTO performance (target_id, run_id, case_id, op, dtype, median_ns, ci_low_ns, ci_high_ns, p5_ns, p95_ns, samples,
          round_medians_json, converged, flops_per_second, bytes_per_second, percent_of_peak, percent_of_roofline)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    static let waiverSQL = """
        INSERT INTO waivers (target_id, run_id, case_id, pattern, category, reference, reason, expires, expired, owner, approver)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    init(
        record: RunRecord,
        bytes: Data,
        station: (keyID: String, host: String)?,
        reportPath: String?,
        keepSamples: Bool
    ) {
        self.record = record
        runSHA256 = Digest.sha256Hex(bytes)
        startedAt = Timestamp.string(record.startedAt)
        os = Self.operatingSystem(record)
        let key: [SQLValue] = [.init(record.target.value.id), .init(record.runID)]
        let kept = keepSamples ? record : RunReduction.reduced(record)
        let recordJSON =
            (try? RecordCoding.encoder(pretty: false).encode(kept)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        let counts = Dictionary(
            uniqueKeysWithValues: Outcome.allCases.map { ($0.rawValue, record.outcomeCounts[$0] ?? 0) }
        )
        runValues =
            key + [
                .init(runSHA256), .init(record.status.rawValue), .init(startedAt),
                .init(record.finishedAt.map(Timestamp.string)),
                .init(record.harnessVersion), .init(record.target.sha256), .init(record.environment.fingerprint),
                .init(record.backend.name), .init(record.backend.version), .init(os),
                .init(JSONText.encode(Self.versions(record))),
                .init(JSONText.encode(record.suites.map { $0.value.id })), .init(JSONText.encode(counts)),
                .init(station != nil),
                .init(station?.keyID), .init(station?.host), .init(reportPath), .init(keepSamples), .init(recordJSON),
                .init(Timestamp.now()),
            ]
        caseRows = record.cases.map { result in
            let evidence = result.evidence
            return key + [
                .init(result.id.description), .init(result.kind.rawValue), .init(result.op), .init(result.dtype),
                .init(result.outcome.rawValue), .init(result.message), .init(evidence?.maxAbsError),
                .init(evidence?.maxRelError),
                .init(evidence?.mismatches), .init(evidence?.elements), .init(result.seconds),
            ]
        }
        performanceRows = record.cases.compactMap { result in
            guard let performance = result.performance else { return nil }
            let summary = performance.summary
            let roundMedians = performance.samples.isEmpty ? [] : performance.roundSamples.map(RunReduction.median)
            return key + [
                .init(result.id.description), .init(result.op), .init(result.dtype), .init(summary.median),
                .init(summary.medianCILow), .init(summary.medianCIHigh), .init(summary.p5), .init(summary.p95),
                .init(performance.samples.count), .init(JSONText.encode(roundMedians)), .init(performance.converged),
                .init(performance.flopsPerSecond), .init(performance.bytesPerSecond), .init(performance.percentOfPeak),
                .init(performance.percentOfRoofline),
            ]
        }
        waiverRows = record.cases.compactMap { result in
            guard let waiver = result.waiver else { return nil }
            return key + [
                .init(result.id.description), .init(waiver.pattern), .init(waiver.category.rawValue),
                .init(waiver.reference),
                .init(waiver.reason), .init(Timestamp.string(waiver.expires)), .init(waiver.expired),
                .init(waiver.owner),
                .init(waiver.approver),
            ]
        }
    }

    /// `debian 12` from the probed OS, else the descriptor's declared `os` version.
    static func operatingSystem(_ record: RunRecord) -> String? {
        let components = record.environment.components
        if let id = components["os.id"] {
            return [id, components["os.versionID"]].compactMap { $0 }.joined(separator: " ")
        }
        return record.target.value.versions["os"]
    }

    /// The descriptor's declared versions (driver, sdk, firmware…) and what the backend
    /// reported (its version, the first device's driver and runtime), shown beside each trend point.
    static func versions(_ record: RunRecord) -> [String: String] {
        var versions = record.target.value.versions
        versions["backend"] = "\(record.backend.name) \(record.backend.version)"
        if let device = record.backend.devices.first {
            if let driver = device.driver { versions["device.driver"] = driver }
            if let runtime = device.runtime { versions["device.runtime"] = runtime }
        }
        return versions
    }
}

/// Small JSON texts stored in TEXT columns (sorted keys, so equal values are equal text).
enum JSONText {
    static func encode<Value: Encodable>(_ value: Value) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    static func decode<Value: Decodable>(_ type: Value.Type, _ text: String?) -> Value? {
        guard let text else { return nil }
        return try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
