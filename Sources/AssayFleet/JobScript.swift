import Foundation

/// The bash script one job runs: `assay run` for its target (continuing its run directory when
/// resumed), then `assay certify` when the fleet has a profile and a station key. It logs to the
/// target's log, announces the run directory as soon as it exists, and records its exit status.
struct JobScript {
    var manifest: FleetManifest
    var fleet: FleetDirectory
    var target: FleetTarget
    /// The run directory to continue; nil for a fresh run.
    var resume: URL?
    /// The workspace's key: it signs the run (`--sign-with`, a run attestation) and, with a
    /// profile, the certificate; certify trusts its `.pub` beside it as the station. nil: neither.
    var stationKey: URL?

    var text: String {
        let runPathFile = fleet.runPathFile(for: target.id).path
        var run = [manifest.assay, "run", "--target", target.source]
        for suite in manifest.suites { run += ["--suite", suite] }
        run += ["--out", manifest.reportsRoot, "--quiet", "--run-dir-file", runPathFile]
        if let cap = manifest.timeCapSeconds { run += ["--time-cap", String(cap)] }
        if let resume { run += ["--resume", resume.path] }
        // A signed run is what `assay certify` accepts; a resumed one continues its keyed journal.
        if let stationKey { run += ["--sign-with", stationKey.path] }
        var lines = [
            "#!/usr/bin/env bash",
            "# assay fleet \(manifest.id): target \(target.id) (\(target.descriptorPath)); written by `assay fleet submit`.",
            "set -u",
            "cd \(Self.quote(manifest.workingDirectory)) || exit 2",
            "exec >>\(Self.quote(fleet.log(for: target.id).path)) 2>&1",
            "rm -f \(Self.quote(fleet.exitFile(for: target.id).path))",
            "echo \"== $(date -u +%Y-%m-%dT%H:%M:%SZ) job ${SLURM_JOB_ID:-local} on $(hostname)\(resume == nil ? "" : ", resuming")\"",
            run.map(Self.quote).joined(separator: " "),
            "status=$?",
        ]
        if let profile = manifest.profile, let stationKey {
            // A certificate is only worth asking for once the run finished (0: passed, 1: some case failed).
            lines += [
                "if [ \"$status\" -le 1 ] && [ -s \(Self.quote(runPathFile)) ]; then",
                "  " + [manifest.assay, "certify"].map(Self.quote).joined(separator: " ")
                    + " \"$(cat \(Self.quote(runPathFile)))\" "
                    + [
                        "--profile", profile, "--key", stationKey.path,
                        "--station-pubkey", stationKey.deletingPathExtension().appendingPathExtension("pub").path,
                    ]
                    .map(Self.quote).joined(separator: " ") + " || true",
                "fi",
            ]
        }
        lines += [
            "echo \"$status\" >\(Self.quote(fleet.exitFile(for: target.id).path))",
            "exit \"$status\"",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the script, executable.
    func write() throws {
        let url = fleet.jobScript(for: target.id)
        try Data(text.utf8).write(to: url, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    }

    /// One shell word: single-quoted, with embedded quotes spliced in.
    static func quote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
