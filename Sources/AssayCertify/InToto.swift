/// Fixed identifiers of the in-toto attestation framework.
///
/// Kept outside `InTotoStatement` because a generic type cannot hold static
/// stored properties.
public enum InToto {
    /// `_type` of an in-toto Statement v1.
    public static let statementType = "https://in-toto.io/Statement/v1"
    /// DSSE `payloadType` for an in-toto statement.
    public static let payloadType = "application/vnd.in-toto+json"
}
