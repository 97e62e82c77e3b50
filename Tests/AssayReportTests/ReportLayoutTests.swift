import AssayCore
import AssayTestSupport
import Foundation
import Testing

@testable import AssayReport

/// report.html does not overlap: the summary's fact tables (long environment keys and
/// unbreakable digests) at 1200–1920 px, and the roofline's labels, which carry the case's
/// shape, sit beside a legend and a titled y axis. Unit tests check the SVG; the Chromium
/// tests measure the laid-out page with Scripts/report-geometry.js, and check that the same
/// measurement flags a deliberately broken layout.
@Suite(.serialized) struct ReportLayoutTests {
    static let chromium = ["chromium", "chromium-browser", "google-chrome"].lazy.compactMap(Subprocess.locate).first

    /// The fixture record with what made the layout break: environment keys like a real run's,
    /// a long value without break points, twelve performance points crowded near one roof, and
    /// unsupported cases with and without a reason.
    static func crowdedRecord() -> RunRecord {
        var record = RecordFixture.record()
        record.environment.components.merge([
            "cpu.architecture": "x86_64", "cpu.logicalCores": "2", "kernel.release": "6.18.44-fc-v669",
            "os.versionID": "12", "cpu.flagsDigest": String(repeating: "0123456789abcdef", count: 6),
        ]) { $1 }
        let template = record.cases.first { $0.id.description == "perf/matmul/m512.n512.k512/f32" }!
        for index in 0..<12 {
            var result = template
            let size = 128 * (index + 1)
            result.id = try! CaseID(
                parsing: "perf/\(index % 3 == 0 ? "matmul" : "linear")/m\(size).n\(size).k\(size)/f32"
            )
            result.op = result.id.op
            result.performance?.arithmeticIntensity = 20 + Double(index) * 4
            result.performance?.flopsPerSecond = 1.0e11 * (1 + Double(index % 4) * 0.08)
            record.cases.append(result)
        }
        record.cases.append(
            CaseResult(
                id: try! CaseID(parsing: "conformance/matmul/m8.n8.k8/int8"),
                kind: .conformance,
                op: "matmul",
                dtype: "int8",
                outcome: .unsupported,
                message: "int8 GEMM is not in this SDK release"
            )
        )
        record.cases.append(
            CaseResult(
                id: try! CaseID(parsing: "system/check/device_memory/any"),
                kind: .system,
                op: "device_memory",
                dtype: "any",
                outcome: .unsupported,
                system: SystemObservation(
                    expected: "(not declared)",
                    observed: "—",
                    notApplicable: "no device apart from the host"
                )
            )
        )
        // An 8-rank peer-to-peer heat map and its host↔device table (long sysfs paths).
        record.cases.append(CollectiveReportTests.p2p(ranks: 8))
        record.cases.append(
            CaseResult(
                id: try! CaseID(parsing: "server/check/host_device_bandwidth/any"),
                kind: .system,
                op: "check",
                dtype: "any",
                outcome: .pass,
                system: SystemObservation(
                    expected: "(not declared)",
                    observed: "8 devices, one at a time",
                    devices: (0..<8).map {
                        HostDeviceLink(
                            rank: $0,
                            device: "NVIDIA H100 80GB HBM3",
                            numaNode: $0 / 4,
                            numa: "/sys/bus/pci/devices/0000:\(18 + $0 * 16):00.0/numa_node",
                            h2dGBs: 24.5 + Double($0),
                            d2hGBs: 26
                        )
                    }
                )
            )
        )
        record.plannedCases = record.cases.map(\.id) + [RecordFixture.id("conformance/relu/shape1000/f32")]
        return record
    }

    static func html(_ record: RunRecord = crowdedRecord()) -> String { HTMLReport(ReportModel(record)).rendered() }

    /// A text element's box as the chart lays it out: start-anchored at (x, baseline), the
    /// width `LabelLayout` estimates, one line high.
    static func box(of text: ParsedXML) -> LabelLayout.Box? {
        guard let x = Double(text.attributes["x"] ?? ""), let y = Double(text.attributes["y"] ?? "") else { return nil }
        let height = RooflineChart.fontSize * 1.25
        return LabelLayout.Box(
            x: x,
            y: y - 0.78 * height,
            width: LabelLayout.width(of: text.text, fontSize: RooflineChart.fontSize),
            height: height
        )
    }

