import AssayCore
import Foundation

@testable import AssayProbe

/// The recorded systems under `Fixtures/` (copied as a resource bundle).
enum FixtureLoader {
    static let names = ["openeuler-kunpeng", "kylin-hygon", "ubuntu-nvidia"]

    static func url(_ name: String) -> URL {
        guard let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            fatalError("Fixtures resource missing from the test bundle")
        }
        return fixtures.appendingPathComponent(name)
    }

    static func source(_ name: String, extraCommands: [String: String] = [:]) -> FixtureProbeSource {
        FixtureProbeSource(fixture: url(name), extraCommands: extraCommands)
    }

    static func facts(_ name: String) -> SystemFacts {
        SystemProbe(source: source(name)).probe()
    }
}

extension SystemFacts {
    func tool(_ name: String) -> Tool? { toolchain?.first { $0.name == name } }
    func runtime(_ name: String) -> Tool? { container?.runtimes.first { $0.name == name } }
    func acceleratorTool(_ name: String) -> AcceleratorTool? { acceleratorTools?.first { $0.name == name } }
}
