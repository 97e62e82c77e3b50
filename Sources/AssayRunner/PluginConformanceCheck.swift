import AssayBackend
import AssayBench
import AssayCore
import AssayOps
import Foundation

/// `assay plugin check`: does a plugin speak the protocol? Handshake, every claimed op × dtype on
/// small seeded inputs against the float64 reference, the error paths (unknown op, unknown
/// message type, malformed header, after which it must keep serving), a benchmark's sample
/// count, memory, and a clean shutdown.
public struct PluginConformanceCheck {
    /// One line of the report.
    public struct Check: Sendable {
        public var name: String
        public var passed: Bool
        public var detail: String
        /// Not run because an earlier failure stopped the plugin (one root cause is reported once).
        public var skipped = false
    }

    /// Why one check failed, in words.
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    public let configuration: PluginConfiguration
    public let catalogue: OpCatalogue
    public let seed: UInt64 = 0xA55A_1234

    public init(configuration: PluginConfiguration, catalogue: OpCatalogue = .standard) {
        self.configuration = configuration
        self.catalogue = catalogue
    }

    /// Small, non-trivial params per op (odd sizes, a broadcast, a reduction over several axes).
    static let smallParams: [String: AttrMap] = [
        "matmul": ["m": .int(5), "n": .int(7), "k": .int(9)],
        "matmul_int8": ["m": .int(5), "n": .int(7), "k": .int(9)],
        "linear": ["m": .int(5), "n": .int(7), "k": .int(9)],
        "conv2d": ["n": .int(1), "c": .int(3), "h": .int(6), "w": .int(5), "f": .int(4), "kh": .int(3), "kw": .int(3)],
        "scaled_dot_product_attention": ["b": .int(1), "h": .int(2), "s": .int(5), "d": .int(8)],
        "embedding": ["vocab": .int(11), "dim": .int(6), "tokens": .int(7)],
        "rotary_embedding": ["s": .int(5), "h": .int(2), "d": .int(8)],
        "add": ["a": .ints([3, 1, 5]), "b": .ints([4, 5])],
        "mul": ["a": .ints([3, 1, 5]), "b": .ints([4, 5])],
    ]

