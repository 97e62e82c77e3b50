import AssayCore
import Foundation
import Testing

@testable import AssayReport

/// report.html's collectives: the table with the nccl-tests figures and the log-log bus
/// bandwidth chart, one line per op over its sizes, with the declared link.
struct CollectiveReportTests {
    func collective(_ op: CollectiveOp, bytes: Int, medianNanoseconds: Double, outcome: Outcome = .pass) -> CaseResult {
        var figures = CollectiveFigures(op: op, ranks: 4, bytes: bytes, inPlace: false, root: 0)
        figures.apply(medianNanoseconds: medianNanoseconds, linkGBs: 50)
        var result = CaseResult(
            id: CaseID(suite: "collectives", op: op.rawValue, shape: "\(bytes)B", dtype: "f32"),
            kind: .collective,
            op: op.rawValue,
            dtype: "f32",
            outcome: outcome
        )
        result.collective = figures
        return result
    }

    @Test func tablesAndChartsBusBandwidthAgainstSize() throws {
        var record = RecordFixture.record()
        record.cases += [
            collective(.allReduce, bytes: 1 << 20, medianNanoseconds: 1e5),
            collective(.allReduce, bytes: 1 << 24, medianNanoseconds: 8e5),
            collective(.allGather, bytes: 1 << 20, medianNanoseconds: 5e4),
        ]
        let html = HTMLReport(ReportModel(record)).rendered()
        let root = try ParsedXML.parse(html)
        let section = try #require(root.all("section").first { $0.attributes["id"] == "collectives" })
        #expect(section.all("tr").count == 4)
        // all_reduce 16 MiB in 800 µs at 4 ranks: 21.0 GB/s algorithm, × 1.5 = 31.5 GB/s bus, 62.9% of 50 GB/s.
        #expect(section.text.contains("31.5 GB/s") && section.text.contains("62.9% of 50 GB/s"))
        let chart = try #require(section.all("svg").first { $0.hasClass("busbw") })
        #expect(chart.all("polyline").count == 1, "all_reduce has two sizes: a line; all_gather one point")
        #expect(chart.all("circle").count == 3)
        #expect(chart.text.contains("declared link 50 GB/s") && chart.text.contains("all_gather f32"))
        #expect(!HTMLReport(ReportModel(RecordFixture.record())).rendered().contains("id=\"collectives\""))
    }

    static func p2p(ranks: Int, bytes: Int = 1 << 26) -> CaseResult {
        var figures = CollectiveFigures(op: .p2pCopy, ranks: ranks, bytes: bytes, inPlace: false, root: 0)
        figures.pairs = (0..<ranks).flatMap { source in
            (0..<ranks).filter { $0 != source }.map {
                P2PPair(
                    source: source,
                    destination: $0,
                    gbs: 10 + Double(source * ranks + $0),
                    latencyMicroseconds: 100
                )
            }
        }
        figures.apply(medianNanoseconds: Double(bytes) / 11, linkGBs: nil)
        var result = CaseResult(
            id: CaseID(suite: "server", op: "p2p_copy", shape: "\(bytes)B", dtype: "f32"),
            kind: .collective,
            op: "p2p_copy",
            dtype: "f32",
            outcome: .pass
        )
        result.collective = figures
        return result
    }

    @Test func theP2PMatrixIsAHeatMapWithEveryOrderedPairAndALegend() throws {
        var record = RecordFixture.record()
        record.cases += [Self.p2p(ranks: 4), Self.p2p(ranks: 16, bytes: 1 << 20)]
        let root = try ParsedXML.parse(HTMLReport(ReportModel(record)).rendered())
        let maps = root.all("svg").filter { $0.hasClass("p2p") }
        #expect(maps.count == 2)
        let four = maps[0]
        let cells = four.all("g").filter { $0.hasClass("cell") }
        #expect(cells.count == 16)
        // Off the diagonal, each pair's value (10 + 4·source + destination) in its cell; the diagonal hatched, no copy.
        let values = four.all("text").filter { $0.hasClass("cell-value") }.map(\.text)
        #expect(values.count == 12 && values.contains("11.0") && values.contains("24.0"), "\(values)")
        #expect(
            cells[0].text.contains("rank 0 → rank 0: no copy") && cells[1].text.contains("rank 0 → rank 1: 11 GB/s")
        )
        let legend = try #require(four.all("g").first { $0.hasClass("legend") })
        #expect(legend.text.contains("24.0 max") && legend.text.contains("11.0 min") && legend.text.contains("GB/s"))
        // The bar is painted with the scale (no class whose stylesheet rule would blank its fill).
        let bar = try #require(legend.all("rect").first)
        #expect(bar.attributes["fill"]?.hasPrefix("url(#p2p-") == true && bar.attributes["class"] == nil)
        #expect(four.text.contains("source rank") && four.text.contains("destination rank"))
        // The fastest pair is the darkest cell, the slowest the lightest.
        let fills = cells.compactMap { $0.all("rect").first?.attributes["fill"] }
        #expect(fills[1] == P2PHeatMap.colour(0) && fills[14] == P2PHeatMap.colour(1))
        // 16 ranks: cells too narrow for a value, which stays in each cell's tooltip.
        #expect(maps[1].all("text").filter { $0.hasClass("cell-value") }.isEmpty)
        #expect(maps[1].all("g").filter { $0.hasClass("cell") }.count == 256)
    }

    @Test func theHostDeviceTableListsEveryDeviceWithItsNUMANode() throws {
        var record = RecordFixture.record()
        let links = [
            HostDeviceLink(
                rank: 0,
                device: "gpu0",
                numaNode: 0,
                numa: "/sys/bus/pci/devices/0000:3b:00.0/numa_node",
                h2dGBs: 24.5,
                d2hGBs: 26
            ),
            HostDeviceLink(
                rank: 1,
                device: "gpu1",
                numaNode: nil,
                numa: "unknown: the plugin reports neither numa_node nor pci_bus_id",
                h2dGBs: 12.25,
                d2hGBs: 13
            ),
        ]
        record.cases.append(
            CaseResult(
                id: try CaseID(parsing: "server/check/host_device_bandwidth/any"),
                kind: .system,
                op: "check",
                dtype: "any",
                outcome: .pass,
                system: SystemObservation(expected: "(not declared)", observed: "2 devices", devices: links)
            )
        )
        let root = try ParsedXML.parse(HTMLReport(ReportModel(record)).rendered())
        let section = try #require(root.all("section").first { $0.attributes["id"] == "system" })
        let table = try #require(section.all("table").last)
        let rows = table.all("tr").dropFirst().map { $0.all("td").map(\.text) }
        #expect(rows.count == 2)
        #expect(
            rows[0] == ["0", "gpu0", "0", "/sys/bus/pci/devices/0000:3b:00.0/numa_node", "24.5 GB/s", "26.0 GB/s"],
            "\(rows)"
        )
        #expect(rows[1][2] == "unknown" && rows[1][3].contains("neither numa_node nor pci_bus_id"))
    }
}
