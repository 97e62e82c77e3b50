/// How to ask one vendor tool about its devices, and how much of the answer to trust.
struct AcceleratorToolSpec: Sendable {
    var name: String
    var argv: [String]
    /// True where the output is a documented machine-readable format (nvidia-smi's CSV query);
    /// the others print human tables that change between releases, so only their first
    /// lines are kept, as evidence.
    var parsesDevices: Bool

    static let nvidiaQuery = "--query-gpu=name,memory.total,driver_version,pci.bus_id"

    static let all: [AcceleratorToolSpec] = [
        AcceleratorToolSpec(
            name: "nvidia-smi",
            argv: ["nvidia-smi", nvidiaQuery, "--format=csv,noheader,nounits"],
            parsesDevices: true
        ),
        AcceleratorToolSpec(name: "npu-smi", argv: ["npu-smi", "info"], parsesDevices: false),
        AcceleratorToolSpec(name: "cnmon", argv: ["cnmon"], parsesDevices: false),
        AcceleratorToolSpec(name: "xpu-smi", argv: ["xpu-smi"], parsesDevices: false),
        AcceleratorToolSpec(name: "mthreads-gmi", argv: ["mthreads-gmi"], parsesDevices: false),
        AcceleratorToolSpec(name: "hy-smi", argv: ["hy-smi"], parsesDevices: false),
        AcceleratorToolSpec(name: "rocm-smi", argv: ["rocm-smi"], parsesDevices: false),
    ]

    /// Lines of evidence kept from a tool's output.
    static let rawHeadLines = 12
}
