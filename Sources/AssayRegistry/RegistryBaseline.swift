import AssayCore
import Foundation

/// `registry:TARGET[@REF]`, the gate's baseline from a registry: TARGET's comparable history,
/// or with `@REF` the one run whose id is REF.
public struct RegistryBaseline: Sendable, Equatable {
    public static let prefix = "registry:"
    public var target: String
    public var ref: String?

    public static func isReference(_ text: String) -> Bool { text.hasPrefix(prefix) }

    public init(_ text: String) throws {
        let body = text.dropFirst(Self.prefix.count)
        let parts = body.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard Self.isReference(text), let target = parts.first, !target.isEmpty, parts.count == 1 || !parts[1].isEmpty
        else {
            throw RegistryError.badInput(
                file: "--baseline",
                message: "'\(text)' is not registry:TARGET or registry:TARGET@RUN-ID"
            )
        }
        self.target = target
        ref = parts.count == 2 ? parts[1] : nil
    }

    /// The runs, oldest first, and a name for the report's baseline source.
    public func load(from registry: Registry) throws -> ([RunRecord], String) {
        let records = try registry.baselineRecords(target: target, ref: ref)
        return (records, "\(registry.database.location) \(Self.prefix)\(target)" + (ref.map { "@\($0)" } ?? ""))
    }
}
