import AssayCore
import Testing

@testable import AssayOps

/// Backends dispatch on the operator's type through `OperatorFamily`: every catalogue op has one.
@Suite struct OperatorFamilyTests {
    @Test func everyCatalogueOpHasAFamily() {
        let missing = OpCatalogue.standard.names.filter { OpCatalogue.standard.family(of: $0) == nil }
        #expect(missing.isEmpty, "ops without a family (a backend could not dispatch them): \(missing)")
        #expect(
            OpCatalogue.standard.family(of: "matmul") == .matmul && OpCatalogue.standard.family(of: "mul") == .binary
        )
        #expect(
            OpCatalogue.standard.family(of: "log_softmax") == .softmax
                && OpCatalogue.standard.family(of: "copy") == .layout
        )
    }

    /// An operator type the family table does not know gets none, even under a known op's name.
    @Test func anUnknownOperatorTypeHasNoFamily() {
        struct Impostor: Operator {
            var name: String { "matmul" }
            var paramNames: [String] { [] }
            func resolve(params: AttrMap, attrs: AttrMap, dtype: DType) throws -> OpProblem {
                throw OpError(field: "shapes", "impostor")
            }
            func reference(_ problem: OpProblem, inputs: [RefTensor]) -> RefTensor { RefTensor(shape: [], data: []) }
        }
        #expect(OperatorFamily(Impostor()) == nil)
        #expect(OpCatalogue(operators: [Impostor()]).family(of: "matmul") == nil)
        #expect(OpCatalogue(operators: [Impostor()]).family(of: "nothing") == nil)
    }
}
