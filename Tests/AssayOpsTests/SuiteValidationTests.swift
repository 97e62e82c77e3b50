import Testing

@testable import AssayCore
@testable import AssayOps

@Suite struct SuiteValidationTests {
    func failure(_ text: String) -> InputError? {
        do {
            _ = try Suite.parse(text: text, file: "Suites/bad.yaml", validator: OpCatalogue.standard)
            return nil
        } catch let error as InputError { return error } catch { return nil }
    }

    @Test func unknownOpIsNamedWithItsLine() throws {
        let error = try #require(failure("id: s\ncases:\n  - op: matmull\n    shapes: [{m: 1, n: 1, k: 1}]\n"))
        #expect(error.line == 3)
        #expect(error.field == "cases[0].op")
        #expect(error.message.contains("unknown op 'matmull'"))
    }

    @Test func unknownDtypeIsNamedWithItsLine() throws {
        let error = try #require(
            failure("id: s\ncases:\n  - op: relu\n    dtypes: [f32, fp8]\n    shapes: [{shape: [4]}]\n")
        )
        #expect(error.line == 4)
        #expect(error.message.contains("unknown dtype 'fp8'"))
    }

    @Test func badShapeParamPointsAtTheShape() throws {
        let error = try #require(
            failure("id: s\ncases:\n  - op: matmul\n    shapes:\n      - {m: 1, n: 1, k: 1}\n      - {m: 1, n: 1}\n")
        )
        #expect(error.line == 6)
        #expect(error.message.contains("needs param 'k'"))
    }

    @Test func unknownAttrAndKeyAreRejected() throws {
        let attr = try #require(
            failure("id: s\ncases:\n  - op: softmax\n    shapes: [{shape: [4]}]\n    attrs: [{dim: 0}]\n")
        )
        #expect(attr.message.contains("no attr 'dim'"))
        let key = try #require(failure("id: s\ncases:\n  - op: softmax\n    shape: [{shape: [4]}]\n"))
        #expect(key.message.contains("unknown key 'shape'"))
        #expect(key.line == 4)
    }
}
