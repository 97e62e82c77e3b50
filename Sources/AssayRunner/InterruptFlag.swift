import Foundation
import Synchronization

/// Set by SIGINT/SIGTERM; the runner checks it between cases (and the sampler between
/// batches) so Ctrl-C ends with a valid, resumable record instead of a torn one.
public enum InterruptFlag {
    private static let flag = Atomic<Bool>(false)

    public static var isSet: Bool { flag.load(ordering: .relaxed) }
    public static func set() { flag.store(true, ordering: .relaxed) }
    public static func reset() { flag.store(false, ordering: .relaxed) }

    /// Routes SIGINT and SIGTERM to the flag (a second Ctrl-C still kills at once).
    public static func install() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig) { number in
                if InterruptFlag.isSet { signal(number, SIG_DFL); raise(number) }
                InterruptFlag.set()
            }
        }
    }
}
