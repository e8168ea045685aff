import Foundation
import Synchronization

/// Resolves the time zone argument of the timestamp accessors (`getHours('Europe/Paris')`).
///
/// Fixed offsets (`"+05:30"`, `"-02:30"`) are parsed here. IANA names (`"America/St_Johns"`, `"UTC"`,
/// `"US/Central"`) come from Foundation's `TimeZone`, which on Linux reads the ICU time zone data
/// shipped with the Swift toolchain: no file is read by this module and results do not depend on the
/// host's `/usr/share/zoneinfo`.
enum TimeZones {
    /// The offset from UTC in seconds at `instant` for `zone`, or an error message.
    static func offset(_ zone: String, at instant: CELTimestamp) -> Result<Int, CELEvalErrorMessage> {
        if let colon = zone.firstIndex(of: ":") {
            // cel-go: "[+-]hh:mm", hours parsed as a signed integer, minutes 0...59.
            guard let h = Int(zone[..<colon]), let m = Int(zone[zone.index(after: colon)...]) else {
                return .failure(CELEvalErrorMessage("invalid time zone offset: \(zone)"))
            }
            guard (0...59).contains(m) else {
                return .failure(CELEvalErrorMessage("timezone offset minutes out of range [0, 59]: \(zone)"))
            }
            let minutes = zone.hasPrefix("-") ? h * 60 - m : h * 60 + m
            return .success(minutes * 60)
        }
        if zone == "UTC" || zone.isEmpty { return .success(0) }
        guard let tz = cache.zone(zone) else {
            return .failure(CELEvalErrorMessage("unknown time zone \(zone)"))
        }
        return .success(tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant.seconds))))
    }

    static let cache = ZoneCache()
}

/// A message for an error produced outside an expression node.
struct CELEvalErrorMessage: Error {
    let text: String
    init(_ text: String) { self.text = text }
}

/// Caches `TimeZone` lookups by name (ICU lookups are slow compared to an evaluation).
final class ZoneCache: Sendable {
    private let zones = Mutex<[String: TimeZone?]>([:])

    func zone(_ name: String) -> TimeZone? {
        if let hit = zones.withLock({ $0[name] }) { return hit }
        let tz = TimeZone(identifier: name)
        zones.withLock { $0[name] = .some(tz) }
        return tz
    }
}
