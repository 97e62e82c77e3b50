import AssayTestSupport
import Foundation

/// The single-node Slurm of `Scripts/slurm-test-cluster.sh`, started in a scratch folder for one
/// test and stopped after it.
struct SlurmTestCluster {
    static let script = Repository.root.appendingPathComponent("Scripts/slurm-test-cluster.sh").path

    /// Whether slurm-wlm and munge are installed (`.ci/run` installs them).
    static var isAvailable: Bool { (try? Subprocess.run([script, "available"], standardError: .discarded))?.status == 0 }

    static let skipReason: Comment = "Slurm is not installed: apt-get install -y slurm-wlm munge (.ci/run does this when it can)"

    let folder: URL
    var configuration: String { folder.appendingPathComponent("slurm.conf").path }

    /// Starts a cluster; throws with the script's output when it does not come up.
    static func start() throws -> SlurmTestCluster {
        let folder = try TemporaryDirectory.make(prefix: "assay-slurm")
        let result = try Subprocess.run([script, "start", folder.path])
        guard result.status == 0 else { throw ClusterError(output: result.output) }
        return SlurmTestCluster(folder: folder)
    }

    func stop() {
        _ = try? Subprocess.run([Self.script, "stop", folder.path])
        try? FileManager.default.removeItem(at: folder)
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
