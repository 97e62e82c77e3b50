#if PostgreSQL
import Foundation
import PostgresNIO

/// The lab engine: one PostgresNIO connection, used synchronously (the CLI is synchronous; the
/// futures are waited on outside NIO's event loops). Several stations may ingest at once:
/// PostgreSQL's row locks and `ON CONFLICT` decide which one stores a run.
public final class PostgreSQLDatabase: RegistryDatabase {
    public let engine = "postgresql"
    public let location: String
    private let connection: PostgresConnection
    private let logger = Logger(label: "assay.registry.postgresql")
    private var closed = false

    public init(url: PostgreSQLURL) throws {
        location = url.redacted
        let configuration: PostgresConnection.Configuration
        if let socket = url.socketPath {
            configuration = .init(
                unixSocketPath: socket,
                username: url.user,
                password: url.password,
                database: url.database
            )
        } else {
            configuration = .init(
                host: url.host,
                port: url.port,
                username: url.user,
                password: url.password,
                database: url.database,
                tls: .disable
            )
        }
        let eventLoop = PostgresConnection.defaultEventLoopGroup.any()
        do {
            connection = try PostgresConnection.connect(
                on: eventLoop,
                configuration: configuration,
                id: 1,
                logger: logger
            ).wait()
        } catch {
            throw DatabaseError(location: url.redacted, message: "cannot connect: \(Self.describe(error))")
        }
        // Warnings such as "there is no transaction in progress" are not the registry's business.
        try execute("SET client_min_messages = error")
    }

    deinit { close() }

    public func close() {
        guard !closed else { return }
        closed = true
        try? connection.close().wait()
    }

    /// PostgresNIO's errors hide the server's message behind `String(reflecting:)`.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError, let message = error.serverInfo?[.message] {
            return message + (error.serverInfo?[.detail].map { " (\($0))" } ?? "")
        }
        return String(reflecting: error)
    }

    /// `?` placeholders become `$1`, `$2`… (the registry's SQL has no `?` inside literals).
    static func numbered(_ sql: String) -> String {
        var result = ""
        var next = 1
        for character in sql {
            if character == "?" {
                result += "$\(next)"
                next += 1
            } else {
                result.append(character)
            }
        }
        return result
    }

    private func postgresQuery(_ sql: String, _ parameters: [SQLValue]) -> PostgresQuery {
        var binds = PostgresBindings(capacity: parameters.count)
        for value in parameters {
            switch value {
            case .null: binds.appendNull()
            case .integer(let number): binds.append(number)
            case .real(let number): binds.append(number)
            case .text(let text): binds.append(text)
            }
        }
        return PostgresQuery(unsafeSQL: Self.numbered(sql), binds: binds)
    }

    private static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
        case .float4, .float8: return .real(try cell.decode(Double.self))
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        default: return .text(try cell.decode(String.self))
        }
    }

    public func query(_ sql: String, _ parameters: [SQLValue]) throws -> [[SQLValue]] {
        do {
            let result = try connection.query(postgresQuery(sql, parameters), logger: logger).wait()
            return try result.rows.map { row in try row.map(Self.value) }
        } catch {
            throw DatabaseError(location: location, message: Self.describe(error) + " (in: \(sql.prefix(120)))")
        }
    }

    public func execute(_ sql: String, _ parameters: [SQLValue]) throws { _ = try query(sql, parameters) }

    /// Rows per multi-row INSERT: one statement and one round trip for up to this many rows
    /// (far below PostgreSQL's 65535 parameters for the registry's widest table).
    static let batchRows = 200

    /// An `INSERT … VALUES (?, …)` becomes multi-row inserts of `batchRows` rows, sent all before
    /// waiting for the first answer; any other statement is sent once per row, also pipelined.
    public func executeMany(_ sql: String, _ rows: [[SQLValue]]) throws {
        var statements: [(String, [SQLValue])] = []
        if let values = sql.range(of: "VALUES (", options: .backwards), sql.hasSuffix(")") {
            let tuple = String(sql[sql.index(before: values.upperBound)...])
            for start in stride(from: 0, to: rows.count, by: Self.batchRows) {
                let batch = rows[start..<min(start + Self.batchRows, rows.count)]
                let text =
                    sql[..<values.lowerBound] + "VALUES "
                    + Array(repeating: tuple, count: batch.count).joined(separator: ", ")
                statements.append((String(text), batch.flatMap { $0 }))
            }
        } else {
            statements = rows.map { (sql, $0) }
        }
        let futures = statements.map { connection.query(postgresQuery($0.0, $0.1), logger: logger) }
        var firstError: (any Error)?
        for future in futures {
            do { _ = try future.wait() } catch { if firstError == nil { firstError = error } }
        }
        if let firstError {
            throw DatabaseError(location: location, message: Self.describe(firstError) + " (in: \(sql.prefix(120)))")
        }
    }

    public func beginWrite() throws { try execute("BEGIN ISOLATION LEVEL READ COMMITTED") }
    public func commit() throws { try execute("COMMIT") }
    public func rollback() { try? execute("ROLLBACK") }
    /// A transaction-scoped advisory lock: two stations creating the schema at once take turns.
    public func lockSchema() throws { try execute("SELECT pg_advisory_xact_lock(4242017)") }
}
#endif
