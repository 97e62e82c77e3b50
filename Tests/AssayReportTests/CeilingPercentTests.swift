import AssayCore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayReport

/// No report shows a percent of peak or of roofline above 100: a case faster than its ceiling
/// reads "100.0% (ceiling below achieved)" and the roofline is drawn at the achieved figure.
@Suite struct CeilingPercentTests {
    /// Every `N%` and every JSON number under a key containing "percent" in `text`.
    static func percentages(in text: String) -> [Double] {
        let pattern = try! NSRegularExpression(pattern: #"(\d+(?:\.\d+)?)\s?%|"percent\w*"\s*:\s*(\d+(?:\.\d+)?)"#)
        return pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            let range = match.range(at: 1).location != NSNotFound ? match.range(at: 1) : match.range(at: 2)
            return Double((text as NSString).substring(with: range))
        }
    }

    @Test func anOverCeilingRecordNeverShowsMoreThan100Percent() throws {
        let directory = try TemporaryDirectory.make(prefix: "assay-ceiling")
        defer { try? FileManager.default.removeItem(at: directory) }
        // matmul at 50 µs: 5.4 TFLOP/s against a declared 2 TFLOP/s peak (268%), written the way a
        // record from before the flag holds it.
        var record = RecordFixture.record(matmulMedian: 50_000)
        let matmul = try #require(record.cases.firstIndex { $0.op == "matmul" && $0.kind == .performance })
        #expect((record.cases[matmul].performance?.percentOfPeak ?? 0) > 250)
        // …and a copy flagged by this harness: capped at 100 with the flag.
        let copy = try #require(record.cases.firstIndex { $0.op == "copy" })
        record.cases[copy].performance?.percentOfRoofline = 100
        record.cases[copy].performance?.ceilingBelowAchieved = true
        try RecordCoding.encoder().encode(record).write(to: directory.appendingPathComponent("run.json"))
        let written = try ReportWriter.write(try ReportWriter.loadRecord(directory.path), to: directory)
        for url in written {
            let text = try String(contentsOf: url, encoding: .utf8)
            let over = Self.percentages(in: text).filter { $0 > 100 }
            #expect(over.isEmpty, "\(url.lastPathComponent) shows \(over)")
        }
        let html = try String(contentsOf: directory.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("100.0% (ceiling below achieved)"))
        #expect(
            html.contains("ceiling below achieved: drawn at the achieved figure"),
            "the roofline is drawn at the achieved figure with a note"
        )
        let markdown = try String(contentsOf: directory.appendingPathComponent("report.md"), encoding: .utf8)
        #expect(markdown.contains("100.0% (ceiling below achieved)"))
    }

    @Test func theScanWouldCatchAFigureAbove100() {
        // The check above is only as good as its scanner.
        #expect(Self.percentages(in: "at 271.3% of peak, \"percentOfRoofline\" : 347.5") == [271.3, 347.5])
    }

    /// Reports say what the percentages are shares of: the declared peaks with their source,
    /// or ceilings measured on the machine, which no certificate floor accepts.
    @Test func reportsNameTheBasisOfTheirPercentages() {
        var record = RecordFixture.record()
        record.target.value.capabilities.source = "Vendor X1 datasheet rev 3"
        let declared = ReportModel(record)
        #expect(declared.ceilingBasis == "Peaks declared by the descriptor, source: Vendor X1 datasheet rev 3")
        #expect(HTMLReport(declared).rendered().contains("source: Vendor X1 datasheet rev 3"))
        #expect(MarkdownReport(declared).rendered().contains("source: Vendor X1 datasheet rev 3"))
        record.target.value.capabilities = DeclaredCapabilities(devices: 1)
        record.measuredCeilings = MeasuredCeilings(copyBytesPerSecond: 20e9, gemmFLOPS: ["f32": 1e11])
        let measured = ReportModel(record)
        #expect(measured.ceilingBasis?.contains("cannot meet a certificate's performance floor") == true)
        #expect(MarkdownReport(measured).rendered().contains("cannot meet a certificate's performance floor"))
        record.measuredCeilings = nil
        #expect(ReportModel(record).ceilingBasis == nil)
    }
}
