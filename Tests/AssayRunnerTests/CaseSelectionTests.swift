import AssayBackend
import AssayCore
import AssayPlanning
import AssayTestSupport
import Foundation
import Testing

@testable import AssayOps
@testable import AssayRunner

/// `assay run --case GLOB` and `--dump-tensors DIR`.
@Suite struct CaseSelectionTests {
    static let suiteText = """
        id: pick
        cases:
          - {op: relu, dtypes: [f32, bf16], shapes: [{shape: [8]}]}
          - {op: softmax, dtypes: [f32], shapes: [{shape: [2, 4]}]}
        """

    func prepare(in folder: URL, glob: String?, resume: URL? = nil) throws -> RunSession {
        try prepare(in: folder, globs: glob.map { [$0] } ?? [], resume: resume)
    }

    func prepare(in folder: URL, globs: [String], resume: URL? = nil) throws -> RunSession {
        let suite = folder.appendingPathComponent("pick.yaml")
        if !FileManager.default.fileExists(atPath: suite.path) {
            try Self.suiteText.write(to: suite, atomically: true, encoding: .utf8)
        }
        let request = RunRequest(
            target: "local-cpu",
            suites: [suite.path],
            reportsRoot: folder.appendingPathComponent("Reports"),
            resume: resume,
            root: Repository.root,
            command: ["assay", "run"],
            measuresCeilings: false,
            caseGlobs: globs
        )
        return try RunSetup.prepare(request, progress: ProgressReporter(quiet: true)) { _, _ in
            NativeCPUBackend(threads: 1)
        }
    }

    @Test func aGlobRunsOnlyTheMatchingCasesAndOneMatchingNothingIsAnInputError() throws {
        let folder = try TemporaryDirectory.make(prefix: "assay-case")
        defer { try? FileManager.default.removeItem(at: folder) }
        let record = try prepare(in: folder, glob: "pick/relu/*").run()
        #expect(record.plannedCases.map(\.description) == ["pick/relu/shape8/f32", "pick/relu/shape8/bf16"])
        #expect(record.status == .complete && record.cases.count == 2)
        #expect(throws: InputError.self) { try prepare(in: folder, glob: "pick/gelu/*") }
    }

    /// Repeated `--case` selects the union; a glob among several that matches nothing is still an error.
    @Test func severalGlobsSelectEveryCaseAnyOfThemMatches() throws {
        let folder = try TemporaryDirectory.make(prefix: "assay-case")
        defer { try? FileManager.default.removeItem(at: folder) }
        let record = try prepare(in: folder, globs: ["pick/relu/*/bf16", "pick/softmax/*"]).run()
        #expect(record.plannedCases.map(\.description) == ["pick/relu/shape8/bf16", "pick/softmax/shape2x4/f32"])
        let error = #expect(throws: InputError.self) { try prepare(in: folder, globs: ["pick/relu/*", "pick/gelu/*"]) }
        #expect(error?.description.contains("pick/gelu/*") == true)
    }

    @Test func withResumeItRunsTheMatchingMissingCasesAndKeepsTheRestResumable() throws {
        let folder = try TemporaryDirectory.make(prefix: "assay-case")
        defer { try? FileManager.default.removeItem(at: folder) }
        // The first session is released (and its run-directory lock with it) before resuming.
        let (directory, runJSON, journalURL) = try { () throws -> (URL, URL, URL) in
            let session = try prepare(in: folder, glob: nil)
            _ = try session.run()
            return (session.directory, session.runJSON, session.journalURL)
        }()
        // Make it look killed before any case finished.
        var record = try RunRecord.load(contentsOf: runJSON)
        record.status = .interrupted
        record.cases = []
        record.journal = nil
        try RecordCoding.encoder().encode(record).write(to: runJSON)
        try FileManager.default.removeItem(at: journalURL)
        let resumed = try prepare(in: folder, glob: "*/softmax/*", resume: directory).run()
        #expect(resumed.cases.map(\.id.description) == ["pick/softmax/shape2x4/f32"])
        #expect(resumed.plannedCases.count == 3 && resumed.status == .interrupted)
        let finished = try prepare(in: folder, glob: nil, resume: directory).run()
        #expect(finished.cases.count == 3 && finished.status == .complete)
    }

    /// The .npy files of a failing case load in numpy with the values the checker saw.
    @Test(.enabled(if: Python.canImport("numpy")))
    func failingCasesDumpTheirTensorsAsNpy() throws {
        let folder = try TemporaryDirectory.make(prefix: "assay-dump")
        defer { try? FileManager.default.removeItem(at: folder) }
        let suite = try Suite.parse(
            text:
                "id: t\ncases:\n  - {op: add, dtypes: [bf16, f16], shapes: [{a: [3, 4], b: [4]}]}\n  - {op: matmul_int8, dtypes: [int8], shapes: [{m: 2, n: 3, k: 300}]}\n",
            file: "t.yaml",
            validator: OpCatalogue.standard
        )
        let faults =
            FaultCatalogue.all.filter { $0.op == "add" && $0.name.hasPrefix("truncating") }
            + FaultCatalogue.all.filter { $0.op == "matmul_int8" }
        for fault in faults {
            let backend = ReferenceFaultBackend(fault)
            var executor = CaseExecutor(
                backend: backend,
                identity: try backend.describe(),
                performanceRunner: nil,
                systemChecker: nil
            )
            executor.tensorDump = TensorDump(directory: folder)
            for planned in try SuiteExpander.expand(suite, catalogue: .standard)
            where planned.opCase?.op.name == fault.op {
                #expect(executor.run(planned).outcome == .fail)
            }
        }
        let script = """
            import json, sys, numpy as np
            folder = sys.argv[1]
            for line in open(folder + "/index.jsonl"):
                entry = json.loads(line)
                actual = np.load(folder + "/" + entry["actual"])
                expected = np.load(folder + "/" + entry["expected"])
                inputs = [np.load(folder + "/" + f) for _, f in entry["inputs"]]
                assert expected.dtype == np.float64 and expected.shape == actual.shape, entry
                print(entry["id"], actual.dtype, actual.shape, [i.shape for i in inputs], float(np.max(np.abs(actual.astype(np.float64) - expected))))
            """
        let output = try Python.run(script, [folder.path])
        #expect(output.status == 0, "\(output.output)")
        #expect(output.output.contains("t/add/a3x4.b4/bf16 float32 (3, 4) [(3, 4), (4,)]"))
        #expect(output.output.contains("t/add/a3x4.b4/f16 float16 (3, 4) [(3, 4), (4,)]"))
        #expect(output.output.contains("t/matmul_int8/m2.n3.k300/int8 int32 (2, 3) [(2, 300), (300, 3)]"))
    }
}
