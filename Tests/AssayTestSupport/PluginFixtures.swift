import Foundation

/// The hostile plugins under `Tests/Fixtures/plugins` (one per supervision rule they test) and
/// a way to see whether a process they left behind still lives.
public enum PluginFixtures {
    public static let folder = Repository.root.appendingPathComponent("Tests/Fixtures/plugins")

    /// The path of fixture `name` (e.g. `setsid_daemon.py`).
    public static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// Whether `pid` is a live process: a zombie, which no longer runs, counts as gone.
    public static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(after: close)...].split(separator: " ").first
        return state != "Z" && state != "X"
    }

    /// Waits up to `seconds` for `pid` to be gone; whether it is.
    public static func waitUntilGone(_ pid: Int32, seconds: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while isAlive(pid) {
            if Date() > deadline { return false }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return true
    }

    /// Waits up to `seconds` for `url` to exist and hold text; the text, or nil.
    public static func waitForText(at url: URL, seconds: Double) -> String? {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while Date() < deadline {
            if let text = try? String(contentsOf: url, encoding: .utf8), !text.isEmpty { return text }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return nil
    }
}
