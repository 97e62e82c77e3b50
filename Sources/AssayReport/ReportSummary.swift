import AssayCore
import Foundation

/// `report.json`: the run in a few fields a dashboard or script can read without knowing the
/// whole run record — verdict, counts, target, fingerprint, and one row per case.
public struct ReportSummary: Codable, Sendable, Equatable {
    public static let currentSchemaVersion = 1

    public struct Target: Codable, Sendable, Equatable {
        public var id: String
        public var title: String
        public var kind: String
        public var vendor: String?
        public var model: String?
        public var path: String
        public var sha256: String
    }

    /// One case. `op`, `dtype`, `shape` and `attrs` come from the case id (`attrs` as a map when
    /// the case ran, the id's `name=value` pairs otherwise), so a script need not parse the id.
    public struct Row: Codable, Sendable, Equatable {
        public var id: String
        public var kind: CaseKind
        public var op: String
        public var dtype: String
        public var shape: String
        public var attrs: AttrMap
        public var outcome: String
        public var seconds: Double?
        public var message: String?
        public var maxAbsError: Double?
        public var maxRelError: Double?
        public var mismatches: Int?
        public var medianNanoseconds: Double?
        public var medianCILowNanoseconds: Double?
        public var medianCIHighNanoseconds: Double?
        public var flopsPerSecond: Double?
        public var bytesPerSecond: Double?
        public var percentOfPeak: Double?
        public var percentOfRoofline: Double?
        public var converged: Bool?
        public var waiver: String?
    }

    public var schemaVersion: Int
    public var runID: String
    public var status: RunRecord.Status
    public var verdict: Verdict
    public var startedAt: Date
    public var finishedAt: Date?
    public var harnessVersion: String
    public var target: Target
    public var fingerprint: String
    public var backend: String
    /// Outcome → count, plus `notRun` for planned cases without a result.
    public var counts: [String: Int]
    public var planned: Int
    public var rows: [Row]

    public init(_ model: ReportModel) {
        let record = model.record
        let target = record.target.value
        schemaVersion = Self.currentSchemaVersion
        runID = record.runID
        status = record.status
        verdict = model.verdict
        startedAt = record.startedAt
        finishedAt = record.finishedAt
        harnessVersion = record.harnessVersion
        self.target = Target(
            id: target.id,
            title: target.title,
            kind: target.kind.rawValue,
            vendor: target.vendor,
            model: target.model,
            path: record.target.path,
            sha256: record.target.sha256
        )
        fingerprint = record.environment.fingerprint
        backend = "\(record.backend.name) \(record.backend.version)"
        var counts = Dictionary(
            uniqueKeysWithValues: Outcome.allCases.map { ($0.rawValue, model.counts[$0, default: 0]) }
        )
        counts["notRun"] = model.notRun.count
        self.counts = counts
        planned = record.plannedCases.count
        rows =
            record.cases.map(Self.row)
            + model.notRun.map {
                Row(
                    id: $0.description,
                    kind: .conformance,
                    op: $0.op,
                    dtype: $0.dtype,
                    shape: $0.shape,
                    attrs: Self.attrs(of: $0),
                    outcome: "notRun"
                )
            }
    }

    private static func row(_ result: CaseResult) -> Row {
        var row = Row(
            id: result.id.description,
            kind: result.kind,
            op: result.id.op,
            dtype: result.id.dtype,
            shape: result.id.shape,
            attrs: result.attrs.isEmpty ? attrs(of: result.id) : result.attrs,
            outcome: result.outcome.rawValue,
            seconds: result.seconds,
            message: result.message
        )
        if let evidence = result.evidence {
            row.maxAbsError = evidence.maxAbsError
            row.maxRelError = evidence.maxRelError
            row.mismatches = evidence.mismatches
        }
        if let performance = result.performance {
            row.medianNanoseconds = performance.summary.median
            row.medianCILowNanoseconds = performance.summary.medianCILow
            row.medianCIHighNanoseconds = performance.summary.medianCIHigh
            row.flopsPerSecond = performance.flopsPerSecond
            row.bytesPerSecond = performance.bytesPerSecond
            row.percentOfPeak = PerformanceRecord.honestPercent(performance.percentOfPeak)
            row.percentOfRoofline = PerformanceRecord.honestPercent(performance.percentOfRoofline)
            row.converged = performance.converged
        }
        if let waiver = result.waiver {
            row.waiver = "\(waiver.expired ? "expired " : "")\(waiver.category.rawValue) \(waiver.reference)"
        }
        return row
    }

    /// The id's `name=value,…` attrs segment as a map of strings (a case that never ran has no typed attrs).
    private static func attrs(of id: CaseID) -> AttrMap {
        var map: AttrMap = [:]
        for pair in id.attrs.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { map[parts[0]] = .string(parts[1]) }
        }
        return map
    }

    /// Sorted keys and "nan"/"inf" strings, like every Assay file.
    public func encoded() throws -> Data { try RecordCoding.encoder().encode(self) }
}
