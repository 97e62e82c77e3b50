import Testing

@testable import AssayReport

@Suite struct SignedZeroTests {
    @Test("evidence numbers keep the sign of zero: a flushed -subnormal reads -0")
    func negativeZeroIsPrinted() {
        #expect(Figures.number(-0.0) == "-0")
        #expect(Figures.number(0.0) == "0")
        #expect(Figures.number(-1.401298464324817e-45) == "-1.401e-45")
    }
}
