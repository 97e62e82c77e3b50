import Foundation

/// The one JSON serialization used for signed payloads: JSONEncoder with sorted keys (not the
/// RFC 8785 canonical form of AssayProbe's `CanonicalJSON`, which fingerprints re-derive).
///
/// Sorted keys and unescaped slashes make the bytes stable across runs and
/// readable (URIs stay `https://…`, not `https:\/\/…`). This is a convention,
/// not a canonicalization scheme verifiers must repeat: the signature covers the
/// exact payload bytes, so verifiers never re-serialize.
public enum SortedKeysJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}
