import Foundation

/// The one JSON dialect of Assay's files: sorted keys, ISO 8601 dates, and NaN/±inf as the
/// strings "nan", "inf", "-inf" (evidence must be able to show a NaN where a number was due).
public enum RecordCoding {
    /// The strings that stand for +inf, -inf and NaN, written and read alike.
    static let nonFinite = (positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")

    public static func encoder(pretty: Bool = true) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: nonFinite.positiveInfinity,
            negativeInfinity: nonFinite.negativeInfinity,
            nan: nonFinite.nan
        )
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: nonFinite.positiveInfinity,
            negativeInfinity: nonFinite.negativeInfinity,
            nan: nonFinite.nan
        )
        return decoder
    }
}
