import Foundation

/// Something that happened to a run outside any case (a failed ceiling probe, a failed start):
/// kept in run.json so that a failure before the first case is visible, not silent.
public struct RunEvent: Codable, Sendable, Equatable {
    public enum Stage: String, Codable, Sendable {
        /// Starting the backend and its handshake.
        case start
        /// Measuring the target's copy/GEMM ceilings before the first case.
        case ceilings
        /// The backend while cases run (a restarted plugin that greeted with another identity).
        case backend
    }

    public var stage: Stage
    public var message: String
    public var at: Date

    public init(stage: Stage, message: String, at: Date = Date()) {
        self.stage = stage
        self.message = message
        self.at = at
    }
}
