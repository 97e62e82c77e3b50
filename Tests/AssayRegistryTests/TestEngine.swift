import AssayRegistry
import AssayTestSupport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The engines the same tests run against: SQLite always; PostgreSQL in builds with the
/// PostgreSQL trait (`swift test --traits PostgreSQL`), on a server the tests start themselves.
enum TestEngine: String, CaseIterable, CustomStringConvertible, Sendable {
    case sqlite, postgresql

    var description: String { rawValue }

    static let available: [TestEngine] = {
        guard RegistryConnection.hasPostgreSQL else { return [.sqlite] }
        guard PostgresTestServer.shared != nil else {
            FileHandle.standardError.write(
                Data("warning: PostgreSQL registry tests skipped: \(PostgresTestServer.failure ?? "no server")\n".utf8)
            )
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
        guard run(["available"]).status == 0 else {
            failure = "initdb/pg_ctl not installed (.ci/run installs Debian's postgresql)"
            return nil
        }
        let folder = TemporaryDirectory.uniqueURL(prefix: "assay-postgres")
        let start = run(["start", folder.path])
        guard start.status == 0, let url = start.output.split(separator: "\n").last.map(String.init),
            url.hasPrefix("postgres://")
        else {
            failure = "the test server did not start: \(start.output.suffix(400))"
            return nil
        }
        started = folder
        atexit {
            guard let folder = PostgresTestServer.started else { return }
            _ = PostgresTestServer.run(["stop", folder.path])
            try? FileManager.default.removeItem(at: folder)
        }
        return PostgresTestServer(folder: folder, adminURL: url)
    }()

    /// Runs Scripts/postgres-test-server.sh with posix_spawn and waitpid, output through a
    /// file: Foundation's Process, started from inside a static initializer during test
    /// discovery, was seen never to reap the script (a zombie, and waitUntilExit forever).
    static func run(_ arguments: [String]) -> (status: Int32, output: String) {
        let script = Repository.root.appendingPathComponent("Scripts/postgres-test-server.sh").path
        let log = TemporaryDirectory.uniqueURL(prefix: "assay-postgres-script").path
        defer { unlink(log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = (["/bin/bash", script] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        guard posix_spawn(&pid, "/bin/bash", &actions, nil, argv, environ) == 0 else {
            return (127, "cannot start \(script)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return ((status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f), output)
    }

    private init(folder: URL, adminURL: String) {
        self.folder = folder
        self.adminURL = adminURL
    }

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
