import AssayBench
import AssayCore
import AssayOps
import Foundation

/// A multi-rank target: one supervised `PluginBackend` per rank (crash-isolated, each with its
/// own process tree, restart budget and deadlines), meeting at a rendezvous named in the hello.
///
/// Op cases run on rank 0. A collective goes to every rank at once, each on its own thread;
/// when any rank fails, the case fails for all with the failing rank named (a crash before a
/// timeout before an error: a rank that died or hung is the cause, its peers' "no data from
/// rank r" replies the effect), and every rank is killed, so the next collective starts all
/// ranks afresh on a new port. The ranks also start afresh when one of them was restarted
/// alone (by an op case) after the mesh had formed.
public final class RankGroup: Backend, DeviceBackend {
    public let ranks: [PluginBackend]
    public let spec: RankSpec
    /// Start counts of the ranks when their mesh last formed; nil before the first collective.
    private var formedAt: [Int]?
    private var broken = false

    public init(ranks: [PluginBackend], spec: RankSpec) throws {
        self.ranks = ranks
        self.spec = spec
        try assignRendezvous()
    }

    /// One plugin configuration per rank: the backend's, with the rank's device and environment over it.
    public convenience init(spec backend: BackendSpec, ranks spec: RankSpec, root: URL) throws {
        let base = try PluginConfiguration(spec: backend, root: root)
        let ranks = (0..<spec.count).map { index -> PluginBackend in
            var configuration = base
            let own = spec.rank(index)
            configuration.environment.merge(own.env) { $1 }
            if let device = own.device { configuration.device = device }
            // No reply spin: a collective request lasts a sample of calls, and the rank processes
            // already hold the cores; a harness thread spinning beside them would take their CPU.
            configuration.replySpinMicroseconds = 0
            return PluginBackend(configuration: configuration)
        }
        try self.init(ranks: ranks, spec: spec)
    }

    /// Every rank greets (so a rank that cannot start ends the run before its first case);
    /// the identity is rank 0's, with the world size.
    public func describe() throws -> BackendIdentity {
        var identity = try ranks[0].describe()
        for (index, rank) in ranks.enumerated().dropFirst() {
            let other: BackendIdentity
            do { other = try rank.describe() } catch let error as BackendError {
                throw BackendError.unavailable("rank \(index): \(error)")
            }
            if other.name != identity.name || other.features != identity.features {
                throw BackendError.unavailable(
                    "rank \(index) greets as \(other.name) [\((other.features ?? []).joined(separator: ", "))], rank 0 as \(identity.name) [\((identity.features ?? []).joined(separator: ", "))]"
                )
            }
        }
        identity.ranks = ranks.count
        return identity
    }

    public func execute(_ problem: OpProblem, inputs: [Tensor]) throws -> [Tensor] {
        try ranks[0].execute(problem, inputs: inputs)
    }
    public func benchmark(_ request: BenchmarkRequest) throws -> [MeasuredSample] { try ranks[0].benchmark(request) }
    public func transfer(direction: TransferDirection, bytes: Int, pinned: Bool, samples: Int) throws -> [Double] {
        try ranks[0].transfer(direction: direction, bytes: bytes, pinned: pinned, samples: samples)
    }
    public func memory() throws -> (totalBytes: Double, freeBytes: Double) { try ranks[0].memory() }

    /// Every rank's process ends (shutdown, then the process tree is killed).
    public func shutdown() {
        _ = onEveryRank { rank, _ in rank.stop() }
    }

    /// `body` on every rank at once (a burn-in loads every device together); the failure that
    /// explains the others, with its rank named, when any rank fails. No mesh is involved.
    public func everyRank<T: Sendable>(_ body: @escaping @Sendable (PluginBackend, Int) throws -> T) throws -> [T] {
        var failures: [(rank: Int, error: BackendError)] = []
        for (index, rank) in ranks.enumerated() {
            do { _ = try rank.connection() } catch let error as BackendError { failures.append((index, error)) }
        }
        guard failures.isEmpty else { throw RankGroup.blame(failures, of: ranks.count) }
        var values: [T] = []
        for (index, result) in onEveryRank(body).enumerated() {
            switch result {
            case .success(let value): values.append(value)
            case .failure(let error as BackendError): failures.append((index, error))
            case .failure(let error): failures.append((index, .internal("\(error)")))
            }
        }
        guard failures.isEmpty else { throw RankGroup.blame(failures, of: ranks.count) }
        return values
    }

    // MARK: collectives

    /// Runs the op once on every rank; each rank's output, in rank order.
    public func collectiveOutputs(_ request: CollectiveRequest) throws -> [Tensor] {
        let world = ranks.count
        return try collective { rank, _ in try rank.collectiveOutput(request, ranks: world) }
    }

