/// Which implementation an operator needs, decided by its type: what a backend's kernel table is
/// keyed by, so that dispatch never compares op-name strings. Several ops of one type share a
/// family (add and mul are `binary`); the kernel reads the variant from the problem. A new
/// operator type adds a case here, and every exhaustive backend switch then asks for its kernel.
public enum OperatorFamily: Sendable, CaseIterable {
    case matmul, linear, conv2d, attention, softmax, norm, activation, binary, reduction, rotaryEmbedding, layout
    case embedding, int8Matmul
    // The ops model graphs need (issue 17): data movement, selection, cast, inference batch norm.
    case reshape, concat, slice, gather, repeatInterleave, select, selection, cast, batchNorm

    /// The family of `op`'s type; nil for an operator type outside the catalogue's.
    public init?(_ op: any Operator) {
        guard let family = Self.byType[ObjectIdentifier(type(of: op))] else { return nil }
        self = family
    }

    /// The table: operator type → family.
    private static let byType: [ObjectIdentifier: OperatorFamily] = [
        ObjectIdentifier(MatmulOp.self): .matmul, ObjectIdentifier(LinearOp.self): .linear,
        ObjectIdentifier(Conv2dOp.self): .conv2d, ObjectIdentifier(AttentionOp.self): .attention,
        ObjectIdentifier(SoftmaxOp.self): .softmax, ObjectIdentifier(NormOp.self): .norm,
        ObjectIdentifier(ActivationOp.self): .activation, ObjectIdentifier(BinaryOp.self): .binary,
        ObjectIdentifier(ReductionOp.self): .reduction, ObjectIdentifier(RotaryEmbeddingOp.self): .rotaryEmbedding,
        ObjectIdentifier(LayoutOp.self): .layout, ObjectIdentifier(EmbeddingOp.self): .embedding,
        ObjectIdentifier(Int8MatmulOp.self): .int8Matmul,
        ObjectIdentifier(ReshapeOp.self): .reshape, ObjectIdentifier(ConcatOp.self): .concat,
        ObjectIdentifier(SliceOp.self): .slice, ObjectIdentifier(GatherOp.self): .gather,
        ObjectIdentifier(RepeatInterleaveOp.self): .repeatInterleave, ObjectIdentifier(SelectOp.self): .select,
        ObjectIdentifier(SelectionOp.self): .selection, ObjectIdentifier(CastOp.self): .cast,
        ObjectIdentifier(BatchNormOp.self): .batchNorm,
    ]
}

extension OpCatalogue {
    /// The family of the op named `name`; nil when the catalogue has no such op.
    public func family(of name: String) -> OperatorFamily? { operators[name].flatMap(OperatorFamily.init) }
}
