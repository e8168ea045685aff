public import CapstanModel

/// One change to check: an operation on an object, with the object as written (or rendered), the
/// previous version for updates and deletes, and where it comes from for messages.
public struct AdmissionRequest: Sendable {
    public var operation: AdmissionOperation
    /// The new object; nil for DELETE.
    public var object: KubeObject?
    /// The previous object; nil for CREATE.
    public var oldObject: KubeObject?
    /// Where the object is written (file:line), when it is.
    public var location: SourceLocation?
    /// For rendered objects (a topology Cluster's MachineDeployment, control plane, ...): where the
    /// object they are derived from is written, reported when `location` is nil.
    public var derivedFrom: SourceLocation?

    public init(
        operation: AdmissionOperation, object: KubeObject?, oldObject: KubeObject? = nil, location: SourceLocation? = nil,
        derivedFrom: SourceLocation? = nil
    ) {
        self.operation = operation
        self.object = object
        self.oldObject = oldObject
        self.location = location
        self.derivedFrom = derivedFrom
    }

    /// A CREATE of `object`.
    public static func create(_ object: KubeObject, at location: SourceLocation? = nil, derivedFrom: SourceLocation? = nil) -> AdmissionRequest {
        AdmissionRequest(operation: .create, object: object, location: location, derivedFrom: derivedFrom)
    }

    /// An UPDATE from `oldObject` to `object`.
    public static func update(
        _ object: KubeObject, from oldObject: KubeObject, at location: SourceLocation? = nil, derivedFrom: SourceLocation? = nil
    ) -> AdmissionRequest {
        AdmissionRequest(operation: .update, object: object, oldObject: oldObject, location: location, derivedFrom: derivedFrom)
    }

    /// A DELETE of `oldObject`.
    public static func delete(_ oldObject: KubeObject, at location: SourceLocation? = nil) -> AdmissionRequest {
        AdmissionRequest(operation: .delete, object: nil, oldObject: oldObject, location: location)
    }

    /// The object the request is about (the new one, or the old one on DELETE).
    public var subject: KubeObject { object ?? oldObject ?? KubeObject(.map([:])) }

    /// The location to report: the object's own, else the one it is derived from.
    public var reportedLocation: SourceLocation? { location ?? derivedFrom }
}
