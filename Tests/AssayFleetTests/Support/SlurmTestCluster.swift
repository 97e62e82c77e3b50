import AssayTestSupport
import Foundation
import Testing

/// The single-node Slurm of `Scripts/slurm-test-cluster.sh`, started in a scratch folder for one
/// test and stopped after it.
struct SlurmTestCluster {
    static let script = Repository.root.appendingPathComponent("Scripts/slurm-test-cluster.sh").path

    /// Whether slurm-wlm and munge are installed (`.ci/run` installs them).
    static var isAvailable: Bool {
        (try? Subprocess.run([script, "available"], standardError: .discarded))?.status == 0
    }

    static let skipReason: Comment =
        "Slurm is not installed: apt-get install -y slurm-wlm munge (.ci/run does this when it can)"

    let folder: URL
    var configuration: String { folder.appendingPathComponent("slurm.conf").path }

    /// Starts a cluster; throws with the script's output when it does not come up.
    static func start() throws -> SlurmTestCluster {
        let folder = try TemporaryDirectory.make(prefix: "assay-slurm")
        // Ports of its own, so a cluster left running elsewhere cannot answer in its place.
        let port = Int.random(in: 20_000...29_998)
        let output = folder.appendingPathComponent("start.out")
        guard spawnAndWait(["env", "ASSAY_SLURM_PORT=\(port)", script, "start", folder.path], output: output) == 0
        else {
            throw ClusterError(output: (try? String(contentsOf: output, encoding: .utf8)) ?? "")
        }
        return SlurmTestCluster(folder: folder)
    }

    func stop() {
        _ = Self.spawnAndWait([Self.script, "stop", folder.path], output: folder.appendingPathComponent("stop.out"))
        try? FileManager.default.removeItem(at: folder)
    }

    /// posix_spawn and waitpid, output to a file: Foundation's Process was seen to miss the exit
    /// of a script whose daemons outlive it, and never return from waitUntilExit.
    static func spawnAndWait(_ argv: [String], output: URL) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let arguments = (["/usr/bin/env"] + argv).map { strdup($0) } + [nil]
        defer { for pointer in arguments { free(pointer) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/usr/bin/env", &actions, nil, arguments, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return -1 }
        }
        // WIFEXITED / WEXITSTATUS.
        return status & 0x7f == 0 ? (status >> 8) & 0xff : -1
    }

    /// Runs a command with this cluster's `SLURM_CONF`.
    func run(_ argv: [String], in directory: URL? = nil) throws -> Subprocess.Result {
        try Subprocess.run(["env", "SLURM_CONF=\(configuration)"] + argv, in: directory)
    }

    struct ClusterError: Error, CustomStringConvertible {
        var output: String
        var description: String { "the Slurm test cluster did not start:\n\(output)" }
    }
}
