// swift-tools-version:6.0
import PackageDescription

// Modules depend downwards only:
// Core ← Ops ← Bench ← Backend ← Probe/Runner ← Report/Certify/Gate ← assay.
let package = Package(
    name: "Assay",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "assay", targets: ["assay"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .target(name: "AssayCore", dependencies: [
            .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "CAssayKernels", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "AssayOps", dependencies: ["AssayCore"]),
        .target(name: "AssayBench", dependencies: ["AssayCore", "AssayOps"]),
        .target(name: "AssayBackend", dependencies: ["AssayCore", "AssayOps", "AssayBench", "CAssayKernels"]),
        .target(name: "AssayProbe", dependencies: [
            "AssayCore", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "AssayRunner", dependencies: ["AssayCore", "AssayOps", "AssayBench", "AssayBackend", "AssayProbe"]),
        .target(name: "AssayReport", dependencies: ["AssayCore", "AssayBench"]),
        .target(name: "AssayCertify", dependencies: [
            "AssayCore", "AssayOps", "AssayBench",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "AssayGate", dependencies: ["AssayCore", "AssayBench"]),
        .executableTarget(name: "assay", dependencies: [
            "AssayCore", "AssayOps", "AssayBench", "AssayBackend", "AssayProbe", "AssayRunner",
            "AssayReport", "AssayCertify", "AssayGate",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Helpers the test targets share (the repository root, the built assay, subprocesses,
        // python3, scratch folders); only test targets depend on it.
        .target(name: "AssayTestSupport", path: "Tests/AssayTestSupport"),
        .testTarget(name: "AssayCoreTests", dependencies: ["AssayCore"]),
        .testTarget(name: "AssayOpsTests", dependencies: ["AssayOps", "AssayTestSupport"]),
        .testTarget(name: "AssayBenchTests", dependencies: ["AssayBench", "AssayTestSupport"]),
        .testTarget(name: "AssayBackendTests", dependencies: ["AssayBackend", "AssayTestSupport"]),
        .testTarget(name: "AssayProbeTests", dependencies: ["AssayProbe", "AssayTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "AssayRunnerTests", dependencies: ["AssayRunner", "AssayTestSupport"]),
        .testTarget(name: "AssayReportTests", dependencies: ["AssayReport", "AssayTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "AssayCertifyTests", dependencies: ["AssayCertify", "AssayRunner", "AssayBackend", "AssayTestSupport"]),
        .testTarget(name: "AssayGateTests", dependencies: ["AssayGate", "AssayRunner", "AssayTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
