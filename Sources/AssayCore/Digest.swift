import Crypto
import Foundation

/// SHA-256 digests as lowercase hex, the form run records, certificates and fingerprints use.
public enum Digest {
    public static func sha256Hex(_ data: Data) -> String {
        Hex.encode(SHA256.hash(data: data))
    }

    public static func sha256Hex(_ text: String) -> String { sha256Hex(Data(text.utf8)) }

    public static func sha256Hex(fileAt url: URL) throws -> String { sha256Hex(try Data(contentsOf: url)) }
}
