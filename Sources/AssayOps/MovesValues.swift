import AssayCore

/// An op that moves values without arithmetic (layout, reshape, slice, concat, gather, repeat,
/// embedding): its result is bit for bit, so its error model is `.correctlyRounded`.
protocol MovesValues: Operator {}

extension MovesValues {
    func errorModel(for dtype: DType) -> ErrorModel { .correctlyRounded }
}
