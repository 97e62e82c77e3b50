import Foundation
import Testing

@testable import AssayReport

@Suite struct HTMLReportTests {
    let html = HTMLReport(ReportModel(RecordFixture.record(hostile: true))).rendered()

    @Test func isWellFormedXML() throws {
        #expect(try ParsedXML.parse(html).name == "html")
    }

    @Test func fetchesNothing() throws {
        let clean = HTMLReport(ReportModel(RecordFixture.record())).rendered()
        #expect(!clean.contains("http://") && !clean.contains("https://"))
        for page in [html, clean] {
            #expect(!page.contains("<script"))
            #expect(!page.contains("<link"))
            #expect(!page.contains("@import"))
            #expect(!page.contains("url("))
            let references = try ParsedXML.parse(page).all.flatMap { element in
                element.attributes.filter { ["src", "href", "xlink:href", "action", "srcset"].contains($0.key) }.map(
                    \.value
                )
            }
            #expect(references.allSatisfy { $0.hasPrefix("#") }, "only in-page links: \(references)")
        }
    }

    @Test func everyInPageLinkHasATarget() throws {
        let elements = try ParsedXML.parse(html).all
        let ids = Set(elements.compactMap { $0.attributes["id"] })
        let links = elements.compactMap { $0.attributes["href"] }
        #expect(!links.isEmpty)
        for link in links { #expect(ids.contains(String(link.dropFirst())), "dangling \(link)") }
    }

    @Test func hostileTextIsEscapedEverywhere() {
        #expect(!html.contains(RecordFixture.hostile))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    @Test func matrixLinksFailingCellsToEvidence() throws {
        let root = try ParsedXML.parse(html)
        let matrix = try #require(root.all("table").first { $0.hasClass("matrix") })
        let failing = matrix.all("td").filter { $0.hasClass("fail") }.flatMap { $0.all("a") }
        #expect(failing.compactMap { $0.attributes["href"] }.contains("#cell-matmul-bf16"))
        #expect(failing.first { $0.attributes["href"] == "#cell-matmul-bf16" }?.text == "0/2")
        let evidence = try #require(root.all("div").first { $0.attributes["id"] == "cell-matmul-bf16" })
        let text = evidence.text
        #expect(text.contains("3.5") && text.contains("inf") && text.contains("[3, 7]") && text.contains("12 / 3072"))
        #expect(text.contains("output dtype f32, expected bf16"))
        #expect(matrix.all("td").filter { $0.hasClass("waived") }.count == 1)
    }

    @Test func drawsRooflineAndSampleStrips() throws {
        let svgs = try ParsedXML.parse(html).all("svg")
        let roofline = try #require(svgs.first { $0.hasClass("roofline") })
        #expect(roofline.all("g").filter { $0.hasClass("point") }.count == 1, "matmul is placed; copy has no FLOPs")
        #expect(html.contains("f32 peak 2.00 TFLOP/s (declared)"))
        #expect(html.contains("memory 100 GB/s (declared)"))
        let strips = svgs.filter { $0.hasClass("strip") }
        #expect(strips.count == 2)
        #expect(strips.first?.all("circle").count == 60)
        #expect(html.contains("perf/copy/shape4194304/f32"), "the memory-only op is listed against bandwidth")
        #expect(html.contains("limited: clock below 75% of max in 12/60 samples"))
    }

    @Test func listsSystemChecksWaiversAndMissingCases() {
        #expect(html.contains("davinci&lt;script&gt;"))
        #expect(html.contains("Expired waiver (the failure stands)"))
        #expect(html.contains("BUG-1234"))
        #expect(html.contains("conformance/relu/shape1000/f32"))
        #expect(html.contains("Segmentation fault\u{FFFD}[0m"))
    }
}
