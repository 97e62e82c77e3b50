import Testing

@testable import AssayCore

@Suite struct CaseIDTests {
    @Test func roundTripsItsStringForm() throws {
        let id = CaseID(
            suite: "ops",
            op: "matmul",
            shape: "m512.n512.k512",
            dtype: "bf16",
            attrs: CaseID.attrsSegment(["transpose_b": .bool(true), "b": .ints([1, 1])])
        )
        #expect(id.description == "ops/matmul/m512.n512.k512/bf16/b=1x1,transpose_b=true")
        #expect(try CaseID(parsing: id.description) == id)
        #expect(try CaseID(parsing: "smoke/gelu/shape4/f32").attrs == "")
        #expect(throws: AssayError.self) { try CaseID(parsing: "smoke/gelu") }
    }

    @Test func globMatchesCaseIDs() {
        #expect(
            Glob.matches(pattern: "conformance/gelu/*/bf16*", text: "conformance/gelu/shape3/bf16/approximate=tanh")
        )
        #expect(Glob.matches(pattern: "*/matmul/?256*", text: "ops/matmul/m256.n1/f32"))
        #expect(!Glob.matches(pattern: "conformance/gelu/*/f16", text: "conformance/gelu/shape3/bf16"))
    }
}
