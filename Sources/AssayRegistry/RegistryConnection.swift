import Foundation

/// Opens the registry named by `--db`: a file path (SQLite; default `Reports/registry.sqlite`)
/// or a `postgres://` URL (PostgreSQL, in builds with the PostgreSQL trait), and brings its
/// schema up to date.
public enum RegistryConnection {
    public static let defaultPath = "Reports/registry.sqlite"

    /// Whether this build can open `postgres://` registries.
    public static var hasPostgreSQL: Bool {
        #if PostgreSQL
        return true
        #else
        return false
        #endif
    }

    public static func open(_ argument: String?, relativeTo root: URL) throws -> Registry {
        let text = argument ?? defaultPath
        let database: any RegistryDatabase
        if PostgreSQLURL.isPostgres(text) {
            let url = try PostgreSQLURL(text)
            #if PostgreSQL
            database = try PostgreSQLDatabase(url: url)
            #else
            throw RegistryError.badInput(
                file: "--db",
                message:
                    "\(url.redacted): this assay was built without PostgreSQL support; build it with `swift build --traits PostgreSQL`"
            )
            #endif
        } else {
            database = try SQLiteDatabase(
                path: URL(fileURLWithPath: text, relativeTo: URL(fileURLWithPath: root.path, isDirectory: true))
                    .standardizedFileURL.path
            )
        }
        let registry = Registry(database: database)
        do {
            try RegistrySchema.migrate(database)
        } catch {
            database.close()
            throw error
        }
        return registry
    }
}
