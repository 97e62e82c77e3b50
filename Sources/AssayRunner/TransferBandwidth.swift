import AssayBackend
import AssayBench
import Foundation

/// Host↔device copy bandwidth through a `DeviceBackend`: per route (direction × pinned or
/// pageable host memory) the median of `samples` timed copies of `bytes` bytes. A route the
/// backend answers `unsupported` keeps its reason; any other failure ends the measurement.
struct TransferBandwidth {
    struct Route: Hashable {
        var direction: TransferDirection
        var pinned: Bool
        /// Figure names in the record: `h2d_pinned`, `d2h_pageable`…
        var key: String { "\(direction.rawValue)_\(pinned ? "pinned" : "pageable")" }
        static let all = TransferDirection.allCases.flatMap { direction in
            [true, false].map { Route(direction: direction, pinned: $0) }
        }
    }

    let bytes: Int
    let samples: Int
    /// GB/s (10⁹ bytes/s) of each measured route.
    var gbs: [Route: Double] = [:]
    /// The backend's reason for each route it cannot copy.
    var unsupported: [Route: String] = [:]

    static func measure(_ device: DeviceBackend, bytes: Int, samples: Int) throws -> TransferBandwidth {
        var result = TransferBandwidth(bytes: bytes, samples: samples)
        for route in Route.all {
            do {
                let elapsed = try device.transfer(
                    direction: route.direction,
                    bytes: bytes,
                    pinned: route.pinned,
                    samples: samples
                ).sorted()
                let median = Statistics.quantile(sorted: elapsed, 0.5)
                // A copy of many MiB cannot take no time; the plugin's timer is broken.
                guard median > 0 else {
                    throw BackendError.internal("transfer \(route.key): a copy of \(bytes) bytes timed at \(median) ns")
                }
                result.gbs[route] = Double(bytes) / median  // bytes per ns = GB/s
            } catch BackendError.unsupported(let reason) {
                result.unsupported[route] = reason
            }
        }
        return result
    }

    /// The backend's reason for the first route (in `Route.all` order) it could not copy.
    var firstUnsupportedReason: String? { Route.all.lazy.compactMap { unsupported[$0] }.first }

    /// The faster of the pinned and pageable copies; nil when neither ran.
    func best(_ direction: TransferDirection) -> Double? {
        [true, false].compactMap { gbs[Route(direction: direction, pinned: $0)] }.max()
    }

    /// `<route>_gbs` per measured route, plus the copy size and sample count.
    var figures: [String: Double] {
        var figures = ["bytes": Double(bytes), "samples": Double(samples)]
        for (route, value) in gbs { figures["\(route.key)_gbs"] = value }
        return figures
    }

    /// `h2d: pinned 52.3 GB/s, pageable 11.8 GB/s; d2h: …; median of 10 copies of 256 MiB`.
    var summary: String {
        let directions = TransferDirection.allCases.map { direction in
            let routes = [true, false].map { pinned in
                let route = Route(direction: direction, pinned: pinned)
                let name = pinned ? "pinned" : "pageable"
                return gbs[route].map { String(format: "\(name) %.1f GB/s", $0) } ?? "\(name) unsupported"
            }
            return "\(direction.rawValue): " + routes.joined(separator: ", ")
        }
        var text = directions.joined(separator: "; ") + "; median of \(samples) copies of \(Self.size(bytes))"
        if let reason = firstUnsupportedReason { text += " (unsupported: \(reason))" }
        return text
    }

    static func size(_ bytes: Int) -> String {
        bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
    }
}
