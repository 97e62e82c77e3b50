import CSQLite
import Foundation

/// The embedded engine: the system's libsqlite3, one file, WAL journal, a busy timeout so
/// several processes may ingest into one file (writers take turns).
public final class SQLiteDatabase: RegistryDatabase {
    public let engine = "sqlite"
    public let location: String
    private var handle: OpaquePointer?

    /// SQLite's way of saying "copy this text now" (SQLITE_TRANSIENT is a C macro Swift cannot import).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    public init(path: String) throws {
        location = path
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var db: OpaquePointer?
        let status = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nil)
        guard status == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(db)
            throw DatabaseError(location: path, message: message)
        }
        handle = db
        sqlite3_busy_timeout(db, 60_000)
        try execute("PRAGMA journal_mode = WAL")
        try execute("PRAGMA foreign_keys = ON")
        try execute("PRAGMA synchronous = NORMAL")
    }

    deinit { close() }

    public func close() {
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    private func error(_ sql: String? = nil) -> DatabaseError {
        let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "closed"
        return DatabaseError(location: location, message: message + (sql.map { " (in: \($0.prefix(120)))" } ?? ""))
    }

    private func prepare(_ sql: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else { throw error(sql) }
        return statement
    }

    private func bind(_ statement: OpaquePointer, _ parameters: [SQLValue], sql: String) throws {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        for (offset, value) in parameters.enumerated() {
            let index = Int32(offset + 1)
            let status: Int32
            switch value {
            case .null: status = sqlite3_bind_null(statement, index)
            case .integer(let number): status = sqlite3_bind_int64(statement, index, number)
            case .real(let number): status = sqlite3_bind_double(statement, index, number)
            case .text(let text): status = sqlite3_bind_text(statement, index, text, -1, Self.transient)
            }
            guard status == SQLITE_OK else { throw error(sql) }
        }
    }

    private func rows(_ statement: OpaquePointer, sql: String) throws -> [[SQLValue]] {
        var result: [[SQLValue]] = []
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { return result }
            guard status == SQLITE_ROW else { throw error(sql) }
            result.append(
                (0..<sqlite3_column_count(statement)).map { column in
                    switch sqlite3_column_type(statement, column) {
                    case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, column))
                    case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, column))
                    case SQLITE_NULL: return .null
                    default: return .text(String(cString: sqlite3_column_text(statement, column)))
                    }
                }
            )
        }
    }

    public func query(_ sql: String, _ parameters: [SQLValue]) throws -> [[SQLValue]] {
        let statement = try prepare(sql)
        defer { sqlite3_finalize(statement) }
        try bind(statement, parameters, sql: sql)
        return try rows(statement, sql: sql)
    }

    public func execute(_ sql: String, _ parameters: [SQLValue]) throws {
        _ = try query(sql, parameters)
    }

    public func executeMany(_ sql: String, _ rows: [[SQLValue]]) throws {
        let statement = try prepare(sql)
        defer { sqlite3_finalize(statement) }
        for row in rows {
            try bind(statement, row, sql: sql)
            _ = try self.rows(statement, sql: sql)
        }
    }

    // IMMEDIATE takes the write lock at BEGIN: two ingests never both read, then both fail to upgrade.
    public func beginWrite() throws { try execute("BEGIN IMMEDIATE") }
    public func commit() throws { try execute("COMMIT") }
    public func rollback() { try? execute("ROLLBACK") }
    // BEGIN IMMEDIATE already excludes every other writer, migrations included.
    public func lockSchema() throws {}
}
