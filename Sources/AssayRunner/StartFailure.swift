import Foundation

/// The backend of a run could not be started; its directory holds a run.json that says so
/// (status `failed-to-start`, unless it was a resumed run, which keeps its status).
public struct StartFailure: Error, CustomStringConvertible {
    public var directory: URL
    public var reason: Error
    public var description: String { "\(reason)" }
}
