import CapstanModel

/// A CEL list: either CEL values, or a JSON array read lazily (elements convert on access).
public struct CELList: Sendable, RandomAccessCollection {
    enum Storage: Sendable {
        case values([CELValue])
        case json([Value])
    }
    let storage: Storage

    /// A list of CEL values.
    public init(_ values: [CELValue]) { storage = .values(values) }

    /// A view of a JSON array.
    init(json: [Value]) { storage = .json(json) }

    public var startIndex: Int { 0 }
    public var endIndex: Int {
        switch storage {
        case .values(let v): v.count
        case .json(let j): j.count
        }
    }

    public subscript(position: Int) -> CELValue {
        switch storage {
        case .values(let v): v[position]
        case .json(let j): CELValue(j[position])
        }
    }

    /// The elements as an array of CEL values.
    public var values: [CELValue] {
        switch storage {
        case .values(let v): v
        case .json(let j): j.map { CELValue($0) }
        }
    }

    /// Concatenation (`l1 + l2`).
    static func + (lhs: CELList, rhs: CELList) -> CELList {
        if lhs.isEmpty { return rhs }
        if rhs.isEmpty { return lhs }
        if case .json(let a) = lhs.storage, case .json(let b) = rhs.storage { return CELList(json: a + b) }
        return CELList(lhs.values + rhs.values)
    }
}
