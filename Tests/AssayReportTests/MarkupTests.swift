import AssayCore
import Testing

@testable import AssayReport

@Suite struct MarkupTests {
    @Test func escapesMarkupCharacters() {
        #expect(Markup.escape(#"<a href="x">'&'</a>"#) == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
    }

    @Test func replacesCharactersXMLForbids() {
        #expect(Markup.escape("red\u{1B}[31m\u{0}ok\tline\n") == "red\u{FFFD}[31m\u{FFFD}ok\tline\n")
    }

    @Test func markdownKeepsQuotesButNotPipes() {
        #expect(MarkdownTable.cell("it's a|b <i>\nnext") == "it's a\\|b &lt;i&gt; next")
    }

    @Test func nodesEscapeTextAndAttributes() {
        let node = XMLNode.element("td", ["title": "\"x\""]) { "<b>" }
        #expect(node.rendered(.html) == "<td title=\"&quot;x&quot;\">&lt;b&gt;</td>")
        #expect(XMLNode.element("td").rendered(.html) == "<td></td>")
        #expect(XMLNode.element("td").rendered(.xml) == "<td/>")
    }
}
