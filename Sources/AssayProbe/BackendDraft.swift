import AssayCore

/// The `backend:` a drafted descriptor starts with: the built-in CPU backend or one of the
/// plugins shipped in `Backends/python/` (commands relative to the repository root).
public enum BackendDraft {
    /// The names `assay targets probe --backend` takes.
    public static let names = ["cpu", "numpy", "torch"]

    /// A shipped backend by name; `device` is the torch device (default `cpu`). Nil for an unknown name.
    public static func named(_ name: String, device: String? = nil) -> BackendSpec? {
        switch name {
        case "cpu": return BackendSpec(builtin: "cpu")
        case "numpy": return BackendSpec(command: ["python3", "Backends/python/numpy_backend.py"], device: "cpu")
        case "torch": return torch(device: device ?? "cpu")
        default: return nil
        }
    }

    /// Torch on the guessed accelerator when the shipped torch backend knows its device, else the
    /// built-in CPU backend (for an accelerator nothing ships for, a starting point to replace).
    public static func guess(_ guess: TargetGuess) -> BackendSpec {
        guess.torchDevice.map(torch(device:)) ?? BackendSpec(builtin: "cpu")
    }

    /// Device start-up (driver and runtime initialisation) can take minutes on an accelerator.
    static func torch(device: String) -> BackendSpec {
        let accelerator = device != "cpu"
        return BackendSpec(
            command: ["python3", "Backends/python/torch_backend.py", "--device", device],
            device: device,
            handshakeTimeoutSeconds: accelerator ? 180 : 120,
            requestTimeoutSeconds: accelerator ? 600 : 300
        )
    }
}
