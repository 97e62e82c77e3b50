import AssayCertify
import Foundation
import Testing

/// Shared inputs: a fixed key (RFC 8032 test 1) and a certificate-shaped statement.
enum Fixtures {
    /// RFC 8032 §7.1 test 1 seed; its PEM forms below were written by Python `cryptography`.
    static let seed = hexData("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    static let privatePEM = """
        -----BEGIN PRIVATE KEY-----
        MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g
        -----END PRIVATE KEY-----

        """
    static let publicPEM = """
        -----BEGIN PUBLIC KEY-----
        MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=
        -----END PUBLIC KEY-----

        """
    static let publicRaw = hexData("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
    /// sha256 of `publicRaw`, computed by Python hashlib.
    static let keyID = "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9"

    static let key = try! SigningKey(seed: seed)
    static let predicateType = "https://assay.example/AdaptationCertificate/v0"
    static let runRecord = Data(#"{"run":"r-1","cases":[]}"#.utf8)
    /// A moment inside the validity window of `statement`.
    static let inside = RFC3339.date(from: "2025-06-01T00:00:00Z")!

    static func statement(
        notBefore: String = "2025-01-01T00:00:00Z",
        notAfter: String = "2026-01-01T00:00:00Z"
    ) -> InTotoStatement<JSONValue> {
        InTotoStatement(
            subject: [InTotoSubject(name: "run.json", contents: runRecord)],
            predicateType: predicateType,
            predicate: .object([
                "profile": .string("profiles/basic@1"),
                "result": .string("pass"),
                "counts": .object(["passed": .number(42), "failed": .number(0)]),
                "waived": .bool(false),
                "notBefore": .string(notBefore),
                "notAfter": .string(notAfter),
            ])
        )
    }

    static func payload(_ statement: InTotoStatement<JSONValue> = statement()) -> Data {
        try! statement.canonicalPayload()
    }

    static func envelope(_ payload: Data = payload(), key: SigningKey = key) -> DSSEEnvelope {
        try! EnvelopeSigner.sign(statementPayload: payload, payloadType: InToto.payloadType, key: key)
    }

    static func hexData(_ hex: String) -> Data {
        var bytes = [UInt8]()
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return Data(bytes)
    }
}

/// The error a verification throws, or nil when it succeeds.
/// (Untyped closure: Swift does not infer typed throws for closure bodies.)
func verificationError(_ body: () throws -> Void) -> VerificationError? {
    caught(VerificationError.self, body)
}

/// The error a key operation throws, or nil when it succeeds.
func keyError(_ body: () throws -> Void) -> KeyError? {
    caught(KeyError.self, body)
}

private func caught<E: Error>(_ type: E.Type, _ body: () throws -> Void) -> E? {
    do {
        try body()
        return nil
    } catch let error as E {
        return error
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}
