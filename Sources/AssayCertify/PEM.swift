import Foundation

/// RFC 7468 PEM armor: one labelled block of base64 DER, 64 characters a line.
///
/// Parsing is strict (a single block, only whitespace around it, matching
/// BEGIN/END labels) so that a wrong or damaged file is reported, not guessed at.
enum PEM {
    static func encode(label: String, der: Data) -> String {
        let body = der.base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN \(label)-----\n\(body)\n-----END \(label)-----\n"
    }

    static func decode(_ text: String, label: String) throws(KeyError) -> Data {
        let lines = text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard let first = lines.first, let last = lines.last, lines.count >= 3 else {
            throw .pemMissingArmor(expectedLabel: label)
        }
        if let found = armorLabel(first, marker: "BEGIN"), found != label {
            throw .pemWrongLabel(expected: label, found: found)
        }
        guard first == "-----BEGIN \(label)-----", last == "-----END \(label)-----" else {
            throw .pemMissingArmor(expectedLabel: label)
        }
        let body = lines.dropFirst().dropLast()
        // A second block or stray text inside would otherwise surface as a base64 error.
        guard !body.contains(where: { $0.hasPrefix("-----") }) else {
            throw .pemMissingArmor(expectedLabel: label)
        }
        guard let der = Data(base64Encoded: body.joined()), !der.isEmpty else {
            throw .pemInvalidBase64
        }
        return der
    }

    /// Reads `url` as PEM text and parses it, naming the file in any error.
    static func load<T>(_ url: URL, parse: (String) throws(KeyError) -> T) throws(KeyError) -> T {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .io(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        do throws(KeyError) {
            guard let text = String(data: data, encoding: .utf8) else {
                throw KeyError.pemMissingArmor(expectedLabel: "PEM")
            }
            return try parse(text)
        } catch {
            throw .inFile(path: url.path, error)
        }
    }

    private static func armorLabel(_ line: String, marker: String) -> String? {
        let head = "-----\(marker) "
        let tail = "-----"
        guard line.hasPrefix(head), line.hasSuffix(tail), line.count > head.count + tail.count else { return nil }
        return String(line.dropFirst(head.count).dropLast(tail.count))
    }
}
