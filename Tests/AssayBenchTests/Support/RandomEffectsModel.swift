import AssayCore
import Foundation

/// Synthetic timings from a known random-effects model (Kalibera & Jones 2013):
/// sample = level · exp(run effect + round effect + sample noise), each effect normal with
/// its own standard deviation. Seeded, so every simulation is reproducible.
struct RandomEffectsModel {
    var runSD: Double
    var roundSD: Double
    var sampleSD: Double

    static func normal(_ generator: inout SplitMix64) -> Double {
        let u1 = Swift.max(generator.nextUnit(), 1e-300)
        let u2 = generator.nextUnit()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    /// `runs` runs × `rounds` rounds × `samples` samples at `level`.
    func side(level: Double, runs: Int, rounds: Int, samples: Int, _ generator: inout SplitMix64) -> [[[Double]]] {
        (0..<runs).map { _ in
            let run = runSD * Self.normal(&generator)
            return (0..<rounds).map { _ in
                let round = roundSD * Self.normal(&generator)
                return (0..<samples).map { _ in level * exp(run + round + sampleSD * Self.normal(&generator)) }
            }
        }
    }
}
