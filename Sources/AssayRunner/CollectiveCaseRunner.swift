import AssayBackend
import AssayBench
import AssayCore

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
        let request = CollectiveRequest(op: spec.op, dtype: dtype, count: spec.op.count(bytes: spec.bytes, dtype: dtype, ranks: world),
                                        inPlace: spec.inPlace, root: spec.root,
                                        peerTimeoutSeconds: group.ranks[0].configuration.requestTimeoutSeconds / 2)
        var figures = CollectiveFigures(op: spec.op, ranks: world, bytes: request.bytes, inPlace: spec.inPlace, root: spec.root)
        result.collective = figures
        if let problem = CollectiveVerifier.problem(in: try group.collectiveOutputs(request), request: request) {
            result.outcome = .fail
            result.message = problem
            return
        }
        let configuration = Sampler.Configuration(mode: .warm, timerKind: .host, stoppingRule: StoppingRule(spec.performance))
        var record = try Sampler(configuration: configuration) { k, samples in
            try group.collectiveSamples(request, k: k, samples: samples)
        }.run()
        guard record.n > 0 else {
            result.performance = record
            result.outcome = .error
            result.message = "\(record.stopReason): no figure; raise the time cap (--time-cap, or the suite's time_cap_s)"
            return
        }
        record.bytes = Double(request.bytes)
        record.bytesPerSecond = Double(request.bytes) / record.summary.median * 1e9
        figures.apply(medianNanoseconds: record.summary.median, linkGBs: linkGBs)
        result.performance = record
        result.collective = figures
    }
}
