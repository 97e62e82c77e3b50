import AssayCertify
import Foundation

/// How ingest judges what it is given.
public struct IngestOptions: Sendable {
    /// Issuer keys a certificate must verify with (`--trust`, PEM blocks as in a station trust file).
    public var issuers: StationTrust?
    /// Station keys whose run attestations are checked (`--station-pubkey`); a run whose
    /// attestation does not hold up against them is refused. Nil: runs are stored unaudited.
    public var stations: StationTrust?
    /// Keep every raw performance sample (`--samples`) instead of one median per round.
    public var keepSamples = false
    /// Where relative report paths are taken from (the site links to each run's report).
    public var root: URL

    public init(issuers: StationTrust? = nil, stations: StationTrust? = nil, keepSamples: Bool = false, root: URL) {
        self.issuers = issuers
        self.stations = stations
        self.keepSamples = keepSamples
        self.root = root
    }
}

/// What ingest did with one input.
public struct IngestOutcome: Sendable, Equatable, Codable {
    public enum Action: String, Sendable, Codable {
        /// Stored now.
        case added
        /// Already stored with the same bytes: nothing changed.
        case unchanged
        /// Stored before with other bytes (a resumed run): its rows were replaced.
        case replaced
        /// Not stored; `reason` says why.
        case refused
    }
    public var path: String
    public var kind: String
    public var action: Action
    public var detail: String
}
