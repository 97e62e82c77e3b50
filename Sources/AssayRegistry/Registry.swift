import Foundation

/// A results registry: one database (SQLite or PostgreSQL) with the schema of
/// `RegistrySchema`. Ingest is in `Registry+Ingest`, queries in `Registry+Queries`.
public final class Registry {
    public let database: any RegistryDatabase

    public init(database: any RegistryDatabase) { self.database = database }

    public var engine: String { database.engine }

    public func close() { database.close() }
}
