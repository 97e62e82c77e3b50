/// The one escaping helper for every markup Assay writes (reports, JUnit, certificates):
/// text and attribute values for HTML, SVG and XML.
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
        for scalar in text.unicodeScalars {
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
}
