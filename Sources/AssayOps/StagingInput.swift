/// What an op's bound for intermediates rounded to the case dtype is computed from (see
/// `Operator.stagedRounding`): one case's problem, inputs, float64 reference and magnitudes, and the
/// rounding of its dtype, so that each op's bound is one short function of one value.
public struct StagingInput: Sendable {
    public let problem: OpProblem
    public let inputs: [RefTensor]
    public let expected: [Double]
    public let magnitudes: [Double]
    public let staging: StagedRounding

}
