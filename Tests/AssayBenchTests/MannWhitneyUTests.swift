import Testing

@testable import AssayBench

/// References: scipy 1.17 `mannwhitneyu(a, b, alternative="two-sided", method=M, use_continuity=True)`
/// (script /tmp/ref_mwu.py at the time of writing); M is given per test. The signed z of the
/// tied case was computed independently with scipy.stats.rankdata and the tie-corrected σ.
@Suite struct MannWhitneyUTests {
    /// Tests `a` against `b` and checks U, the p-value (to `relative`) and, where given, the
    /// method against scipy's; returns the result for further checks. Failures point at the caller.
    @discardableResult
    func expectScipy(
        _ a: [Double],
        _ b: [Double],
        method: MannWhitneyResult.Method? = nil,
        u: Double,
        pValue: Double,
        relative: Double,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> MannWhitneyResult {
        let r = MannWhitneyU.test(a, b)
        if let method { #expect(r.method == method, sourceLocation: sourceLocation) }
        #expect(r.u == u, sourceLocation: sourceLocation)
        #expect(isClose(r.pValue, pValue, relative: relative), sourceLocation: sourceLocation)
        return r
    }

    @Test func exactSmallSamples() {
        let a = [12.1, 13.4, 11.8, 14.2, 12.9, 13.0, 12.5]
        let b = [11.2, 11.9, 12.0, 10.8, 11.5, 12.3]
        // method="exact"
        let r = expectScipy(a, b, method: .exact, u: 38, pValue: 0.013986013986013986, relative: 1e-10)
        #expect(r.z > 0)
    }

    @Test func exactOverlappingSamples() {
        expectScipy([1, 2, 3], [1.5, 2.5, 3.5, 4.5], u: 3, pValue: 0.4, relative: 1e-10)  // method="exact"
    }

    @Test func exactAtTheSizeLimit() {
        let a = [
            9.1001, 10.1641, 12.2448, 9.1683, 9.3761, 10.2054, 10.493, 9.8236, 9.7941, 10.7025,
            10.5199, 8.9663, 9.9208, 10.0353, 8.9455, 10.2598, 9.142, 10.9721, 10.1927, 10.0893,
        ]
        let b = [
            10.209, 10.6814, 8.8023, 9.6686, 11.1628, 8.6714, 11.6466, 9.0539, 11.5567, 9.9545,
            11.579, 10.931, 9.2632, 12.0491, 12.2417, 10.7342, 10.5261, 10.6401, 9.8248, 11.8986,
        ]
        expectScipy(a, b, method: .exact, u: 136, pValue: 0.0859140199856938, relative: 1e-9)  // method="exact"
    }

    @Test func tiesUseTheCorrectedNormalApproximation() {
        let a: [Double] = [
            100, 101, 99, 97, 99, 97, 100, 104, 99, 98, 101, 101, 100, 97, 100, 102, 96, 99, 94, 96,
            94, 99, 96, 101, 100,
        ]
        let b: [Double] = [
            101, 94, 100, 102, 102, 97, 101, 99, 100, 105, 100, 102, 105, 100, 102, 102, 102, 98, 102,
            106, 97, 105, 102, 100, 108, 104, 98, 102, 104, 101,
        ]
        // method="asymptotic"
        let r = expectScipy(a, b, method: .normal, u: 176.5, pValue: 0.000738176834466367, relative: 1e-9)
        #expect(isClose(r.z, -3.374992571252692, relative: 1e-12))
    }

    @Test func largeSamplesWithoutTiesUseTheNormalApproximation() {
        let a = [
            51.366, 49.867, 51.334, 52.877, 48.649, 50.406, 49.073, 50.255, 47.626, 48.841, 49.608, 51.798,
            52.29, 47.353, 48.411, 51.294, 46.015, 49.074, 49.805, 52.514, 51.379, 49.346, 49.263, 49.5,
        ]
        let b = [
            54.047, 50.144, 50.393, 51.705, 50.758, 50.605, 48.772, 50.977, 50.113, 53.332, 52.306, 50.952,
            52.337, 50.32, 53.104, 50.989, 52.167, 48.418, 51.693, 47.624, 46.929, 50.391,
        ]
        expectScipy(a, b, method: .normal, u: 186, pValue: 0.08833942426700798, relative: 1e-9)  // method="asymptotic"
    }

    @Test func smallSamplesWithTies() {
        expectScipy(
            [5, 5, 6, 7, 7],
            [6, 6, 8, 8, 9, 5],
            method: .normal,
            u: 9,
            pValue: 0.3040493256791892,
            relative: 1e-9
        )  // method="asymptotic"
    }

    @Test func degenerateInputsGiveNoEvidence() {
        #expect(MannWhitneyU.test([], [1, 2]).pValue == 1)
        let tied = MannWhitneyU.test([3, 3, 3], [3, 3])
        #expect(tied.pValue == 1 && tied.z == 0)
    }

    @Test func swappingSamplesFlipsTheSignOnly() {
        let a = [12.1, 13.4, 11.8, 14.2]
        let b = [11.2, 11.9, 12.0, 10.8, 11.5]
        let forward = MannWhitneyU.test(a, b)
        let backward = MannWhitneyU.test(b, a)
        #expect(forward.pValue == backward.pValue)
        #expect(forward.z == -backward.z)
        #expect(forward.u + backward.u == Double(a.count * b.count))
    }
}
