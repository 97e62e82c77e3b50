import AssayTestSupport
import Foundation
import Testing

@testable import AssayReport

/// Renders report.html with headless Chromium and checks the picture is not blank. Skipped
/// where no Chromium is installed (CI does not need it). Set ASSAY_REPORT_PNG_DIR to keep the PNG.
@Suite struct HTMLRenderingTests {
    static let chromium = ["chromium", "chromium-browser", "google-chrome"].lazy.compactMap(Subprocess.locate).first

    @Test(.enabled(if: chromium != nil && Python.isAvailable, "headless chromium (and python3) not installed"))
    func rendersToANonBlankPicture() throws {
        let keep = ProcessInfo.processInfo.environment["ASSAY_REPORT_PNG_DIR"].map { URL(fileURLWithPath: $0) }
        let directory = try keep ?? TemporaryDirectory.make(prefix: "assay-report-tests")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(at: directory) } }
        let page = directory.appendingPathComponent("report.html")
        let picture = directory.appendingPathComponent("report.png")
        try Data(HTMLReport(ReportModel(RecordFixture.record(hostile: true))).rendered().utf8).write(to: page)
        try? FileManager.default.removeItem(at: picture)

        let render = try Subprocess.run([
            Self.chromium!, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--window-size=1200,2400",
            "--screenshot=\(picture.path)", page.absoluteString,
        ])
        #expect(
            FileManager.default.fileExists(atPath: picture.path),
            "chromium wrote no PNG: \(render.output.suffix(2000))"
        )
        let stats = try Python.run(Self.pngStatistics, [picture.path])
        try #require(stats.status == 0, "\(stats.output)")
        let figures = stats.output.split(separator: " ").compactMap {
            Double($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        try #require(figures.count == 2, "\(stats.output)")
        #expect(figures[0] >= 16, "distinct colours: \(figures[0])")
        #expect(figures[1] > 0.03, "fraction of non-white pixels: \(figures[1])")
    }

    /// Decodes an 8-bit RGB/RGBA PNG with the standard library only (no PIL in CI) and prints
    /// the number of distinct colours and the fraction of pixels that are not near-white.
    static let pngStatistics = #"""
        import struct, sys, zlib
        data = open(sys.argv[1], 'rb').read()
        assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
        pos, idat = 8, b''
        while pos < len(data):
            length, kind = struct.unpack('>I4s', data[pos:pos + 8])
            body = data[pos + 8:pos + 8 + length]
            if kind == b'IHDR':
                width, height, depth, colour = struct.unpack('>IIBB', body[:10])
            elif kind == b'IDAT':
                idat += body
            pos += 12 + length
        assert depth == 8 and colour in (2, 6), (depth, colour)
        bpp = 3 if colour == 2 else 4
        raw, stride = zlib.decompress(idat), width * bpp
        previous, colours, ink = bytearray(stride), set(), 0
        for y in range(height):
            start = y * (stride + 1)
            kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                up = previous[i]
                corner = previous[i - bpp] if i >= bpp else 0
                if kind == 1: line[i] = (line[i] + left) & 255
                elif kind == 2: line[i] = (line[i] + up) & 255
                elif kind == 3: line[i] = (line[i] + (left + up) // 2) & 255
                elif kind == 4:
                    p = left + up - corner
                    pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                    line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
            for x in range(0, stride, bpp * 3):
                pixel = bytes(line[x:x + 3])
                colours.add(pixel)
                if min(pixel) < 235: ink += 1
            previous = line
        print(len(colours), ink / (height * ((width + 2) // 3)))
        """#
}
