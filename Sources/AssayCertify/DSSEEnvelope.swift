import Foundation

/// A DSSE v1 JSON envelope (https://github.com/secure-systems-lab/dsse/blob/master/envelope.md):
/// `{"payload": b64, "payloadType": "…", "signatures": [{"keyid": "…", "sig": b64}]}`.
///
/// `payload` and `sig` stay base64 strings (written in the standard alphabet, padded; read in
/// either alphabet, as DSSE allows) so that
/// malformed JSON and malformed base64 are told apart at verification time.
public struct DSSEEnvelope: Codable, Sendable, Equatable {
    public struct Signature: Codable, Sendable, Equatable {
        /// Optional and unauthenticated per DSSE: a hint for picking a key, never trusted.
        public var keyid: String?
        public var sig: String

        public init(keyid: String?, sig: String) {
            self.keyid = keyid
            self.sig = sig
        }
    }

    public var payload: String
    public var payloadType: String
    public var signatures: [Signature]

    public init(payload: String, payloadType: String, signatures: [Signature]) {
        self.payload = payload
        self.payloadType = payloadType
        self.signatures = signatures
    }

    /// Parses an envelope file's bytes; any JSON or shape problem, including invalid UTF-8,
    /// trailing data and a duplicate key (`StrictJSON`), is `.malformedEnvelope(.invalidJSON)`.
    public init(jsonData: Data) throws(VerificationError) {
        do throws(StrictJSON.Problem) {
            try StrictJSON.check(jsonData)
        } catch {
            throw .malformedEnvelope(.invalidJSON(error.description))
        }
        do {
            self = try JSONDecoder().decode(DSSEEnvelope.self, from: jsonData)
        } catch {
            throw .malformedEnvelope(.invalidJSON(DecodingProblem.describe(error)))
        }
    }

    /// The envelope as pretty, key-sorted JSON for writing to a file.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// The decoded payload bytes.
    public func decodedPayload() throws(VerificationError) -> Data {
        try Self.decodeBase64(payload, field: "payload")
    }

    /// Standard or URL-safe alphabet, as DSSE allows, padded (as Python's decoders require, so
    /// that both read the same bytes); never both alphabets at once.
    static func decodeBase64(_ text: String, field: String) throws(VerificationError) -> Data {
        var standard = text
        if text.contains(where: { $0 == "-" || $0 == "_" }) {
            guard !text.contains(where: { $0 == "+" || $0 == "/" }) else {
                throw .malformedEnvelope(.invalidBase64(field: field))
            }
            standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        }
        guard let data = Data(base64Encoded: standard) else {
            throw .malformedEnvelope(.invalidBase64(field: field))
        }
        return data
    }
}
