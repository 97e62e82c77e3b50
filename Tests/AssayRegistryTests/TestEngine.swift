import AssayRegistry
import AssayTestSupport
import Foundation

/// The engines the same tests run against: SQLite always; PostgreSQL in builds with the
/// PostgreSQL trait (`swift test --traits PostgreSQL`), on a server the tests start themselves.
enum TestEngine: String, CaseIterable, CustomStringConvertible, Sendable {
    case sqlite, postgresql

    var description: String { rawValue }

    static let available: [TestEngine] = {
        guard RegistryConnection.hasPostgreSQL else { return [.sqlite] }
        guard PostgresTestServer.shared != nil else {
            FileHandle.standardError.write(Data("warning: PostgreSQL registry tests skipped: \(PostgresTestServer.failure ?? "no server")\n".utf8))
            return [.sqlite]
        }
        return [.sqlite, .postgresql]
    }()

    /// A fresh, empty registry database; its `--db` argument for the CLI.
    func makeDatabase(in folder: URL) throws -> String {
        switch self {
        case .sqlite: return folder.appendingPathComponent("registry.sqlite").path
        case .postgresql: return try PostgresTestServer.shared!.createDatabase()
        }
    }

    func open(_ db: String) throws -> Registry { try RegistryConnection.open(db, relativeTo: Repository.root) }
}

/// One PostgreSQL server for the whole test process (Scripts/postgres-test-server.sh in a
/// temporary folder), stopped when the process exits; each test gets its own database.
final class PostgresTestServer: @unchecked Sendable {
    let folder: URL
    let adminURL: String
    nonisolated(unsafe) static var failure: String?
    nonisolated(unsafe) static var started: URL?

    static let shared: PostgresTestServer? = {
        let script = Repository.root.appendingPathComponent("Scripts/postgres-test-server.sh").path
        guard let available = try? Subprocess.run([script, "available"]), available.status == 0 else {
            failure = "initdb/pg_ctl not installed (.ci/run installs Debian's postgresql)"
            return nil
        }
        let folder = TemporaryDirectory.uniqueURL(prefix: "assay-postgres")
        guard let start = try? Subprocess.run([script, "start", folder.path], standardError: .merged), start.status == 0,
              let url = start.output.split(separator: "\n").last.map(String.init), url.hasPrefix("postgres://") else {
            failure = "the test server did not start"
            return nil
        }
        started = folder
        atexit {
            guard let folder = PostgresTestServer.started else { return }
            _ = try? Subprocess.run([Repository.root.appendingPathComponent("Scripts/postgres-test-server.sh").path, "stop", folder.path])
            try? FileManager.default.removeItem(at: folder)
        }
        return PostgresTestServer(folder: folder, adminURL: url)
    }()

    private init(folder: URL, adminURL: String) { self.folder = folder; self.adminURL = adminURL }

    /// `CREATE DATABASE` under a fresh name; the URL of it.
    func createDatabase() throws -> String {
        let name = "registry_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        #if PostgreSQL
        let admin = try PostgreSQLDatabase(url: PostgreSQLURL(adminURL))
        defer { admin.close() }
        try admin.execute("CREATE DATABASE \(name)")
        #endif
        return adminURL.replacingOccurrences(of: "@/postgres?", with: "@/\(name)?")
    }
}
