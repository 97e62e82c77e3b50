import AssayCore

/// What every report format says about one run, worked out once: verdict, counts, the cases
/// that need explaining, the conformance grid and the roofline's ceilings.
public struct ReportModel: Sendable {
    public let record: RunRecord
    public let verdict: Verdict
    public let counts: [Outcome: Int]
    /// Planned cases with no result (an interrupted or killed run).
    public let notRun: [CaseID]
    /// Cases that failed, errored, crashed or timed out, in plan order.
    public let problems: [CaseResult]
    /// Performance cases that were measured.
    public let performance: [CaseResult]
    public let system: [CaseResult]
    /// Model cases (graphs against their float64 reference) that ran far enough to be compared.
    public let models: [CaseResult]
    /// Cases the backend or the machine could not run, with their reasons (`unsupportedReason`).
    public let unsupported: [CaseResult]
    /// Cases carrying a waiver note, applied or expired.
    public let waivers: [CaseResult]
    public let matrix: ConformanceMatrix
    public let ceilings: RooflineCeilings

    public init(_ record: RunRecord) {
        self.record = record
        verdict = Verdict(record)
        counts = record.outcomeCounts
        let done = Set(record.cases.map(\.id))
        notRun = record.plannedCases.filter { !done.contains($0) }
        problems = record.cases.filter { !$0.outcome.isAcceptable }
        performance = record.cases.filter { $0.kind == .performance && $0.performance != nil }
        system = record.cases.filter { $0.kind == .system }
        models = record.cases.filter { $0.kind == .model && $0.model != nil }
        unsupported = record.cases.filter { $0.outcome == .unsupported }
        waivers = record.cases.filter { $0.waiver != nil }
        matrix = ConformanceMatrix(record.cases)
        ceilings = RooflineCeilings(record)
    }

    /// The run's waiver file's waivers, then the deprecated ones inside the descriptor.
    public var declaredWaivers: [Waiver] { (record.waivers?.value.waivers ?? []) + record.target.value.waivers }

    /// `local-cpu — This machine's CPU (native backend)`.
    public var targetLabel: String {
        let target = record.target.value
        return target.title.isEmpty || target.title == target.id ? target.id : "\(target.id) — \(target.title)"
    }

    /// `23 pass, 1 fail, 2 unsupported` in outcome order, plus cases not run.
    public var countsLine: String {
        var parts = Outcome.allCases.compactMap { outcome in counts[outcome].map { "\($0) \(outcome.rawValue)" } }
        if !notRun.isEmpty { parts.append("\(notRun.count) not run") }
        return parts.isEmpty ? "no cases" : parts.joined(separator: ", ")
    }

    /// The throughput figure that matters for a case: FLOP/s, or bytes/s for ops without FLOPs;
    /// with the energy per call and work per joule where counters were readable.
    public static func throughput(_ performance: PerformanceRecord) -> String? {
        let energy = performance.energy
        if let flops = performance.flopsPerSecond, (performance.flops ?? 0) > 0 {
            return Figures.rate(flops, unit: "FLOP/s") + energyText(energy, work: performance.flops, unit: "FLOP/J")
        }
        if let bytes = performance.bytesPerSecond {
            return Figures.rate(bytes, unit: "B/s") + energyText(energy, work: performance.bytes, unit: "B/J")
        }
        return nil
    }

    /// ", 0.012 J/call (5.1 GFLOP/J)"; empty without a figure (the record says why).
    static func energyText(_ energy: EnergyRecord?, work: Double?, unit: String) -> String {
        guard let energy, let perCall = energy.joulesPerCall else { return "" }
        let efficiency = energy.perJoule(workPerCall: work).map { " (\(Figures.rate($0, unit: unit)))" } ?? ""
        return ", \(Figures.rate(perCall, unit: "J/call"))\(efficiency)"
    }

    /// What the % of peak and of roofline are shares of, in words: the declared peaks with
    /// their source, or the ceilings this run measured (which no certificate floor accepts).
    public var ceilingBasis: String? {
        let capabilities = record.target.value.capabilities
        if capabilities.declaresPeaks {
            return "Peaks declared by the descriptor, source: "
                + (capabilities.source ?? "not given (a descriptor from before sources were required)")
        }
        guard record.measuredCeilings != nil else { return nil }
        return "Ceilings measured on this machine (best of the copy and GEMM trials); no peak is declared, "
            + "so these percentages cannot meet a certificate's performance floor."
    }

    /// Why a case is unsupported: the backend's or the check's message, else the not-applicable reason.
    public static func unsupportedReason(_ result: CaseResult) -> String {
        if let message = result.message, !message.isEmpty { return message }
        return result.system?.notApplicable.map { "not applicable: \($0)" }
            ?? "not declared by the backend (no reason given)"
    }

    /// One line of evidence for a case that did not pass: what was wrong and where.
    public static func evidenceLine(_ result: CaseResult) -> String {
        var parts: [String] = []
        if let evidence = result.evidence {
            parts.append("\(evidence.mismatches)/\(evidence.elements) mismatches")
            parts.append(
                "max abs err \(Figures.number(evidence.maxAbsError)), max rel err \(Figures.number(evidence.maxRelError))"
                    + (evidence.maxUlps.map { ", max \(Figures.number($0)) ulp" } ?? "")
            )
            if let worst = evidence.worstIndex {
                parts.append("worst at [\(worst.map(String.init).joined(separator: ","))]")
            }
            if let sample = evidence.samples.first {
                parts.append(
                    "e.g. "
                        + ConformanceEvidence.describe(
                            expected: sample.expected,
                            actual: sample.actual,
                            dtype: evidence.dtype
                        )
                )
            }
            if evidence.overrideReason != nil { parts.append(evidence.modelText) }
            parts.append(contentsOf: evidence.structural)
        }
        if let line = Self.systemLine(result) { parts.append(line) }
        if let message = result.message, !message.isEmpty { parts.insert(message, at: 0) }
        return parts.isEmpty ? result.outcome.rawValue : parts.joined(separator: "; ")
    }

    /// `expected X, observed Y` for a system check, or nil when it has none or its message
    /// already says exactly that: every report says it once.
    static func systemLine(_ result: CaseResult) -> String? {
        guard let system = result.system else { return nil }
        let line = "expected \(system.expected), observed \(system.observed)"
        return result.message?.contains(line) == true ? nil : line
    }
}
