import Foundation

/// The stations whose run attestations certification accepts: public keys from one or more
/// files, each a single PEM key (`assay keygen`'s .pub) or a trust file holding several PEM
/// `PUBLIC KEY` blocks one after another (lines outside the blocks, e.g. `# lab A`, are comments).
public struct StationTrust: Sendable {
    public var keys: [TrustedPublicKey]

    public init(keys: [TrustedPublicKey]) { self.keys = keys }

    public init(files: [URL]) throws(KeyError) {
        var keys: [TrustedPublicKey] = []
        for url in files { keys += try Self.load(url) }
        self.keys = keys
    }

    static func load(_ url: URL) throws(KeyError) -> [TrustedPublicKey] {
        try PEM.load(url) { (text) throws(KeyError) in
            var keys: [TrustedPublicKey] = []
            var block: [Substring]?
            for line in text.split(whereSeparator: \.isNewline) {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.hasPrefix("-----BEGIN ") { block = [] }
                if block != nil { block!.append(line) }
                if trimmed.hasPrefix("-----END "), let lines = block {
                    keys.append(try TrustedPublicKey(pem: lines.joined(separator: "\n")))
                    block = nil
                }
            }
            guard block == nil, !keys.isEmpty else {
                throw KeyError.pemMissingArmor(expectedLabel: TrustedPublicKey.pemLabel)
            }
            return keys
        }
    }
}
