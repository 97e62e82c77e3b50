import Foundation

/// A target, suite or profile found by `ResourceLocator`: its text and where it came from.
public struct LocatedResource: Sendable {
    public var kind: ResourceKind
    /// The id it was asked or listed by (the file name without `.yaml`).
    public var name: String
    public var origin: ResourceOrigin
    /// The file, or nil for a built-in.
    public var url: URL?
    /// How errors and run records name it: relative to the workspace root for a workspace file,
    /// `builtin:Suites/smoke.yaml` for a built-in, the full path otherwise.
    public var displayName: String
    public var text: String

    public init(kind: ResourceKind, name: String, origin: ResourceOrigin, url: URL?, displayName: String, text: String)
    {
        self.kind = kind
        self.name = name
        self.origin = origin
        self.url = url
        self.displayName = displayName
        self.text = text
    }

    /// `workspace /lab/Suites/smoke.yaml`, `built-in`: for `targets list` and `suites list`.
    public var whereFrom: String {
        url.map { "\(origin) \($0.path)" } ?? origin.description
    }
}
