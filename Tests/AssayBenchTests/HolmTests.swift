import Testing

@testable import AssayBench

@Suite struct HolmTests {
    /// By hand: sorted 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → running max 0.06.
    @Test func stepDownWithMonotonicity() {
        let adjusted = Holm.adjust([0.01, 0.04, 0.03, 0.005])
        let expected = [0.03, 0.06, 0.06, 0.02]
        for (value, reference) in zip(adjusted, expected) { #expect(isClose(value, reference)) }
    }

    /// 0.2·3 = 0.6, 0.7·2 = 1.4 → 1, 0.9·1 = 0.9 → max 1.
    @Test func cappedAtOne() {
        #expect(Holm.adjust([0.7, 0.2, 0.9]) == [1, 0.6000000000000001, 1])
    }

    @Test func edgeCases() {
        #expect(Holm.adjust([]) == [])
        #expect(Holm.adjust([0.03]) == [0.03])
        #expect(Holm.adjust([.nan, 0.01]) == [1, 0.02])
        #expect(Holm.adjust([0.01, 0.01]) == [0.02, 0.02])
    }
}
