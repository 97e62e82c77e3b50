/// One output element outside its tolerance, as an op judges whether a known alternative explains it
/// (see `Operator.acceptedDeviation`): the case's problem and inputs, the flat index, the reference
/// and the actual value.
public struct DeviatingElement: Sendable {
    public let problem: OpProblem
    public let inputs: [RefTensor]
    public let flat: Int
    public let expected: Double
    public let actual: Double
}
