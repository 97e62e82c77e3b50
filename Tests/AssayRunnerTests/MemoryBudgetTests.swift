import AssayPlanning
import AssayTestSupport
import Foundation
import Testing

@testable import AssayCore
@testable import AssayOps
@testable import AssayRunner

/// Issue 13.5: a case over the memory budget (or whose byte count overflows) is refused when
/// the suite is validated, at its shape's line, before anything is allocated; `assay suites
/// list` survives such a suite.
@Suite struct MemoryBudgetTests {
    func failure(_ text: String, validator: SuiteValidator = SuiteValidator()) -> InputError? {
        do { _ = try Suite.parse(text: text, file: "s.yaml", validator: validator) } catch let error as InputError {
            return error
        } catch {
            Issue.record("not an InputError: \(error)")
        }
        return nil
    }

    @Test func oversizedAndOverflowingCasesAreRefusedAtTheirShape() throws {
        // 10^12 elements: passes every shape rule, needs ~12 TB with its float64 reference.
        let huge = try #require(
            failure(
                "id: s\ncases:\n  - op: relu\n    shapes:\n      - {shape: [4]}\n      - {shape: [1000000, 1000000]}\n"
            )
        )
        #expect(
            huge.line == 6 && huge.field == "cases[0].shapes[1]" && huge.message.contains("over the memory budget"),
            "\(huge)"
        )
        // Each dim allowed, the product overflows Int64: refused, not a trap.
        let overflow = try #require(
            failure("id: s\ncases:\n  - {op: relu, shapes: [{shape: [2147483648, 2147483648, 2147483648]}]}\n")
        )
        #expect(overflow.field == "cases[0].shapes[0]" && overflow.message.contains("overflows"), "\(overflow)")
        let matmul = try #require(
            failure(
                "id: s\ncases:\n  - {op: matmul, shapes: [{b: 2147483648, m: 2147483648, n: 2147483648, k: 2147483648}]}\n"
            )
        )
        #expect(matmul.field == "cases[0].shapes[0]", "\(matmul)")
        #expect(
            Shape([1 << 40, 1 << 40]).checkedElementCount == nil && Shape([1 << 40, 1 << 40]).elementCount == Int.max
        )

        // The suite's own budget, and the CLI's, which wins over it.
        let small =
            "id: s\nmemory_budget: 1 KiB\ncases:\n  - {op: relu, dtypes: [f32], shapes: [{shape: [16]}, {shape: [256]}]}\n"
        let refused = try #require(failure(small))
        #expect(
            refused.line == 4 && refused.field == "cases[0].shapes[1]" && refused.message.contains("1.0 KiB"),
            "\(refused)"
        )
        let suite = try Suite.parse(
            text: small,
            file: "s.yaml",
            validator: SuiteValidator(budgetOverride: MemoryBudget(bytes: 1 << 20))
        )
        #expect(suite.memoryBudgetBytes == 1024)
        // relu f32 [256]: 1 KiB in, 1 KiB out, 2 × 2 KiB float64 reference.
        let problem = try OpCatalogue.standard.problem(
            op: "relu",
            params: ["shape": .ints([256])],
            attrs: [:],
            dtype: .f32
        )
        #expect(problem.harnessBytes == 6144)
        #expect(failure("id: s\nmemory_budget: lots\ncases: []\n")?.field == "memory_budget")
    }

    @Test(.enabled(if: Repository.assayExecutable != nil, "the assay executable is not built"))
    func suitesListSurvivesAndRunRefusesWithExitTwo() throws {
        let folder = try TemporaryDirectory.make(prefix: "assay-budget")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("Suites"),
            withIntermediateDirectories: true
        )
        try "id: fine\ncases:\n  - {op: relu, shapes: [{shape: [4]}]}\n"
            .write(to: folder.appendingPathComponent("Suites/fine.yaml"), atomically: true, encoding: .utf8)
        try "id: overflow\ncases:\n  - {op: relu, shapes: [{shape: [2147483648, 2147483648, 2147483648]}]}\n"
            .write(to: folder.appendingPathComponent("Suites/overflow.yaml"), atomically: true, encoding: .utf8)
        let executable = try #require(Repository.assayExecutable).path
        let list = try Subprocess.run([executable, "suites", "list"], in: folder)
        #expect(
            list.status == 0 && list.output.contains("fine") && list.output.contains("overflow.yaml: INVALID"),
            "\(list.output)"
        )
        let run = try Subprocess.run(
            [
                executable, "run", "--suite", folder.appendingPathComponent("Suites/overflow.yaml").path,
                "--out", folder.appendingPathComponent("R").path, "--quiet",
            ],
            in: Repository.root
        )
        #expect(
            run.status == 2 && run.output.contains("overflow.yaml:3") && run.output.contains("cases[0].shapes[0]"),
            "\(run.output)"
        )
        let budget = try Subprocess.run(
            [
                executable, "run", "--suite", folder.appendingPathComponent("Suites/fine.yaml").path, "--memory-budget",
                "16B",
                "--out", folder.appendingPathComponent("R").path, "--quiet",
            ],
            in: Repository.root
        )
        #expect(budget.status == 2 && budget.output.contains("over the memory budget of 16 B"), "\(budget.output)")
    }
}
