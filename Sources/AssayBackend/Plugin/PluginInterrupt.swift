import CAssaySpawn

/// What the harness's SIGINT/SIGTERM handler may do to plugins, all of it async-signal-safe (the
/// state lives in C atomics): wake every wait on a plugin — a byte in a self-pipe that
/// `PluginProcess` polls next to the plugin's pipes, so the request in flight ends at once,
/// whichever thread the signal hit — and, on the second signal, SIGKILL the process groups of
/// the running plugins before the harness exits.
public enum PluginInterrupt {
    /// Creates the self-pipe; call before installing a handler that calls `cancel()`.
    public static func prepare() { assay_interrupt_prepare() }

    /// Signal-safe: every current and later wait on a plugin ends with `.cancelled` until `reset()`.
    public static func cancel() { assay_interrupt_fire() }

    /// Empties the self-pipe (for tests that interrupt more than once in one process).
    public static func reset() { assay_interrupt_reset() }

    /// Signal-safe: SIGKILLs every running plugin and its process group.
    public static func killPlugins() { assay_kill_plugins() }

    /// The descriptor `PluginProcess` polls, or -1 when no handler was prepared.
    static var descriptor: Int32 { assay_interrupt_fd() }

    static func register(_ pid: Int32) { assay_register_plugin(pid) }
    static func unregister(_ pid: Int32) { assay_unregister_plugin(pid) }
}
