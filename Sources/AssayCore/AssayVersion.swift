/// The harness version, in one place: the CLI's `--version`, run records, the native backend's
/// identity and the plugin hello all read it.
public enum AssayVersion {
    public static let current = "0.1.0"
}
