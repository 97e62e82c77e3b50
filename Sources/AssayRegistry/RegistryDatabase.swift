import Foundation

/// What the registry needs of an SQL engine. SQL is written once, with `?` placeholders, in the
/// dialect SQLite and PostgreSQL share (TEXT, BIGINT, DOUBLE PRECISION, `ON CONFLICT`,
/// `RETURNING`); each engine adapts only placeholders and locking.
public protocol RegistryDatabase: AnyObject {
    /// `sqlite` or `postgresql`, as recorded and printed.
    var engine: String { get }
    /// Where it is, for messages (a file path, or the URL without its password).
    var location: String { get }
    func execute(_ sql: String, _ parameters: [SQLValue]) throws
    func query(_ sql: String, _ parameters: [SQLValue]) throws -> [[SQLValue]]
    /// One statement for many parameter rows (prepared once where the engine allows).
    func executeMany(_ sql: String, _ rows: [[SQLValue]]) throws
    /// Starts a transaction that holds the write lock from its first statement, so concurrent
    /// ingests serialise on conflicts instead of failing half-way.
    func beginWrite() throws
    func commit() throws
    func rollback()
    /// Inside a write transaction: waits until no other process migrates the schema.
    func lockSchema() throws
    func close()
}

extension RegistryDatabase {
    public func execute(_ sql: String) throws { try execute(sql, []) }
    public func query(_ sql: String) throws -> [[SQLValue]] { try query(sql, []) }

    /// Runs `body` in one write transaction: committed when it returns, rolled back when it
    /// throws, so a failure leaves nothing half-written.
    public func writeTransaction<T>(_ body: () throws -> T) throws -> T {
        try beginWrite()
        do {
            let value = try body()
            try commit()
            return value
        } catch {
            rollback()
            throw error
        }
    }
}

/// A statement the engine refused, with the engine's own words.
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    public var location: String
    public var message: String
    public init(location: String, message: String) {
        self.location = location
        self.message = message
    }
    public var description: String { "\(location): \(message)" }
}
