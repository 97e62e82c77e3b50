import AssayTestSupport
import Foundation
import Testing

@testable import AssayOps

/// The op catalogue is stated three times: the Swift operators, the Python SDK's `CATALOGUE`
/// (Backends/python/assay_backend/opspec.py) and the table in docs/OPS.md. They must agree on
/// every op's name, dtypes and attribute names (issue 12), so a new op or attribute cannot
/// reach one of them alone.
@Suite("Catalogue agreement")
struct CatalogueAgreementTests {
    struct Entry: Equatable, CustomStringConvertible {
        var dtypes: [String]
        var attrs: [String]
        var description: String { "dtypes \(dtypes), attrs \(attrs)" }
    }

    static func swiftCatalogue() -> [String: Entry] {
        OpCatalogue.standard.operators.mapValues { op in
            Entry(dtypes: op.dtypes.map(\.rawValue).sorted(), attrs: op.acceptedAttrs.sorted())
        }
    }

    static func pythonCatalogue() throws -> [String: Entry] {
        let script = """
            import json, sys
            sys.path.insert(0, sys.argv[1])
            from assay_backend.opspec import CATALOGUE
            print(json.dumps({op: [sorted(d), sorted(a)] for op, (d, a) in CATALOGUE.items()}))
            """
        let result = try Python.run(
            script,
            [Repository.root.appendingPathComponent("Backends/python").path],
            standardError: .discarded
        )
        let parsed = try #require(
            try JSONSerialization.jsonObject(with: result.data) as? [String: [[String]]],
            "\(result.output)"
        )
        return parsed.mapValues { Entry(dtypes: $0[0], attrs: $0[1]) }
    }

    /// Op name → attribute names from the docs table: the first column's op, and the backticked
    /// names at the start of each comma-separated item of the attrs column.
    static func documentedCatalogue() throws -> [String: [String]] {
        let text = try String(contentsOf: Repository.root.appendingPathComponent("docs/OPS.md"), encoding: .utf8)
        var ops: [String: [String]] = [:]
        for line in text.components(separatedBy: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard cells.count > 4, let op = cells[1].split(separator: "`").first.map(String.init) else { continue }
            let attrs =
                cells[4] == "—"
                ? []
                : cells[4].components(separatedBy: "), ").compactMap { item -> String? in
                    let trimmed = item.trimmingCharacters(in: .whitespaces)
                    guard trimmed.hasPrefix("`") else { return nil }
                    return trimmed.dropFirst().split(separator: "`").first.map(String.init)
                }
            // the catalogue table comes first; later tables repeat names
            if ops[op] == nil { ops[op] = attrs.sorted() }
        }
        return ops
    }

    @Test(.enabled(if: Python.isAvailable, "python3 is not available"))
    func thePythonCatalogueMatchesTheSwiftOne() throws {
        let swift = Self.swiftCatalogue()
        let python = try Self.pythonCatalogue()
        #expect(
            Set(python.keys) == Set(swift.keys),
            "ops only in Swift: \(Set(swift.keys).subtracting(python.keys).sorted()); only in Python: \(Set(python.keys).subtracting(swift.keys).sorted())"
        )
        for (op, entry) in swift {
            #expect(
                python[op] == entry,
                "\(op): Swift \(entry), Python \(python[op].map(String.init(describing:)) ?? "absent")"
            )
        }
    }

    @Test func theDocsTableMatchesTheSwiftCatalogue() throws {
        let swift = Self.swiftCatalogue()
        let documented = try Self.documentedCatalogue()
        #expect(
            Set(documented.keys) == Set(swift.keys),
            "ops only in Swift: \(Set(swift.keys).subtracting(documented.keys).sorted()); only in docs/OPS.md: \(Set(documented.keys).subtracting(swift.keys).sorted())"
        )
        for (op, entry) in swift {
            #expect(
                documented[op] == entry.attrs,
                "\(op): Swift attrs \(entry.attrs), docs/OPS.md \(documented[op] ?? [])"
            )
        }
    }
}
