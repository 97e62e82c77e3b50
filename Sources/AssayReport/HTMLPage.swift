/// The frame of every HTML file Assay writes: one self-contained, well-formed page with the
/// stylesheet inline, no scripts and nothing fetched (no fonts, no CDNs, no external links).
enum HTMLPage {
    static func render(title: String, @NodeBuilder body: () -> [XMLNode]) -> String {
        let page = XMLNode.element("html", ["lang": "en"]) {
            XMLNode.element("head") {
                XMLNode.element("meta", ["charset": "utf-8"])
                XMLNode.element("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"])
                XMLNode.element("title") { title }
                XMLNode.element("style") { XMLNode.trusted(stylesheet) }
            }
            XMLNode.element("body") { body() }
        }
        return "<!DOCTYPE html>\n" + page.rendered(.html)
    }

    /// Colours name outcomes the same way in every section; text always says the outcome too,
    /// so the page reads in greyscale print. No `<` or `&` here: the page is also parsed as XML.
    static let stylesheet = """

        :root { --pass: #1e7b34; --fail: #b3261e; --error: #8e3b00; --waived: #9a6b00; --unsupported: #5f6368; --observed: #1a5fb4;
                --ink: #1f2328; --muted: #59636e; --line: #d0d7de; --soft: #f6f8fa; }
        * { box-sizing: border-box; }
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", sans-serif;
               color: var(--ink); margin: 0 auto; max-width: 1180px; padding: 24px; }
        h1 { font-size: 22px; margin: 0 0 6px; } h2 { font-size: 18px; margin: 28px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
        h3 { font-size: 15px; margin: 18px 0 6px; }
        code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
        pre { background: var(--soft); border: 1px solid var(--line); padding: 8px; white-space: pre-wrap; word-break: break-all; }
        table { border-collapse: collapse; margin: 6px 0 12px; }
        th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
        th { background: var(--soft); font-weight: 600; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .muted { color: var(--muted); }
        .verdict { display: inline-block; font-weight: 700; font-size: 18px; padding: 2px 12px; border-radius: 4px; color: #fff; }
        .verdict.pass { background: var(--pass); } .verdict.fail { background: var(--fail); } .verdict.incomplete { background: var(--waived); }
        .chip { display: inline-block; border: 1px solid var(--line); border-radius: 10px; padding: 0 8px; margin: 2px 4px 2px 0; }
        .o-pass { color: var(--pass); } .o-fail { color: var(--fail); } .o-error, .o-crash, .o-timeout { color: var(--error); }
        .o-waived { color: var(--waived); } .o-unsupported, .o-notRun { color: var(--unsupported); } .o-observed { color: var(--observed); }
        .outcome { font-weight: 600; }
        .facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 0 24px; }
        .facts table { width: 100%; table-layout: fixed; } .facts th { width: 34%; } .facts td, .facts th { overflow-wrap: anywhere; }
        table.matrix td, table.matrix th { text-align: center; min-width: 64px; }
        table.matrix th.op { text-align: left; }
        table.matrix td.pass { background: #dcf2e0; } table.matrix td.fail { background: #f9d3cf; }
        table.matrix td.waived { background: #fbecc2; } table.matrix td.unsupported { background: #e8eaed; color: var(--muted); }
        table.matrix td.none { color: var(--line); }
        table.matrix td a { color: inherit; font-weight: 700; }
        table.matrix .note { display: block; font-size: 11px; }
        .case { border: 1px solid var(--line); border-left: 4px solid var(--fail); padding: 6px 10px; margin: 8px 0; break-inside: avoid; }
        .case.waived { border-left-color: var(--waived); }
        .case h4 { margin: 0 0 4px; font-size: 13.5px; }
        .chart { width: 100%; max-width: 680px; height: auto; display: block; font-size: 11px; }
        .chart text { fill: var(--ink); }
        .chart .grid { stroke: #e6e9ec; } .chart .frame { fill: none; stroke: var(--muted); }
        .chart .roof { stroke: var(--ink); stroke-width: 2; } .chart .roof-label { fill: var(--muted); }
        .chart .axis-title { fill: var(--muted); font-size: 12px; }
        .chart .point circle, .chart .point rect, .chart .point path, .chart .key * { stroke: #fff; stroke-width: 1; }
        .chart .compute circle { fill: #1f5fbf; } .chart .memory rect { fill: #c25e00; } .chart .unbound path { fill: var(--muted); }
        .chart .point-label { font-size: 11px; }
        .strip .iqr { fill: #e8eef8; } .strip .ci { fill: #f3c26b; fill-opacity: 0.55; }
        .strip .sample { fill: #1f5fbf; fill-opacity: 0.45; } .strip .median { stroke: var(--fail); stroke-width: 2; }
        .strip .baseline { stroke: var(--line); }
        .bar { display: inline-block; height: 10px; background: #c25e00; vertical-align: middle; }
        .bar-track { display: inline-block; width: 160px; height: 10px; background: var(--soft); border: 1px solid var(--line); vertical-align: middle; }
        table.perf { font-size: 12.5px; width: 100%; } table.perf td.num { white-space: normal; } table.perf code { overflow-wrap: anywhere; }
        .flag { color: var(--fail); font-weight: 600; }
        footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
        @media print {
          body { max-width: none; padding: 0; font-size: 11px; }
          a { color: inherit; text-decoration: none; }
          h2 { break-after: avoid; } table, .chart, .case { break-inside: avoid; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        }

        """
}
