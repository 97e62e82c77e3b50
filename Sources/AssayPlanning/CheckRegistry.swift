import AssayProbe

/// Every check a suite may name, and where it runs: planning validates and expands suites by
/// these names alone; execution runs a probe check through AssayProbe's `SystemCheck` and a
/// device check through the runner's `DeviceCheck`, whose list `DeviceCheckTests` holds equal to
/// `deviceChecks`.
public enum CheckRegistry {
    /// Where a named check runs.
    public enum Kind: Sendable, Equatable {
        /// Reads this machine (`SystemCheck`, AssayProbe).
        case probe
        /// Goes through the backend to its device (`DeviceCheck`, AssayRunner).
        case device
    }

    /// The checks that go through the backend, in the order a suite lists them.
    public static let deviceChecks = ["host_device_bandwidth", "device_memory", "sustained_load"]

    /// Every name, probes first.
    public static var names: [String] { SystemCheck.names + deviceChecks }

    /// Where `name` runs; nil for a name no check has.
    public static func kind(of name: String) -> Kind? {
        if deviceChecks.contains(name) { return .device }
        return SystemCheck.names.contains(name) ? .probe : nil
    }
}
