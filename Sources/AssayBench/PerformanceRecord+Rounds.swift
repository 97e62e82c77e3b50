import AssayCore

extension PerformanceRecord {
    /// This record followed by `next`, a fresh sampler run of the same case, as one more
    /// round: samples concatenated, per-round statistics recorded, the summary recomputed
    /// over all rounds. The work model is left to the caller (it depends on the new median).
    public func appendingRound(_ next: PerformanceRecord) -> PerformanceRecord {
        var merged = self
        var rounds = self.rounds ?? [Self.roundStatistics(self, round: 1)]
        rounds.append(Self.roundStatistics(next, round: rounds.count + 1))
        merged.rounds = rounds
        merged.samples += next.samples
        merged.n = merged.samples.count
        merged.summary = Statistics.summarize(merged.samples)
        merged.warmupCalls += next.warmupCalls
        merged.totalSeconds += next.totalSeconds
        merged.measuredSeconds += next.measuredSeconds
        merged.converged = rounds.allSatisfy(\.converged)
        merged.stopReason = rounds.map { "round \($0.round): \($0.stopReason)" }.joined(separator: "; ")
        merged.limited = limited || next.limited
        merged.limitReason = [limitReason, next.limitReason.map { "round \(rounds.count): \($0)" }].compactMap { $0 }
            .joined(separator: "; ")
        if merged.limitReason?.isEmpty == true { merged.limitReason = nil }
        if let low = lowClockSamples, let more = next.lowClockSamples { merged.lowClockSamples = low + more }
        if let energy, let more = next.energy { merged.energy = energy.adding(more) }
        return merged
    }

    static func roundStatistics(_ record: PerformanceRecord, round: Int) -> RoundStatistics {
        RoundStatistics(
            round: round,
            samples: record.samples.count,
            median: record.summary.median,
            iqr: record.summary.iqr,
            converged: record.converged,
            stopReason: record.stopReason
        )
    }
}
