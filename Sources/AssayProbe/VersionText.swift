import Foundation

/// Pulls a version number out of the first line a tool prints for `--version`.
enum VersionText {
    /// The token after the word "version" when there is one (`clang version 14.0.0`,
    /// `Docker version 24.0.7, build …`), else the last version-shaped token
    /// (`gcc (GCC) 7.3.0`, `ldd (Ubuntu GLIBC 2.35-0ubuntu3.7) 2.35`, `Python 3.10.12`).
    /// Returns the leading dotted number, e.g. `14.0.0` from `14.0.0-1ubuntu1.1`.
    static func firstLineVersion(_ text: String) -> String? {
        guard let line = text.lines.first(where: { !$0.trimmingWhitespace.isEmpty }) else { return nil }
        let tokens = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if let index = tokens.firstIndex(where: { $0.lowercased() == "version" }), index + 1 < tokens.count,
            let version = dottedNumber(tokens[index + 1])
        {
            return version
        }
        return tokens.reversed().lazy.compactMap(dottedNumber).first
    }

    /// `v1.7.2` → `1.7.2`, `2.35-0ubuntu3.7)` → `2.35`; nil unless it has a dot.
    static func dottedNumber(_ token: String) -> String? {
        var text = Substring(token)
        while let first = text.first, first == "(" || first == "v" || first == "V" { text = text.dropFirst() }
        var result = ""
        for character in text {
            if character.isASCII && (character.isNumber || character == ".") {
                result.append(character)
            } else {
                break
            }
        }
        while result.hasSuffix(".") { result.removeLast() }
        guard result.contains("."), result.first?.isNumber == true else { return nil }
        return result
    }

    /// The value after `label:` anywhere in the text (`Driver Version: 535.161.08`).
    static func labelled(_ label: String, in text: String) -> String? {
        for line in text.lines {
            guard let range = line.range(of: label + ":") ?? line.range(of: label + " :") else { continue }
            let rest = line[range.upperBound...].trimmingWhitespace
            if let token = rest.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "|" }).first {
                return String(token)
            }
        }
        return nil
    }
}
