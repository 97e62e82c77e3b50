import AssayCore

/// Conformance cases folded into an op × dtype grid, each cell with its outcome counts and
/// the cases that did not pass, so a reader sees at a glance where a target falls short.
public struct ConformanceMatrix: Sendable {
    /// How a cell is coloured: the worst thing in it wins.
    public enum State: String, Sendable {
        case fail, waived, pass, unsupported
    }

    public struct Cell: Sendable {
        public var op: String
        public var dtype: String
        public var counts: [Outcome: Int] = [:]
        /// Cases that failed, errored, crashed, timed out or were waived, in plan order.
        public var flagged: [CaseResult] = []

        public var total: Int { counts.values.reduce(0, +) }
        public var passed: Int { counts[.pass, default: 0] }

        public var state: State {
            if counts.contains(where: { !$0.key.isAcceptable && $0.value > 0 }) { return .fail }
            if counts[.waived, default: 0] > 0 { return .waived }
            return passed > 0 ? .pass : .unsupported
        }

        /// The fragment id of this cell's evidence in the HTML report.
        public var anchor: String { "cell-" + Self.fragment(op) + "-" + Self.fragment(dtype) }

        /// Keeps ids valid whatever a plugin calls its ops.
        static func fragment(_ text: String) -> String {
            String(
                text.unicodeScalars.map { scalar -> Character in
                    let allowed =
                        (scalar.properties.isASCIIHexDigit || ("a"..."z").contains(scalar)
                            || ("A"..."Z").contains(scalar)
                            || scalar == "_" || scalar == "-" || scalar == ".")
                    return allowed ? Character(scalar) : "_"
                }
            )
        }
    }

    /// Ops in the order they were first planned.
    public let ops: [String]
    /// Dtypes in catalogue order (f64 … bool), unknown spellings after them.
    public let dtypes: [String]
    private let cells: [String: Cell]

    public init(_ cases: [CaseResult]) {
        var ops: [String] = []
        var dtypes = Set<String>()
        var cells: [String: Cell] = [:]
        for result in cases where result.kind == .conformance {
            if !ops.contains(result.op) { ops.append(result.op) }
            dtypes.insert(result.dtype)
            let key = Self.key(result.op, result.dtype)
            var cell = cells[key] ?? Cell(op: result.op, dtype: result.dtype)
            cell.counts[result.outcome, default: 0] += 1
            if !result.outcome.isAcceptable || result.outcome == .waived { cell.flagged.append(result) }
            cells[key] = cell
        }
        let order = DType.allCases.map(\.rawValue)
        self.ops = ops
        self.dtypes = dtypes.sorted { lhs, rhs in
            (order.firstIndex(of: lhs) ?? order.count, lhs) < (order.firstIndex(of: rhs) ?? order.count, rhs)
        }
        self.cells = cells
    }

    public func cell(op: String, dtype: String) -> Cell? { cells[Self.key(op, dtype)] }

    /// Cells with something to explain, row by row.
    public var flaggedCells: [Cell] {
        ops.flatMap { op in dtypes.compactMap { cell(op: op, dtype: $0) } }.filter { !$0.flagged.isEmpty }
    }

    public var isEmpty: Bool { cells.isEmpty }

    private static func key(_ op: String, _ dtype: String) -> String { op + "\u{1F}" + dtype }
}
