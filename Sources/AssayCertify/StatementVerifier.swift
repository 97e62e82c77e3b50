import AssayCore
import Foundation

/// Checks an authenticated payload as an in-toto Statement v1 certificate.
///
/// Run it only on bytes `EnvelopeVerifier` returned: nothing here is a security
/// check on its own. The validity window is read from two predicate keys,
/// whatever the rest of the predicate looks like:
/// - `notBefore`: RFC 3339 string, first instant the certificate is valid;
/// - `notAfter`:  RFC 3339 string, last instant it is valid (both inclusive).
/// Every subject must carry a sha256 digest (64 hex digits).
public enum StatementVerifier {
    public static let notBeforeKey = "notBefore"
    public static let notAfterKey = "notAfter"

    /// - Parameter expectedSubjects: subject name → sha256 hex (any case) that
    ///   must each appear in the statement with exactly that digest; nil skips the check.
    /// - Returns: the statement, predicate as generic JSON.
    @discardableResult
    public static func check(
        payload: Data,
        expectedPredicateType: String,
        at now: Date = Date(),
        expectedSubjects: [String: String]? = nil
    ) throws(VerificationError) -> InTotoStatement<JSONValue> {
        let statement = try parse(payload)
        guard statement.predicateType == expectedPredicateType else {
            throw .wrongPredicateType(expected: expectedPredicateType, found: statement.predicateType)
        }
        let notBefore = try timestamp(notBeforeKey, in: statement.predicate)
        let notAfter = try timestamp(notAfterKey, in: statement.predicate)
        guard notBefore <= notAfter else {
            throw .malformedStatement("\(notBeforeKey) is after \(notAfterKey)")
        }
        if now < notBefore { throw .notYetValid(notBefore: notBefore, now: now) }
        if now > notAfter { throw .expired(notAfter: notAfter, now: now) }
        // Sorted so that the reported mismatch is the same on every run.
        for (name, expected) in (expectedSubjects ?? [:]).sorted(by: { $0.key < $1.key }) {
            let found = statement.subject.first { $0.name == name }?.sha256?.lowercased()
            guard found == expected.lowercased() else {
                throw .subjectDigestMismatch(name: name, expected: expected.lowercased(), found: found)
            }
        }
        return statement
    }

    private static func parse(_ payload: Data) throws(VerificationError) -> InTotoStatement<JSONValue> {
        let statement: InTotoStatement<JSONValue>
        do throws(StrictJSON.Problem) {
            try StrictJSON.check(payload)
        } catch {
            throw .malformedStatement("not an in-toto statement (not strict JSON: \(error.description))")
        }
        do {
            statement = try JSONDecoder().decode(InTotoStatement<JSONValue>.self, from: payload)
        } catch {
            throw .malformedStatement("not an in-toto statement (\(DecodingProblem.describe(error)))")
        }
        guard statement.type == InToto.statementType else {
            throw .malformedStatement("_type is '\(statement.type)', expected '\(InToto.statementType)'")
        }
        guard !statement.subject.isEmpty else {
            throw .malformedStatement("statement has no subject")
        }
        for subject in statement.subject {
            guard let digest = subject.sha256, Hex.isHex(digest, length: 64) else {
                throw .malformedStatement("subject '\(subject.name)' has no valid sha256 digest")
            }
        }
        return statement
    }

    private static func timestamp(_ key: String, in predicate: JSONValue) throws(VerificationError) -> Date {
        guard let value = predicate[key] else {
            throw .malformedStatement("predicate has no '\(key)'")
        }
        guard let text = value.stringValue, let date = RFC3339.date(from: text) else {
            throw .malformedStatement("predicate '\(key)' is not an RFC 3339 timestamp")
        }
        return date
    }
}
