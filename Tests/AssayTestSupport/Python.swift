import Foundation

/// The `python3` on PATH, which several tests use as an independent reference (numpy,
/// cryptography, xmlschema, PyYAML) and to host plugins; they skip where it or a module is missing.
public enum Python {
    /// Whether `python3` is on PATH at all.
    public static var isAvailable: Bool { Subprocess.locate("python3") != nil }

    /// Whether `python3` can `import module`. Cached per module: skip conditions ask once per
    /// test, and starting Python (numpy especially) takes a while.
    public static func canImport(_ module: String) -> Bool {
        imports.answer(for: module) {
            isAvailable && (try? Subprocess.run(["python3", "-c", "import \(module)"]).status) == 0
        }
    }

    /// Runs `python3 -c script arguments…`; see `Subprocess.run` for `input` and `standardError`.
    public static func run(
        _ script: String,
        _ arguments: [String] = [],
        input: Data? = nil,
        standardError: Subprocess.ErrorOutput = .merged
    ) throws -> Subprocess.Result {
        try Subprocess.run(["python3", "-c", script] + arguments, input: input, standardError: standardError)
    }

    /// The text of a helper script under Tests/Fixtures/python: Python lives in .py files, where
    /// linters and editors see it, not in Swift string literals.
    public static func script(named name: String) -> String {
        let url = Repository.root.appendingPathComponent("Tests/Fixtures/python").appendingPathComponent(name)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            fatalError("missing test script \(url.path)")
        }
        return text
    }

    private static let imports = Answers()

    /// Module name → whether it imports, shared by the tests that run in parallel.
    private final class Answers: @unchecked Sendable {
        private let lock = NSLock()
        private var known: [String: Bool] = [:]

        func answer(for module: String, _ compute: () -> Bool) -> Bool {
            lock.lock()
            defer { lock.unlock() }
            if let answer = known[module] { return answer }
            let answer = compute()
            known[module] = answer
            return answer
        }
    }
}
