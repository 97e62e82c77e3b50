import AssayCore
import Crypto
import Foundation

/// An in-toto Statement v1 (https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md).
///
/// Generic over the predicate so the issuer encodes a typed predicate (e.g. the
/// adaptation predicate) while the verifier reads any predicate as `JSONValue`.
public struct InTotoStatement<Predicate: Codable & Sendable>: Codable, Sendable {
    /// Always `InToto.statementType` when built here; decoded as-is so the
    /// verifier can report a wrong value instead of a decoding failure.
    public var type: String
    public var subject: [InTotoSubject]
    public var predicateType: String
    public var predicate: Predicate

    public init(subject: [InTotoSubject], predicateType: String, predicate: Predicate) {
        self.type = InToto.statementType
        self.subject = subject
        self.predicateType = predicateType
        self.predicate = predicate
    }

    enum CodingKeys: String, CodingKey {
        case type = "_type"
        case subject, predicateType, predicate
    }

    /// The bytes to sign as the DSSE payload (see `SortedKeysJSON`).
    public func canonicalPayload() throws -> Data {
        try SortedKeysJSON.encode(self)
    }
}

extension InTotoStatement: Equatable where Predicate: Equatable {}

/// A statement subject: an artifact name and its digests by algorithm.
public struct InTotoSubject: Codable, Sendable, Equatable {
    public var name: String
    /// Algorithm name → lowercase hex digest, e.g. `["sha256": "ab12…"]`.
    public var digest: [String: String]

    public init(name: String, sha256 hex: String) {
        self.name = name
        self.digest = ["sha256": hex.lowercased()]
    }

    /// A subject naming `name` whose sha256 is computed over `contents`.
    public init(name: String, contents: Data) {
        self.init(name: name, sha256: Hex.encode(SHA256.hash(data: contents)))
    }

    public var sha256: String? { digest["sha256"] }
}
