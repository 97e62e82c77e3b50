import AssayBackend
import Foundation
import Synchronization

/// Set by SIGINT/SIGTERM; the runner checks it between cases (and the sampler between
/// batches) so Ctrl-C ends with a valid, resumable record instead of a torn one. The first
/// signal also cancels the plugin request in flight (`PluginInterrupt`), so the run stops within
/// a moment instead of waiting for the request's timeout; the second exits at once (status
/// 130) after SIGKILLing the running plugins' process groups.
public enum InterruptFlag {
    private static let flag = Atomic<Bool>(false)

    /// The exit status of an interrupted run.
    public static let exitStatus: Int32 = 130

    public static var isSet: Bool { flag.load(ordering: .relaxed) }
    public static func set() { flag.store(true, ordering: .relaxed) }
    public static func reset() {
        flag.store(false, ordering: .relaxed)
        PluginInterrupt.reset()
    }

    /// Routes SIGINT and SIGTERM to the flag and the plugin cancellation.
    public static func install() {
        PluginInterrupt.prepare()
        _ = isSet  // initialise the flag's storage outside the handler
        // A parent may start us with these blocked (a dispatch worker thread's mask is inherited
        // through posix_spawn); blocked, they would stay pending and the run would not stop.
        var mask = sigset_t()
        sigemptyset(&mask)
        sigaddset(&mask, SIGINT)
        sigaddset(&mask, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &mask, nil)
        for sig in [SIGINT, SIGTERM] {
            signal(sig) { _ in
                if InterruptFlag.isSet {
                    PluginInterrupt.killPlugins()
                    _exit(InterruptFlag.exitStatus)
                }
                InterruptFlag.set()
                PluginInterrupt.cancel()
            }
        }
    }
}
