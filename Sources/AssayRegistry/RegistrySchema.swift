import Foundation

/// The registry's schema as numbered migrations, applied forward in order, each in the same
/// transaction as its row in `schema_migrations` (docs/FORMATS.md, "Registry"). One text for
/// both engines: TEXT, BIGINT and DOUBLE PRECISION mean the same to SQLite and PostgreSQL.
public enum RegistrySchema {
    public struct Migration: Sendable {
        public var version: Int
        public var description: String
        public var statements: [String]
    }

    static let runKey = "target_id TEXT NOT NULL, run_id TEXT NOT NULL"
    static let runReference = "FOREIGN KEY (target_id, run_id) REFERENCES runs (target_id, run_id) ON DELETE CASCADE"

    public static let migrations: [Migration] = [
        Migration(
            version: 1,
            description: "targets, runs, cases, performance summaries, waivers, certificates",
            statements: [
                """
                CREATE TABLE targets (target_id TEXT PRIMARY KEY, title TEXT NOT NULL, kind TEXT NOT NULL, vendor TEXT, model TEXT,
                  os TEXT, descriptor_sha256 TEXT NOT NULL, descriptor_text TEXT NOT NULL, last_started_at TEXT NOT NULL)
                """,
                """
                CREATE TABLE runs (\(runKey), run_sha256 TEXT NOT NULL, status TEXT NOT NULL, started_at TEXT NOT NULL,
                  finished_at TEXT, harness_version TEXT NOT NULL, descriptor_sha256 TEXT NOT NULL, fingerprint TEXT NOT NULL,
                  backend_name TEXT NOT NULL, backend_version TEXT NOT NULL, os TEXT, versions_json TEXT NOT NULL,
                  suites_json TEXT NOT NULL, counts_json TEXT NOT NULL, attested BIGINT NOT NULL, station_key_id TEXT,
                  station_host TEXT, report_path TEXT, samples_kept BIGINT NOT NULL, record_json TEXT NOT NULL,
                  ingested_at TEXT NOT NULL, PRIMARY KEY (target_id, run_id), FOREIGN KEY (target_id) REFERENCES targets (target_id))
                """,
                """
                CREATE TABLE cases (\(runKey), case_id TEXT NOT NULL, kind TEXT NOT NULL, op TEXT NOT NULL, dtype TEXT NOT NULL,
                  outcome TEXT NOT NULL, message TEXT, max_abs_error DOUBLE PRECISION, max_rel_error DOUBLE PRECISION,
                  mismatches BIGINT, elements BIGINT, seconds DOUBLE PRECISION, PRIMARY KEY (target_id, run_id, case_id), \(runReference))
                """,
                """
                CREATE TABLE performance (\(runKey), case_id TEXT NOT NULL, op TEXT NOT NULL, dtype TEXT NOT NULL,
                  median_ns DOUBLE PRECISION, ci_low_ns DOUBLE PRECISION, ci_high_ns DOUBLE PRECISION, p5_ns DOUBLE PRECISION,
                  p95_ns DOUBLE PRECISION, samples BIGINT NOT NULL, round_medians_json TEXT NOT NULL, converged BIGINT NOT NULL,
                  flops_per_second DOUBLE PRECISION, bytes_per_second DOUBLE PRECISION, percent_of_peak DOUBLE PRECISION,
                  percent_of_roofline DOUBLE PRECISION, PRIMARY KEY (target_id, run_id, case_id), \(runReference))
                """,
                """
                CREATE TABLE waivers (\(runKey), case_id TEXT NOT NULL, pattern TEXT NOT NULL, category TEXT NOT NULL,
                  reference TEXT NOT NULL, reason TEXT NOT NULL, expires TEXT NOT NULL, expired BIGINT NOT NULL, owner TEXT,
                  approver TEXT, PRIMARY KEY (target_id, run_id, case_id), \(runReference))
                """,
                """
                CREATE TABLE certificates (payload_sha256 TEXT PRIMARY KEY, target_id TEXT NOT NULL, run_id TEXT NOT NULL,
                  run_sha256 TEXT NOT NULL, profile_id TEXT NOT NULL, profile_version TEXT NOT NULL, profile_title TEXT NOT NULL,
                  result TEXT NOT NULL, level TEXT NOT NULL, issuer TEXT NOT NULL, issuer_key_id TEXT NOT NULL,
                  issued_at TEXT NOT NULL, not_before TEXT NOT NULL, not_after TEXT NOT NULL, envelope TEXT NOT NULL,
                  source_path TEXT NOT NULL, ingested_at TEXT NOT NULL)
                """,
            ]
        ),
        Migration(
            version: 2,
            description: "indexes for run history, trends and the certificate matrix",
            statements: [
                "CREATE INDEX runs_by_start ON runs (target_id, started_at)",
                "CREATE INDEX performance_by_case ON performance (target_id, case_id)",
                "CREATE INDEX certificates_by_target ON certificates (target_id, profile_id, issued_at)",
            ]
        ),
    ]

    public static var currentVersion: Int { migrations.last!.version }

    /// Applies every migration above the database's version, up to `target`, under the schema
    /// lock (so two processes opening a new database do not both create it); refuses a database
    /// from a newer harness.
    @discardableResult
    public static func migrate(_ database: any RegistryDatabase, upTo target: Int = currentVersion) throws -> [Int] {
        try database.writeTransaction {
            try database.lockSchema()
            try database.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            let applied = Set(try database.query("SELECT version FROM schema_migrations").compactMap { $0.first?.int })
            if let newest = applied.max(), newest > currentVersion {
                throw RegistryError.badInput(
                    file: database.location,
                    message:
                        "registry schema version \(newest) is newer than this harness understands (\(currentVersion))"
                )
            }
            var done: [Int] = []
            for migration in migrations where migration.version <= target && !applied.contains(migration.version) {
                for statement in migration.statements { try database.execute(statement) }
                try database.execute(
                    "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)",
                    [.init(migration.version), .init(migration.description), .init(Timestamp.now())]
                )
                done.append(migration.version)
            }
            return done
        }
    }

    /// The applied versions, oldest first.
    public static func versions(_ database: any RegistryDatabase) throws -> [Int] {
        try database.query("SELECT version FROM schema_migrations ORDER BY version").compactMap { $0.first?.int }
    }
}

/// RFC 3339 UTC text, the registry's one date form (sorts as text in both engines).
enum Timestamp {
    static func string(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
    static func now() -> String { string(Date()) }
}