    /// Times `samples` samples of `k` calls on every rank; per sample the slowest rank's total
    /// (nccl-tests reports the same), with the telemetry-free samples the sampler expects.
    public func collectiveSamples(_ request: CollectiveRequest, k: Int, samples: Int) throws -> [MeasuredSample] {
        let perRank = try collective { rank, _ in try rank.collectiveSamples(request, k: k, samples: samples) }
        return (0..<samples).map { index in MeasuredSample(elapsedNanoseconds: perRank.map { $0[index] }.max()!) }
    }

    private func collective<T: Sendable>(_ body: @escaping @Sendable (PluginBackend, Int) throws -> T) throws -> [T] {
        try prepareMesh()
        // Processes start here, on the calling thread: a plugin dies with the thread that
        // spawned it (PR_SET_PDEATHSIG), and the ranks' threads end with this collective.
        var started: [(rank: Int, error: BackendError)] = []
        for (index, rank) in ranks.enumerated() {
            do { _ = try rank.connection() } catch let error as BackendError { started.append((index, error)) }
        }
        if !started.isEmpty {
            broken = true
            for rank in ranks { rank.discardProcess() }
            throw RankGroup.blame(started, of: ranks.count)
        }
        let results = onEveryRank(body)
        var values: [T] = []
        var failures: [(rank: Int, error: BackendError)] = []
        for (index, result) in results.enumerated() {
            switch result {
            case .success(let value): values.append(value)
            case .failure(let error as BackendError): failures.append((index, error))
            case .failure(let error): failures.append((index, .internal("\(error)")))
            }
        }
        guard !failures.isEmpty else {
            formedAt = ranks.map(\.startCount)
            return values
        }
        // The connections between the ranks are broken: every rank starts afresh next time.
        broken = true
        for rank in ranks { rank.discardProcess() }
        throw RankGroup.blame(failures, of: ranks.count)
    }

    /// The failure that explains the others, with its rank named: a crash, else a timeout, else
    /// a protocol violation, else the first error; the other ranks' errors follow in brief.
    public static func blame(_ failures: [(rank: Int, error: BackendError)], of world: Int) -> BackendError {
        func weight(_ error: BackendError) -> Int {
            switch error {
            case .crashed: return 0
            case .timedOut: return 1
            case .protocolViolation: return 2
            case .unavailable: return 3
            case .internal, .invalid: return 4
            case .unsupported: return 5
            }
        }
        let sorted = failures.sorted { (weight($0.error), $0.rank) < (weight($1.error), $1.rank) }
        let cause = sorted[0]
        let others = sorted.dropFirst().map { "rank \($0.rank): \($0.error)" }
        let note = others.isEmpty ? "" : " [other ranks: " + others.joined(separator: "; ") + "]"
        let prefix = "rank \(cause.rank) of \(world): "
        switch cause.error {
        case .crashed(let message, let tail): return .crashed(prefix + message + note, stderrTail: tail)
        case .timedOut(let message, let tail): return .timedOut(prefix + message + note, stderrTail: tail)
        case .protocolViolation(let message, let tail):
            return .protocolViolation(prefix + message + note, stderrTail: tail)
        case .unavailable(let message): return .unavailable(prefix + message + note)
        case .internal(let message): return .internal(prefix + message + note)
        case .invalid(let message): return .invalid(prefix + message + note)
        case .unsupported(let message): return .unsupported(prefix + message + note)
        }
    }

    /// Restarts every rank on a fresh rendezvous when the last collective failed or a rank was
    /// restarted alone since the mesh formed (its peers' connections point at a dead process).
    private func prepareMesh() throws {
        let counts = ranks.map(\.startCount)
        guard broken || (formedAt != nil && formedAt != counts) else { return }
        for rank in ranks { rank.discardProcess() }
        try assignRendezvous()
        broken = false
        formedAt = nil
    }

    private func assignRendezvous() throws {
        let port = try spec.port ?? FreePort.find(address: spec.address)
        for (index, rank) in ranks.enumerated() {
            rank.rendezvous = Rendezvous(rank: index, worldSize: ranks.count, address: spec.address, port: port)
        }
    }

    /// `body` on every rank at once, one thread each (ranks block on each other, so a pool
    /// smaller than the world would deadlock), in rank order.
    private func onEveryRank<T: Sendable>(
        _ body: @escaping @Sendable (PluginBackend, Int) throws -> T
    ) -> [Result<T, Error>] {
        let box = ResultBox<T>(count: ranks.count)
        let done = DispatchGroup()
        for (index, rank) in ranks.enumerated() {
            let handle = UncheckedRank(backend: rank)
            done.enter()
            let thread = Thread {
                box.set(index, Result { try body(handle.backend, index) })
                done.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        done.wait()
        return box.results
    }
}

/// A rank's backend handed to its thread: each rank is driven by one thread at a time.
private struct UncheckedRank: @unchecked Sendable {
    let backend: PluginBackend
}

/// Per-rank results written from the ranks' threads.
private final class ResultBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<T, Error>?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ result: Result<T, Error>) {
        lock.lock()
        slots[index] = result
        lock.unlock()
    }
    var results: [Result<T, Error>] {
        lock.lock()
        defer { lock.unlock() }
        return slots.map { $0! }
    }
}