    /// Pairs of point labels and roof tags whose boxes intersect, by their texts.
    static func overlappingLabels(_ svg: ParsedXML) -> [String] {
        let labels = svg.all("text").filter { $0.hasClass("point-label") || $0.hasClass("roof-label") }
        var found: [String] = []
        for (i, a) in labels.enumerated() {
            for b in labels.dropFirst(i + 1) {
                if let boxA = box(of: a), let boxB = box(of: b), boxA.intersects(boxB) {
                    found.append("\(a.text) / \(b.text)")
                }
            }
        }
        return found
    }

    @Test func rooflineLabelsCarryShapesAndDoNotOverlap() throws {
        let svg = try #require(try ParsedXML.parse(Self.html()).all("svg").first { $0.hasClass("roofline") })
        let points = svg.all("g").filter { $0.hasClass("point") }
        #expect(points.count == 13, "the fixture's matmul and twelve crowded cases")
        let labels = svg.all("text").filter { $0.hasClass("point-label") }.map(\.text)
        #expect(
            labels.contains("matmul f32 m512.n512.k512") && labels.contains("linear f32 m256.n256.k256"),
            "\(labels)"
        )
        #expect(Self.overlappingLabels(svg).isEmpty, "\(Self.overlappingLabels(svg))")
        // A label that found no free spot is named in the legend, so every point is named somewhere.
        let legend = try #require(svg.all("g").first { $0.hasClass("legend") })
        let unlabelled = Set(
            points.compactMap { $0.all("title").first?.text.split(separator: ":").first.map(String.init) }
        )
        .filter { id in
            !labels.contains { label in id.contains(label.split(separator: " ").last.map(String.init) ?? "?") }
        }
        for id in unlabelled {
            #expect(legend.text.contains(id.split(separator: "/")[2]), "\(id) is neither labelled nor listed")
        }
        #expect(
            legend.text.contains("f32 peak 2.00 TFLOP/s (declared)")
                && legend.text.contains("memory 100 GB/s (declared)")
        )
        #expect(legend.text.contains("compute-bound case"))
        let yTitle = try #require(svg.all("text").first { $0.hasClass("y-title") })
        #expect(yTitle.text.contains("FLOP/s") && yTitle.attributes["transform"] == "rotate(-90)")
    }

    /// The overlap check itself finds labels drawn on top of each other.
    @Test func theSVGOverlapCheckFindsOverlappingLabels() throws {
        let broken = try ParsedXML.parse(
            """
            <svg><text class="point-label" x="100" y="50">matmul f32 m128.n128.k128</text>\
            <text class="point-label" x="140" y="54">matmul f32 m256.n256.k256</text>\
            <text class="roof-label" x="400" y="54">f32</text></svg>
            """
        )
        #expect(Self.overlappingLabels(broken) == ["matmul f32 m128.n128.k128 / matmul f32 m256.n256.k256"])
    }

    @Test func placementAvoidsTakenSpotsAndGivesUpWhenFull() {
        let frame = LabelLayout.Box(x: 0, y: 0, width: 200, height: 60)
        var layout = LabelLayout(fontSize: 10, frame: frame, obstacles: [])
        let first = layout.place("abcdef", nearX: 50, y: 30)
        let second = layout.place("abcdef", nearX: 50, y: 30)
        #expect(first != nil && second != nil && !first!.box.intersects(second!.box))
        var full = LabelLayout(fontSize: 10, frame: frame, obstacles: [frame])
        #expect(full.place("x", nearX: 50, y: 30) == nil)
    }

    @Test func unsupportedReasonsAndSystemEvidenceAreShownOnce() throws {
        let html = Self.html()
        let section = try #require(
            try ParsedXML.parse(html).all("section").first { $0.attributes["id"] == "unsupported" }
        )
        #expect(section.text.contains("int8 GEMM is not in this SDK release"))
        #expect(section.text.contains("not applicable: no device apart from the host"))
        #expect(
            section.text.contains("not declared by the backend"),
            "the fixture's layer_norm case has a message of its own"
        )
        let line = "expected davinci, observed none"
        #expect(html.components(separatedBy: line).count - 1 == 1, "said once")
    }

    // MARK: Chromium

    struct Geometry: Decodable {
        var width: Int
        var cells: Int
        var texts: Int
        var problems: [String]
    }

    /// Loads `html` with the geometry script at `width` px and returns what it measured.
    static func measure(_ html: String, width: Int, in directory: URL) throws -> Geometry {
        let script = try String(
            contentsOf: Repository.root.appendingPathComponent("Scripts/report-geometry.js"),
            encoding: .utf8
        )
        let page = directory.appendingPathComponent("measure-\(width).html")
        try html.replacingOccurrences(of: "</body>", with: "<script>\(script)</script></body>").write(
            to: page,
            atomically: true,
            encoding: .utf8
        )
        let dump = try Subprocess.run(
            [
                chromium!, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--user-data-dir=\(directory.appendingPathComponent("profile-\(width)").path)",
                "--window-size=\(width),3000", "--dump-dom", page.absoluteString,
            ],
            standardError: .discarded
        )
        let marker = "<pre id=\"assay-geometry\">"
        guard let start = dump.output.range(of: marker, options: .backwards),
            let end = dump.output.range(of: "</pre>", range: start.upperBound..<dump.output.endIndex)
        else {
            throw InputError(
                file: page.path,
                message: "no geometry in chromium's DOM (status \(dump.status)): \(dump.output.suffix(500))"
            )
        }
        let json = String(dump.output[start.upperBound..<end.lowerBound]).replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
        return try JSONDecoder().decode(Geometry.self, from: Data(json.utf8))
    }

    @Test(
        .enabled(if: chromium != nil && Python.isAvailable, "headless chromium (and python3) not installed"),
        .hangBackstop,
        arguments: [1200, 1920]
    )
    func nothingOverlapsInChromium(width: Int) throws {
        let keep = ProcessInfo.processInfo.environment["ASSAY_REPORT_PNG_DIR"].map { URL(fileURLWithPath: $0) }
        let directory = try keep ?? TemporaryDirectory.make(prefix: "assay-layout")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(at: directory) } }
        let html = Self.html()
        let geometry = try Self.measure(html, width: width, in: directory)
        #expect(geometry.width == width)
        #expect(
            geometry.cells > 100 && geometry.texts > 30,
            "the page was laid out: \(geometry.cells) cells, \(geometry.texts) chart texts"
        )
        #expect(geometry.problems.isEmpty, "\(geometry.problems)")

        let page = directory.appendingPathComponent("report.html")
        let picture = directory.appendingPathComponent("report-\(width).png")
        try html.write(to: page, atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(at: picture)
        let shot = try Subprocess.run([
            Self.chromium!, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--user-data-dir=\(directory.appendingPathComponent("profile-shot").path)",
            "--window-size=\(width),2400", "--screenshot=\(picture.path)", page.absoluteString,
        ])
        #expect(
            FileManager.default.fileExists(atPath: picture.path),
            "chromium wrote no PNG: \(shot.output.suffix(1000))"
        )
        let stats = try Python.run(HTMLRenderingTests.pngStatistics, [picture.path])
        let figures = stats.output.split(separator: " ").compactMap {
            Double($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect(figures.count == 2 && figures[0] >= 16 && figures[1] > 0.03, "a non-blank screenshot: \(stats.output)")
    }

    /// The measurement fails on the layout that was broken: fact cells that may not wrap, and
    /// chart labels grown over each other.
    @Test(.enabled(if: chromium != nil, "headless chromium not installed"), .hangBackstop)
    func theChromiumCheckFailsOnABrokenLayout() throws {
        let directory = try TemporaryDirectory.make(prefix: "assay-layout-broken")
        defer { try? FileManager.default.removeItem(at: directory) }
        let broken = Self.html().replacingOccurrences(
            of: "</head>",
            with: """
                <style>.facts td, .facts th { overflow-wrap: normal !important; white-space: nowrap !important; }
                .chart .point-label { font-size: 30px !important; } .chart .cell-value { font-size: 40px !important; }</style></head>
                """
        )
        let geometry = try Self.measure(broken, width: 1200, in: directory)
        #expect(geometry.problems.contains { $0.hasPrefix("text overflows its cell") }, "\(geometry.problems)")
        #expect(geometry.problems.contains { $0.hasPrefix("chart texts overlap") }, "\(geometry.problems)")
        #expect(
            geometry.problems.contains { $0.hasPrefix("chart texts overlap") && $0.contains("\"11.0\"") },
            "heat map values grown over each other"
        )
    }
}
