/// The one escaping helper for every markup Assay writes (reports, JUnit, certificates):
/// text and attribute values for HTML, SVG and XML, Markdown text, and plain text for the CLI.
/// Every path shows bidi and invisible format characters as visible escapes (`⟨U+202E⟩`): a
/// right-to-left override in a descriptor title would otherwise reverse the rest of the cell.
///
/// Strings from descriptors, plugins, probes and messages can hold anything, so every one of
/// them passes through here (via `XMLNode`) before it reaches a file.
public enum Markup {
    /// Escapes `& < > " '` and replaces characters XML 1.0 forbids even when escaped
    /// (C0 controls other than tab, newline and return; U+FFFE, U+FFFF) with U+FFFD, so a
    /// plugin's stderr full of ANSI colour codes still gives a well-formed document.
    /// `quotes: false` leaves `"` and `'` alone, for text that is never an attribute (Markdown).
    public static func escape(_ text: String, quotes: Bool = true) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in visible(text).unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where quotes: out += "&quot;"
            case "'" where quotes: out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Bidi controls (U+202A–U+202E, U+2066–U+2069), zero-width and direction marks
    /// (U+200B–U+200F) and the BOM (U+FEFF): characters that change how text reads without being seen.
    public static func isInvisibleFormat(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x202A...0x202E, 0x2066...0x2069, 0x200B...0x200F, 0xFEFF: true
        default: false
        }
    }

    /// `text` with every invisible format character shown as `⟨U+XXXX⟩`; for plain text (the
    /// CLI) and as the first step of every other escape.
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isInvisibleFormat) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isInvisibleFormat(scalar) {
                out += "⟨U+" + String(scalar.value, radix: 16, uppercase: true) + "⟩"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Inline Markdown text that renders as exactly these characters: HTML escaped (GitHub
    /// renders inline HTML), and link, image, emphasis, code and table syntax backslash-escaped,
    /// line breaks as spaces, so `[click](https://x) ![](https://x/b.png)` is text, not a link and an image.
    public static func markdown(_ text: String) -> String {
        var out = ""
        for character in escape(text, quotes: false) {
            switch character {
            // Brackets carry links and images (`[t](u)`, `![](u)`); `<` was escaped as HTML above.
            case "\\", "`", "*", "_", "[", "]", "|", "~": out += "\\" + String(character)
            case "\n", "\r", "\r\n": out += " "
            default: out.append(character)
            }
        }
        return out
    }

    /// Text for inside a Markdown code span: rendered literally there, so only what would end
    /// the span (a backtick, a line break) and invisible characters are changed.
    public static func markdownCode(_ text: String) -> String {
        visible(text).replacingOccurrences(of: "`", with: "'").replacingOccurrences(of: "\r\n", with: " ")
            .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
    }
}