    /// Runs every check, calling `report` as each finishes; returns them all.
    public func run(report: (Check) -> Void = { _ in }) -> [Check] {
        var checks: [Check] = []
        func record(_ name: String, _ body: () throws -> String) {
            let check: Check
            do { check = Check(name: name, passed: true, detail: try body()) } catch BackendError.unavailable
                where checks.contains(where: { !$0.passed && !$0.skipped })
            {
                // The plugin was stopped by an earlier failure: that failure is the one root cause.
                let cause = checks.first { !$0.passed && !$0.skipped }!.name
                check = Check(
                    name: name,
                    passed: false,
                    detail: "not checked: the plugin was stopped after '\(cause)' failed",
                    skipped: true
                )
            } catch { check = Check(name: name, passed: false, detail: "\(error)") }
            checks.append(check)
            report(check)
        }
        let backend = PluginBackend(configuration: configuration)
        defer { backend.shutdown() }
        var identity: BackendIdentity?
        record("handshake") {
            let described = try backend.describe()
            identity = described
            let device = described.devices.first.map { "\($0.name) (\($0.kind ?? "?"))" } ?? "no device"
            let claims = described.capabilities.claimCount
            return
                "\(described.name) \(described.version), protocol \(described.protocolVersion ?? 0), \(device), timer \(described.timer), \(claims) op × dtype claims"
        }
        guard let identity else { return checks }
        record("capabilities name known ops and dtypes") { try checkManifest(identity) }
        for (op, dtypes) in identity.capabilities.claims.sorted(by: { $0.key < $1.key })
        where catalogue.operators[op] != nil {
            for dtype in dtypes.compactMap(DType.init(rawValue:)).sorted() {
                record("execute \(op) \(dtype.rawValue)") { try checkExecute(op: op, dtype: dtype, on: backend) }
            }
        }
        record("unknown op is unsupported") {
            let input = Tensor(float32: [1, 2], shape: [2])
            let problem = OpProblem(
                op: "assay_check_no_such_op",
                dtype: .f32,
                params: [:],
                attrs: [:],
                inputs: [TensorSpec(name: "x", dtype: .f32, shape: [2])],
                output: TensorSpec(name: "y", dtype: .f32, shape: [2]),
                flops: 0,
                reductionLength: 1
            )
            return try expectError("unsupported") { _ = try backend.execute(problem, inputs: [input]) }
        }
        record("unknown message type is invalid") {
            let id = backend.makeID()
            let reply = try backend.exchangeRaw(
                headerLine: #"{"type":"assay_check_no_such_message","id":\#(id)}"#,
                expectedID: id
            )
            return try expectReply(reply, code: "invalid", id: id)
        }
        record("malformed header is invalid") {
            let reply = try backend.exchangeRaw(headerLine: #"{"type":"execute","id":"#, expectedID: nil)
            return try expectReply(reply, code: "invalid", id: nil)
        }
        record("keeps serving after errors") {
            let memory = try backend.memory()
            guard backend.startCount == 1 else {
                throw Failure("the plugin was restarted \(backend.startCount - 1) time(s)")
            }
            guard memory.freeBytes <= memory.totalBytes else {
                throw Failure("free_bytes \(memory.freeBytes) > total_bytes \(memory.totalBytes)")
            }
            // Formatted, not converted to Int: a finite reply of 1e300 bytes must not trap the check.
            return
                "memory: \(String(format: "%.0f", memory.totalBytes)) bytes total, \(String(format: "%.0f", memory.freeBytes)) free"
        }
        if let (op, dtype) = benchmarkTarget(identity) {
            record("benchmark \(op) \(dtype.rawValue) returns 3 samples") {
                let problem = try smallProblem(op: op, dtype: dtype)
                let samples = try backend.benchmark(
                    BenchmarkRequest(problem: problem, seed: seed, mode: .warm, k: 2, samples: 3)
                )
                return "elapsed_ns "
                    + samples.map { String(format: "%.0f", $0.elapsedNanoseconds) }.joined(separator: ", ")
            }
        }
        if !backend.isRunning, let cause = checks.first(where: { !$0.passed && !$0.skipped }) {
            let check = Check(
                name: "shutdown answers bye and exits 0",
                passed: false,
                detail: "not checked: the plugin was stopped after '\(cause.name)' failed",
                skipped: true
            )
            checks.append(check)
            report(check)
            return checks
        }
        record("shutdown answers bye and exits 0") {
            switch backend.stop() {
            case .exited(bye: true, status: 0): return "bye, exit status 0"
            case let result: throw Failure("\(result)")
            }
        }
        return checks
    }

    func checkManifest(_ identity: BackendIdentity) throws -> String {
        var problems: [String] = []
        for (op, dtypes) in identity.capabilities.claims.sorted(by: { $0.key < $1.key }) {
            guard let known = catalogue.operators[op] else {
                problems.append("unknown op '\(op)'")
                continue
            }
            for name in dtypes where !(DType(rawValue: name).map(known.dtypes.contains) ?? false) {
                problems.append("\(op) is not defined for '\(name)'")
            }
        }
        guard identity.protocolVersion == PluginBackend.protocolVersion else {
            throw Failure("protocol \(identity.protocolVersion ?? 0)")
        }
        guard !identity.capabilities.isEmpty else { throw Failure("no capabilities declared") }
        guard problems.isEmpty else { throw Failure(problems.joined(separator: "; ")) }
        let missing = catalogue.names.filter { identity.capabilities.claims[$0] == nil }
        return "\(identity.capabilities.claims.count) ops"
            + (missing.isEmpty ? "" : "; not claimed: \(missing.joined(separator: ", "))")
    }

    func smallProblem(op: String, dtype: DType) throws -> OpProblem {
        try catalogue.problem(
            op: op,
            params: PluginConformanceCheck.smallParams[op] ?? ["shape": .ints([3, 7])],
            attrs: [:],
            dtype: dtype
        )
    }

    /// One op on seeded random inputs, judged against the float64 reference exactly as a run
    /// judges a conformance case (`ConformanceChecker.judge`: the op's error model, magnitudes,
    /// accepted alternatives).
    func checkExecute(op name: String, dtype: DType, on backend: PluginBackend) throws -> String {
        let op = try catalogue.op(named: name)
        let problem = try smallProblem(op: name, dtype: dtype)
        let inputs = InputGenerator.inputs(
            for: problem,
            values: .random,
            seed: seed,
            caseID: "plugin-check/\(name)/\(dtype.rawValue)",
            specials: .none
        )
        let references = inputs.map(RefTensor.init)
        let tolerance = TolerancePolicy.forProblem(problem)
        let verdict = ConformanceChecker.judge(
            op: op,
            problem: problem,
            tolerance: tolerance,
            inputs: references,
            expected: op.reference(problem, inputs: references),
            outputs: try backend.execute(problem, inputs: inputs)
        )
        guard verdict.passed else { throw Failure(verdict.message) }
        return "\(verdict.evidence?.elements ?? 0) elements within \(verdict.evidence?.model ?? "tolerance")"
    }

    func expectError(_ code: String, _ body: () throws -> Void) throws -> String {
        do {
            try body()
        } catch let error as BackendError {
            let got: String
            switch error {
            case .unsupported: got = "unsupported"
            case .invalid: got = "invalid"
            case .internal: got = "internal"
            case .unavailable: throw error  // no plugin to ask: not an answer to judge
            default: throw Failure("\(error)")
            }
            guard got == code else { throw Failure("answered \(got), expected \(code): \(error)") }
            return "\(error)"
        }
        throw Failure("the request succeeded; expected an '\(code)' error")
    }

    func expectReply(_ reply: PluginBackend.RawReply, code: String, id: Int?) throws -> String {
        guard reply.type == "error", reply.code == code else {
            throw Failure("answered '\(reply.type)'\(reply.code.map { " (\($0))" } ?? ""), expected an '\(code)' error")
        }
        guard reply.id == id else {
            throw Failure("error id \(reply.id.map(String.init) ?? "null"), expected \(id.map(String.init) ?? "null")")
        }
        return reply.message ?? ""
    }

    /// A cheap claimed op for the benchmark check: relu f32 when there, else the first claim.
    func benchmarkTarget(_ identity: BackendIdentity) -> (String, DType)? {
        if identity.supports(op: "relu", dtype: .f32) { return ("relu", .f32) }
        for (op, dtypes) in identity.capabilities.claims.sorted(by: { $0.key < $1.key })
        where catalogue.operators[op] != nil {
            if let dtype = dtypes.compactMap(DType.init(rawValue:)).sorted().first { return (op, dtype) }
        }
        return nil
    }
}
