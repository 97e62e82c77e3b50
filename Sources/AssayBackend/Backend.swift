import AssayBench
import AssayCore
import AssayOps

/// What executes ops for the harness: the native CPU backend, or a plugin process.
///
/// A backend only executes and times; the harness decides what to run, checks answers,
/// and turns timings into statistics.
public protocol Backend: AnyObject {
    /// Identity, devices, timer kind and the op × dtype capability manifest.
    func describe() throws -> BackendIdentity
    /// Runs one op on the given inputs and returns its outputs.
    func execute(_ problem: OpProblem, inputs: [Tensor]) throws -> [Tensor]
    /// Times `samples` samples of `k` back-to-back calls each, inputs generated from `seed`.
    func benchmark(_ request: BenchmarkRequest) throws -> [MeasuredSample]
    /// Releases the backend (a plugin is asked to exit).
    func shutdown()
}

/// A timing request: the problem, how to generate inputs, and how many calls to time.
public struct BenchmarkRequest: Sendable {
    public var problem: OpProblem
    public var seed: UInt64
    public var mode: PerformanceMode
    public var k: Int
    public var samples: Int

    public init(problem: OpProblem, seed: UInt64, mode: PerformanceMode, k: Int, samples: Int) {
        self.problem = problem
        self.seed = seed
        self.mode = mode
        self.k = k
        self.samples = samples
    }
}

/// How a backend call failed; each maps to a case outcome.
public enum BackendError: Error, CustomStringConvertible, Sendable {
    /// The backend does not implement this op/dtype/attr (outcome `unsupported`).
    case unsupported(String)
    /// The backend rejected the request as malformed (outcome `error`).
    case invalid(String)
    /// The backend failed while running it (outcome `error`).
    case `internal`(String)
    /// The process died (outcome `crash`), with the tail of its stderr.
    case crashed(String, stderrTail: String)
    /// No answer in time (outcome `timeout`).
    case timedOut(String, stderrTail: String)
    /// The backend broke the protocol (outcome `error`); it is restarted.
    case protocolViolation(String, stderrTail: String)
    /// The backend cannot be started or has used up its restarts.
    case unavailable(String)

    public var outcome: Outcome {
        switch self {
        case .unsupported: return .unsupported
        case .crashed, .unavailable: return .crash
        case .timedOut: return .timeout
        case .invalid, .internal, .protocolViolation: return .error
        }
    }

    public var stderrTail: String? {
        switch self {
        case .crashed(_, let tail), .timedOut(_, let tail), .protocolViolation(_, let tail):
            return tail.isEmpty ? nil : tail
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .unsupported(let m): return "unsupported: \(m)"
        case .invalid(let m): return "invalid request: \(m)"
        case .internal(let m): return "backend error: \(m)"
        case .crashed(let m, _): return "backend crashed: \(m)"
        case .timedOut(let m, _): return "backend timed out: \(m)"
        case .protocolViolation(let m, _): return "protocol violation: \(m)"
        case .unavailable(let m): return "backend unavailable: \(m)"
        }
    }
}
