import AssayCore
import Foundation

/// What must agree for two runs' figures to be comparable: the same target (its id and its
/// descriptor, waivers aside), the same backend build, and the same host environment.
public struct RunIdentity: Codable, Sendable, Equatable {
    public var targetID: String
    /// sha256 of the descriptor as canonical JSON (sorted keys, no whitespace) with `waivers`
    /// removed: a waiver changes what a failure means, not what was measured.
    public var descriptorDigest: String
    public var backendName: String
    public var backendVersion: String
    /// The environment fingerprint (docs/FORMATS.md).
    public var fingerprint: String

    public init(
        targetID: String,
        descriptorDigest: String,
        backendName: String,
        backendVersion: String,
        fingerprint: String
    ) {
        self.targetID = targetID
        self.descriptorDigest = descriptorDigest
        self.backendName = backendName
        self.backendVersion = backendVersion
        self.fingerprint = fingerprint
    }

    public init(_ record: RunRecord) {
        self.init(
            targetID: record.target.value.id,
            descriptorDigest: Self.descriptorDigest(record.target.value),
            backendName: record.backend.name,
            backendVersion: record.backend.version,
            fingerprint: record.environment.fingerprint
        )
    }

    /// The canonical digest of `descriptor` without its waivers. Works on the encoded form, so
    /// it holds whatever fields the descriptor gains (or if waivers move out of it).
    public static func descriptorDigest(_ descriptor: TargetDescriptor) -> String {
        let encoder = RecordCoding.encoder(pretty: false)
        guard let data = try? encoder.encode(descriptor),
            var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else {
            return "unencodable"
        }
        object.removeValue(forKey: "waivers")
        guard
            let canonical = try? JSONSerialization.data(
                withJSONObject: object,
                options: [.sortedKeys, .withoutEscapingSlashes]
            )
        else {
            return "unencodable"
        }
        return Digest.sha256Hex(String(decoding: canonical, as: UTF8.self))
    }
}
