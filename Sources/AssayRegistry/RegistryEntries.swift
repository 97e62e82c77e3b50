import Foundation

/// A target as the registry knows it (described by its newest run's descriptor).
public struct TargetEntry: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var kind: String
    public var vendor: String?
    public var model: String?
    public var os: String?
    public var runs: Int
    public var lastStartedAt: String
}

/// One stored run.
public struct RunEntry: Codable, Sendable, Equatable {
    public var targetID: String
    public var runID: String
    public var status: String
    public var startedAt: String
    public var finishedAt: String?
    public var backend: String
    public var os: String?
    public var versions: [String: String]
    public var suites: [String]
    public var counts: [String: Int]
    public var attested: Bool
    public var station: String?
    public var reportPath: String?
    public var fingerprint: String
}

/// One stored certificate; `validity` is judged at the time the query was made.
public struct CertificateEntry: Codable, Sendable, Equatable {
    public enum Validity: String, Codable, Sendable {
        case valid, expired
        case notYetValid = "not-yet-valid"
    }
    public var payloadSHA256: String
    public var targetID: String
    public var runID: String
    public var profileID: String
    public var profileVersion: String
    public var profileTitle: String
    public var level: String
    public var issuer: String
    public var issuerKeyID: String
    public var issuedAt: String
    public var notBefore: String
    public var notAfter: String
    public var validity: Validity
}

/// A performance case in one run, for a trend across runs.
public struct TrendPoint: Codable, Sendable, Equatable {
    public var runID: String
    public var startedAt: String
    public var medianNanoseconds: Double?
    public var ciLowNanoseconds: Double?
    public var ciHighNanoseconds: Double?
    public var flopsPerSecond: Double?
    public var bytesPerSecond: Double?
    public var percentOfPeak: Double?
    public var versions: [String: String]
}

/// What `list` and the site select on; nil matches everything.
public struct RegistryFilter: Sendable, Equatable {
    public var target: String?
    public var vendor: String?
    public var kind: String?
    public var os: String?
    public var profile: String?

    public init(
        target: String? = nil,
        vendor: String? = nil,
        kind: String? = nil,
        os: String? = nil,
        profile: String? = nil
    ) {
        self.target = target
        self.vendor = vendor
        self.kind = kind
        self.os = os
        self.profile = profile
    }
}
