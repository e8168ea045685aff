public import CapstanModel

/// Everything a fleet tree holds at one revision: its objects with their locations, the problems found
/// while reading it, and lookups for the stages after it (render, policy, diff, the daemon).
public struct FleetSnapshot: Sendable {
    /// One file the snapshot read.
    public struct File: Sendable, Hashable {
        /// The path inside its tree.
        public var path: String
        /// The path as shown in locations and messages.
        public var displayPath: String
        public var contentID: String
        /// Objects the file defines (after expanding `kind: List`), including ones with problems.
        public var objectCount: Int

        public init(path: String, displayPath: String, contentID: String, objectCount: Int) {
            self.path = path
            self.displayPath = displayPath
            self.contentID = contentID
            self.objectCount = objectCount
        }
    }

    /// Objects in file order, then document order.
    public var objects: [FleetObject]
    /// Problems found while reading: syntax errors, identity problems. Never thrown, so one bad file
    /// does not hide the others.
    public var diagnostics: [Diagnostic]
    public var files: [File]

    private var byKey: [ObjectKey: Int]

    public init(objects: [FleetObject], diagnostics: [Diagnostic], files: [File]) {
        self.objects = objects
        self.diagnostics = diagnostics
        self.files = files
        var byKey: [ObjectKey: Int] = [:]
        for (i, o) in objects.enumerated() where byKey[o.key] == nil { byKey[o.key] = i }
        self.byKey = byKey
    }

    /// True when any diagnostic is an error.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// The object with this identity (the first definition if it is defined twice).
    public func object(_ key: ObjectKey) -> FleetObject? { byKey[key].map { objects[$0] } }

    /// Objects of one kind, optionally of one group, in snapshot order.
    public func objects(ofKind kind: String, group: String? = nil) -> [FleetObject] {
        objects.filter { $0.key.kind == kind && (group == nil || $0.key.group == group) }
    }

    /// Objects of one group and kind.
    public func objects(of groupKind: GroupKind) -> [FleetObject] {
        objects.filter { $0.key.groupKind == groupKind }
    }

    /// Objects in one namespace (as written).
    public func objects(inNamespace namespace: String) -> [FleetObject] {
        objects.filter { $0.key.namespace == namespace }
    }

    /// Diagnostics sorted by file, line and column (those without a location last).
    public var sortedDiagnostics: [Diagnostic] {
        diagnostics.enumerated().sorted { a, b in
            switch (a.element.location, b.element.location) {
            case (let x?, let y?): return x == y ? a.offset < b.offset : x < y
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a.offset < b.offset
            }
        }.map(\.element)
    }
}
