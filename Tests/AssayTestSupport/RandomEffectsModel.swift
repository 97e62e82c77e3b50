import Foundation

/// Synthetic timings from a known random-effects model (Kalibera & Jones 2013):
/// sample = level · exp(run effect + round effect + sample noise), each effect with its own
/// standard deviation. Real timings are not that tidy, so the model can also have heavy-tailed
/// effects (Student t), transient slowdowns that hit one round of every case (a neighbour's
/// burst on a shared machine) and a run effect shared by every case (a slow machine minute).
/// Seeded by the caller's generator, so every simulation is reproducible.
public struct RandomEffectsModel: Sendable {
    public var runSD: Double
    public var roundSD: Double
    public var sampleSD: Double
    /// Degrees of freedom of Student-t run and round effects (scaled to the SDs above); nil: normal.
    public var tails: Int?
    /// Probability that a round (of every case at once) is hit by a transient slowdown, and the
    /// largest slowdown on the log scale: each case's is uniform in 0...slowRoundMax.
    public var slowRoundRate: Double
    public var slowRoundMax: Double
    /// SD of a run effect every case of the run shares.
    public var sharedRunSD: Double

    public init(
        runSD: Double,
        roundSD: Double,
        sampleSD: Double,
        tails: Int? = nil,
        slowRoundRate: Double = 0,
        slowRoundMax: Double = 0,
        sharedRunSD: Double = 0
    ) {
        (self.runSD, self.roundSD, self.sampleSD) = (runSD, roundSD, sampleSD)
        (self.tails, self.slowRoundRate, self.slowRoundMax, self.sharedRunSD) =
            (tails, slowRoundRate, slowRoundMax, sharedRunSD)
    }

    /// Uniform in [0, 1) from the top 53 bits (the stream SplitMix64.nextUnit gives).
    static func unit(_ generator: inout some RandomNumberGenerator) -> Double {
        Double(generator.next() >> 11) * 0x1.0p-53
    }

    public static func normal(_ generator: inout some RandomNumberGenerator) -> Double {
        let u1 = Swift.max(unit(&generator), 1e-300)
        let u2 = unit(&generator)
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    /// A standardized effect: normal, or Student t with `tails` degrees of freedom scaled to SD 1.
    func effect(_ generator: inout some RandomNumberGenerator) -> Double {
        guard let tails, tails > 2 else { return Self.normal(&generator) }
        let chiSquare = (0..<tails).reduce(0.0) { sum, _ in
            let z = Self.normal(&generator)
            return sum + z * z
        }
        return Self.normal(&generator) / (chiSquare / Double(tails)).squareRoot()
            * ((Double(tails) - 2) / Double(tails)).squareRoot()
    }

    /// One case: `runs` runs × `rounds` rounds × `samples` samples at `level`.
    public func side(
        level: Double,
        runs: Int,
        rounds: Int,
        samples: Int,
        _ generator: inout some RandomNumberGenerator
    ) -> [[[Double]]] {
        self.runs(levels: [level], scales: [1], runs: runs, rounds: rounds, samples: samples, &generator).map { $0[0] }
    }

    /// Several cases measured in the same runs and rounds: [run][case][round][sample]. Case c
    /// sits at `levels[c]` with its run and round effects scaled by `scales[c]` (cases differ
    /// in noise); the shared run effect and the transient slowdowns hit every case of a run.
    public func runs(
        levels: [Double],
        scales: [Double],
        runs: Int,
        rounds: Int,
        samples: Int,
        _ generator: inout some RandomNumberGenerator
    ) -> [[[[Double]]]] {
        (0..<runs).map { _ in
            let shared = sharedRunSD > 0 ? sharedRunSD * Self.normal(&generator) : 0
            let runEffects = scales.map { shared + $0 * runSD * effect(&generator) }
            let slowRounds = (0..<rounds).map { _ in
                slowRoundRate > 0 && Self.unit(&generator) < slowRoundRate
            }
            return levels.indices.map { c in
                (0..<rounds).map { r in
                    var round = runEffects[c] + scales[c] * roundSD * effect(&generator)
                    if slowRounds[r] { round += slowRoundMax * Self.unit(&generator) }
                    return (0..<samples).map { _ in levels[c] * exp(round + sampleSD * Self.normal(&generator)) }
                }
            }
        }
    }
}
