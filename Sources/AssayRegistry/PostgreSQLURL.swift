import Foundation

/// `postgres://[user[:password]@][host][:port]/database[?host=/socket/dir&port=N]` as libpq reads
/// it: a `host` query parameter that is a folder means the server's unix socket in it.
public struct PostgreSQLURL: Sendable, Equatable {
    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    /// The unix socket file (`<dir>/.s.PGSQL.<port>`), when the host is a folder.
    public var socketPath: String?

    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(_ text: String) throws {
        guard Self.isPostgres(text), let components = URLComponents(string: text) else {
            throw RegistryError.badInput(file: "--db", message: "not a postgres:// URL: \(text)")
        }
        user =
            components.percentEncodedUser?.removingPercentEncoding ?? ProcessInfo.processInfo.environment["USER"]
            ?? "postgres"
        password = components.percentEncodedPassword?.removingPercentEncoding
        port = components.queryItems?.first { $0.name == "port" }?.value.flatMap(Int.init) ?? components.port ?? 5432
        let name = String(components.path.drop(while: { $0 == "/" }))
        guard !name.isEmpty else {
            throw RegistryError.badInput(file: "--db", message: "the postgres:// URL names no database: \(text)")
        }
        database = name
        let queryHost = components.queryItems?.first { $0.name == "host" }?.value
        host = queryHost ?? components.host ?? "localhost"
        socketPath = host.hasPrefix("/") ? "\(host)/.s.PGSQL.\(port)" : nil
    }

    /// The URL without its password, for messages and the site.
    public var redacted: String {
        "postgres://\(user)@\(socketPath == nil ? host : "")\(socketPath == nil ? ":\(port)" : "")/\(database)"
            + (socketPath.map { "?host=\(host) (\($0))" } ?? "")
    }
}
