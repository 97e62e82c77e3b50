import Foundation

/// DSSE v1 Pre-Authentication Encoding.
///
/// The signature covers `PAE(type, body)` rather than the body alone so that the
/// payload type is authenticated too and no two (type, body) pairs share bytes.
/// Spec: https://github.com/secure-systems-lab/dsse/blob/master/protocol.md
public enum PAE {
    /// `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, where LEN is the
    /// ASCII decimal byte length (no leading zeros) and SP is one 0x20 byte.
    public static func encode(payloadType: String, payload: Data) -> Data {
        let type = Data(payloadType.utf8)
        var out = Data("DSSEv1 \(type.count) ".utf8)
        out.append(type)
        out.append(contentsOf: Data(" \(payload.count) ".utf8))
        out.append(payload)
        return out
    }
}
