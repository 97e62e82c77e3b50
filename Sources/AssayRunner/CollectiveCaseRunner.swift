import AssayBackend
import AssayBench
import AssayCore
import AssayPlanning

/// Runs a collective case on a multi-rank target: the op once on every rank, each rank's
/// output checked exactly, then sampled like a performance case, a sample being the slowest
/// rank's time; the figures are the nccl-tests algorithm and bus bandwidths.
struct CollectiveCaseRunner {
    /// nil when the target has a single process.
    let group: RankGroup?
    let identity: BackendIdentity
    /// The declared device↔device link bandwidth (`capabilities.link_gbs`), GB/s.
    let linkGBs: Double?

    func run(_ spec: CollectiveCase, into result: inout CaseResult) throws {
        let dtype = spec.dtype
        guard let group else {
            result.outcome = .unsupported
            result.message = "collectives need a multi-rank target (backend.ranks in the descriptor)"
            return
        }
        guard identity.features?.contains("collective") == true else {
            result.outcome = .unsupported
            result.message = "backend \(identity.name) did not agree the 'collective' feature in its hello (ABP 1.1)"
            return
        }
        let world = group.ranks.count
        guard spec.root < world else {
            result.outcome = .error
            result.message = "root \(spec.root) is not a rank of this \(world)-rank target"
            return
        }
        let request = CollectiveRequest(
            op: spec.op,
            dtype: dtype,
            count: spec.op.count(bytes: spec.bytes, dtype: dtype, ranks: world),
            inPlace: spec.inPlace,
            root: spec.root,
            peerTimeoutSeconds: group.ranks[0].configuration.requestTimeoutSeconds / 2
        )
        var figures = CollectiveFigures(
            op: spec.op,
            ranks: world,
            bytes: request.bytes,
            inPlace: spec.inPlace,
            root: spec.root
        )
        result.collective = figures
        if spec.op == .p2pCopy {
            try runMatrix(request, group: group, spec: spec, figures: figures, into: &result)
            return
        }
        if let problem = CollectiveVerifier.problem(in: try group.collectiveOutputs(request), request: request) {
            result.outcome = .fail
            result.message = problem
            return
        }
        guard let record = try measure(request, group: group, spec: spec, into: &result) else { return }
        figures.apply(medianNanoseconds: record.summary.median, linkGBs: linkGBs)
        result.performance = record
        result.collective = figures
    }

    /// The peer-to-peer matrix: every ordered pair (source `root`, destination `peer`) checked
    /// exactly on the destination, then each timed like a collective; the case's figures and
    /// performance record are the slowest pair's, so the gate sees the weakest link.
    private func runMatrix(
        _ base: CollectiveRequest,
        group: RankGroup,
        spec: CollectiveCase,
        figures: CollectiveFigures,
        into result: inout CaseResult
    ) throws {
        let world = group.ranks.count
        let requests = (0..<world).flatMap { source in
            (0..<world).filter { $0 != source }.map { destination in
                var request = base
                request.root = source
                request.peer = destination
                return request
            }
        }
        let problems = try requests.compactMap { request in
            try CollectiveVerifier.problem(in: group.collectiveOutputs(request), request: request).map {
                "rank \(request.root)→\(request.peer!): \($0)"
            }
        }
        guard problems.isEmpty else {
            result.outcome = .fail
            result.message = problems.joined(separator: "; ")
            return
        }
        var pairs: [P2PPair] = []
        var slowest: (pair: P2PPair, record: PerformanceRecord)?
        for request in requests {
            guard let record = try measure(request, group: group, spec: spec, into: &result) else { return }
            let median = record.summary.median
            let pair = P2PPair(
                source: request.root,
                destination: request.peer!,
                gbs: Double(request.bytes) / median,
                latencyMicroseconds: median / 1e3
            )
            pairs.append(pair)
            if slowest == nil || pair.gbs < slowest!.pair.gbs { slowest = (pair, record) }
        }
        var figures = figures
        figures.pairs = pairs
        if let slowest {
            figures.apply(medianNanoseconds: slowest.record.summary.median, linkGBs: linkGBs)
            result.performance = slowest.record
        }
        result.collective = figures
    }

    /// Samples `request` like a performance case (a sample is the slowest rank's time); nil,
    /// with the case an error, when the time cap passed before one sample was kept.
    private func measure(
        _ request: CollectiveRequest,
        group: RankGroup,
        spec: CollectiveCase,
        into result: inout CaseResult
    ) throws -> PerformanceRecord? {
        let configuration = Sampler.Configuration(
            mode: .warm,
            timerKind: .host,
            stoppingRule: StoppingRule(spec.performance)
        )
        var record = try Sampler(configuration: configuration) { k, samples in
            try group.collectiveSamples(request, k: k, samples: samples)
        }.run()
        guard record.n > 0 else {
            result.performance = record
            result.outcome = .error
            result.message =
                (request.peer != nil ? "\(request.label): " : "")
                + "\(record.stopReason): no figure; raise the time cap (--time-cap, or the suite's time_cap_s)"
            return nil
        }
        record.bytes = Double(request.bytes)
        record.bytesPerSecond = Double(request.bytes) / record.summary.median * 1e9
        return record
    }
}
