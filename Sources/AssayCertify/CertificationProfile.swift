import AssayCore
import Foundation

/// What a run must show to earn an adaptation certificate (`Profiles/<id>.yaml`, docs/FORMATS.md).
///
/// Levels are ordered and cumulative: a level is reached when its own requirements and those
/// of every level before it hold. The run being `complete` is a requirement of every level.
public struct CertificationProfile: Sendable, Equatable {
    /// The requirement families a level can list.
    public enum Requirement: String, Sendable, CaseIterable {
        /// The required suites are in the run, with every planned case finished.
        case suites
        /// Every case's outcome is an accepted one (waivers of allowed categories only).
        case outcomes
        /// At most `maxUnsupportedFraction` of the cases are `unsupported`.
        case unsupportedFraction = "unsupported_fraction"
        /// The performance floors tagged with this level hold.
        case performanceFloors = "performance_floors"
    }

    /// Suites that must be in the run: any one of `anyOf`; with `ifPresent`, only
    /// checked (for completeness) when the run has one of them.
    public struct SuiteRequirement: Sendable, Equatable {
        public var anyOf: [String]
        public var ifPresent: Bool
        public init(anyOf: [String], ifPresent: Bool = false) {
            self.anyOf = anyOf
            self.ifPresent = ifPresent
        }
    }

    /// Which outcomes count as passing.
    public struct PassingPolicy: Sendable, Equatable {
        public var outcomes: Set<Outcome>
        /// Waiver categories whose `waived` cases count; empty unless `waived` is accepted.
        public var waiverCategories: Set<Waiver.Category>
        public init(outcomes: Set<Outcome>, waiverCategories: Set<Waiver.Category> = []) {
            self.outcomes = outcomes
            self.waiverCategories = waiverCategories
        }
    }

    public struct Level: Sendable, Equatable {
        public var id: String
        public var title: String
        public var requires: [Requirement]
        /// Suites this level adds (`suites:` in the level): in the run, complete, and none of
        /// their cases `unsupported` unless not applicable (a server level needs its collectives run).
        public var suites: [SuiteRequirement] = []
        /// `applies_to: multi_device`: the level exists only for multi-rank targets (more than
        /// one rank); on any other target it is skipped, neither reached nor in the way.
        public var multiDeviceOnly = false
        public init(id: String, title: String, requires: [Requirement]) {
            self.id = id
            self.title = title
            self.requires = requires
        }
    }

    public var id: String
    public var version: String
    public var title: String
    public var requiredSuites: [SuiteRequirement]
    public var passing: PassingPolicy
    /// Largest accepted share (0–1) of `unsupported` cases; nil for no limit.
    public var maxUnsupportedFraction: Double?
    public var performanceFloors: [PerformanceFloor]
    /// Lowest first; the first level is what "passed" means.
    public var levels: [Level]
    public var validityDays: Int
    /// sha256 of the profile file's text, for the certificate.
    public var sha256: String
    /// Where it was read from, for messages.
    public var file: String
    /// The target kinds the profile certifies (`target_kinds`); nil for any kind.
    public var targetKinds: [TargetDescriptor.Kind]? = nil
    /// The run whose figures stand in for peaks a descriptor does not declare (`reference_run`); nil for none.
    public var referenceRun: ReferenceRun? = nil

    public init(
        id: String,
        version: String,
        title: String,
        requiredSuites: [SuiteRequirement],
        passing: PassingPolicy,
        maxUnsupportedFraction: Double? = nil,
        performanceFloors: [PerformanceFloor] = [],
        levels: [Level],
        validityDays: Int,
        sha256: String = "",
        file: String = ""
    ) {
        self.id = id
        self.version = version
        self.title = title
        self.requiredSuites = requiredSuites
        self.passing = passing
        self.maxUnsupportedFraction = maxUnsupportedFraction
        self.performanceFloors = performanceFloors
        self.levels = levels
        self.validityDays = validityDays
        self.sha256 = sha256
        self.file = file
    }
}
