import CAssaySpawn
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A plugin and everything it started, found through /proc so that a descendant that left the
/// process group (setsid) is still killed: the live tree through `/proc/PID/task/*/children`, and
/// orphans the harness adopted as child subreaper through the marker in their environment.
struct ProcessTree {
    /// The plugin's pid (its own group leader).
    let root: pid_t
    /// `ASSAY_PLUGIN_TREE=<token>`, set in the plugin's environment at spawn and inherited.
    let marker: String

    static let markerName = "ASSAY_PLUGIN_TREE"

    /// Makes the harness the reaper of its orphaned descendants, once per process (Linux ≥ 3.4).
    static let becomeSubreaper: Void = { _ = assay_become_subreaper() }()

    /// Stops (SIGSTOP, so nothing forks meanwhile), then SIGKILLs the root's group and every
    /// process of the tree, repeating until no new member appears; reaps those that are ours.
    /// Once the root was reaped its pid may be reused: only its group (which keeps the number
    /// reserved while a member lives) and the marked orphans are then killed.
    func killAll(rootReaped: Bool = false) {
        var seen: Set<pid_t> = []
        for _ in 0..<8 {
            let members = collect(includingRoot: !rootReaped).subtracting(seen)
            if members.isEmpty { break }
            for pid in members { _ = kill(pid, SIGSTOP) }
            seen.formUnion(members)
        }
        _ = kill(-root, SIGKILL)
        for pid in seen { _ = kill(pid, SIGKILL) }
        reap(seen.subtracting([root]))
    }

    /// Adopted descendants are our children once their parent dies: reap them (not the root,
    /// which `PluginProcess` reaps for its exit status), waiting briefly for the re-parenting.
    private func reap(_ pids: Set<pid_t>) {
        var left = pids
        for _ in 0..<50 where !left.isEmpty {
            for pid in left {
                var status: Int32 = 0
                let result = waitpid(pid, &status, WNOHANG)
                if result == pid || !ProcessTree.exists(pid) { left.remove(pid) }
            }
            if !left.isEmpty { usleep(2_000) }
        }
    }

    /// The root's live descendants plus adopted orphans carrying the marker, and their descendants.
    func collect(includingRoot: Bool = true) -> Set<pid_t> {
        var found: Set<pid_t> = []
        var frontier =
            (includingRoot ? [root] : [])
            + ProcessTree.children(of: getpid()).filter { $0 != root && carriesMarker($0) }
        while let pid = frontier.popLast() {
            guard found.insert(pid).inserted else { continue }
            frontier += ProcessTree.children(of: pid)
        }
        return found
    }

    private func carriesMarker(_ pid: pid_t) -> Bool {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
        let needle = Array("\(ProcessTree.markerName)=\(marker)".utf8)
        return data.split(separator: 0).contains { Array($0) == needle }
    }

    /// Direct children of `pid`, from every thread's `children` file (CONFIG_PROC_CHILDREN).
    static func children(of pid: pid_t) -> [pid_t] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.flatMap { task -> [pid_t] in
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8) else {
                return []
            }
            return text.split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
    }

    /// Whether `pid` names a process that is not a zombie.
    static func exists(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(after: close)...].split(separator: " ").first
        return state != "Z" && state != "X"
    }
}
