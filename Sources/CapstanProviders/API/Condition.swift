public import CapstanModel
import CapstanCluster

/// A `metav1.Condition` as stored in `status.conditions`.
public struct Condition: Sendable, Hashable {
    /// The tri-state condition status.
    public enum Status: String, Sendable, Hashable {
        case `true` = "True"
        case `false` = "False"
        case unknown = "Unknown"

        init(_ b: Bool) { self = b ? .true : .false }
    }

    public var type: String
    public var status: Status
    public var reason: String
    public var message: String
    /// RFC 3339, set when the status last changed.
    public var lastTransitionTime: String?
    public var observedGeneration: Int64?

    public init(_ type: String, _ status: Status, reason: String, message: String = "") {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
    }

    /// A True/False condition.
    init(_ type: String, _ ok: Bool, reason: String, message: String = "") {
        self.init(type, Status(ok), reason: reason, message: message)
    }

    /// Reads a stored condition (nil when `type` or `status` is missing).
    public init?(_ v: Value) {
        guard let type = v["type"]?.stringValue, let s = v["status"]?.stringValue else { return nil }
        self.type = type
        status = Status(rawValue: s) ?? .unknown
        reason = v["reason"]?.stringValue ?? ""
        message = v["message"]?.stringValue ?? ""
        lastTransitionTime = v["lastTransitionTime"]?.stringValue
        observedGeneration = v["observedGeneration"]?.intValue
    }

    /// The stored form, with fields in `metav1.Condition` order.
    public var value: Value {
        var m: ObjectMap = ["type": .string(type), "status": .string(status.rawValue)]
        if let observedGeneration { m["observedGeneration"] = .int(observedGeneration) }
        if let lastTransitionTime { m["lastTransitionTime"] = .string(lastTransitionTime) }
        m["reason"] = .string(reason)
        if !message.isEmpty { m["message"] = .string(message) }
        return .map(m)
    }

    public var isTrue: Bool { status == .true }
}

/// Reading and writing `status.conditions`.
public enum Conditions {
    /// Every condition of an object.
    public static func all(_ obj: KubeObject) -> [Condition] {
        obj.body[path: ["status", "conditions"]]?.listValue?.compactMap(Condition.init) ?? []
    }

    /// One condition of an object.
    public static func get(_ obj: KubeObject, _ type: String) -> Condition? {
        for v in obj.body[path: ["status", "conditions"]]?.listValue ?? [] where v["type"]?.stringValue == type {
            return Condition(v)
        }
        return nil
    }

    /// Whether a condition is present and True.
    public static func isTrue(_ obj: KubeObject, _ type: String) -> Bool { get(obj, type)?.status == .true }

    /// Whether a condition is present and False.
    public static func isFalse(_ obj: KubeObject, _ type: String) -> Bool { get(obj, type)?.status == .false }

    /// Merges `updates` into `status.conditions`: a condition whose status did not change keeps its
    /// `lastTransitionTime`; others get `now`. Conditions of other types (other writers') are kept.
    static func set(_ updates: [Condition], in status: inout Value, now: Moment, generation: Int64?) {
        var list = status["conditions"]?.listValue ?? []
        for var c in updates {
            c.observedGeneration = generation
            if let i = list.firstIndex(where: { $0["type"]?.stringValue == c.type }) {
                let old = Condition(list[i])
                c.lastTransitionTime = old?.status == c.status ? (old?.lastTransitionTime ?? now.description) : now.description
                list[i] = c.value
            } else {
                c.lastTransitionTime = now.description
                list.append(c.value)
            }
        }
        status["conditions"] = .list(list)
    }

    /// Removes conditions of the given types.
    static func remove(_ types: Set<String>, in status: inout Value) {
        guard let list = status["conditions"]?.listValue else { return }
        let kept = list.filter { !types.contains($0["type"]?.stringValue ?? "") }
        status["conditions"] = kept.isEmpty ? nil : .list(kept)
    }

    /// The instant a condition last changed, if recorded.
    static func since(_ c: Condition?) -> Moment? {
        guard let text = c?.lastTransitionTime, let ts = Timestamp(rfc3339: text) else { return nil }
        return Moment(ts)
    }
}
