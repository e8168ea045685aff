import CapstanModel

/// Everything about one ClusterClass that does not depend on the Cluster, computed once and shared by every
/// render (and every thread): admission result, variable catalogue, fetched templates, control-plane
/// contract, parsed naming and patch templates.
final class ClassContext: Sendable {
    let key: ObjectKey
    let model: ClusterClassModel
    let source: SourceObject?
    /// ClusterClass admission problems; a Cluster of this class is not rendered while there are any.
    let admissionErrors: [FieldError]
    let variables: VariableSet
    let blueprint: Result<Blueprint, TopologyError>
    let contract: Result<ControlPlaneContract, TopologyError>
    let contractWarning: String?
    let infrastructureNaming: ParsedNaming
    let controlPlaneNaming: ParsedNaming
    let machineDeploymentNaming: [String: ParsedNaming]
    let machinePoolNaming: [String: ParsedNaming]
    let patches: [CompiledPatch]

    /// A naming template or its parse error.
    typealias ParsedNaming = Result<any CompiledTextTemplate, TopologyError>

    init(model: ClusterClassModel, source: SourceObject?, fleet: FleetIndex, live: any LiveState) {
        key = model.object.key
        self.model = model
        self.source = source
        admissionErrors = ClusterClassAdmission.validate(model)
        variables = VariableSet(model.variables)
        let bp: Result<Blueprint, TopologyError> = Result { () throws(TopologyError) in try Blueprint.load(model, fleet: fleet, live: live) }
        blueprint = bp
        var warning: String?
        switch bp {
        case .success(let b):
            do {
                // The contract belongs to the ControlPlane type (the template kind without "Template").
                var gvk = b.controlPlaneTemplate.gvk
                if gvk.kind.hasSuffix(CAPI.templateSuffix) { gvk.kind.removeLast(CAPI.templateSuffix.count) }
                let (c, w) = try ContractVersion.resolve(gvk, fleet: fleet, live: live)
                contract = .success(c)
                warning = w
            } catch {
                contract = .failure(error)
            }
        case .failure(let e):
            contract = .failure(e)
        }
        contractWarning = warning
        func naming(_ text: String, _ fallback: String) -> ParsedNaming {
            Result { () throws(TemplateFailure) in try NameGenerator.parseNamingTemplate(text.isEmpty ? fallback : text) }
                .mapError { TopologyError($0.message) }
        }
        infrastructureNaming = naming(model.infrastructureNamingTemplate, NameGenerator.defaultInfrastructureTemplate)
        controlPlaneNaming = naming(model.controlPlaneNamingTemplate, NameGenerator.defaultControlPlaneTemplate)
        var md: [String: ParsedNaming] = [:]
        for c in model.machineDeploymentClasses { md[c.className] = naming(c.namingTemplate, NameGenerator.defaultMachineDeploymentTemplate) }
        machineDeploymentNaming = md
        var mp: [String: ParsedNaming] = [:]
        for c in model.machinePoolClasses { mp[c.className] = naming(c.namingTemplate, NameGenerator.defaultMachinePoolTemplate) }
        machinePoolNaming = mp
        patches = model.patches.map(CompiledPatch.init)
    }

    var displayName: String { "ClusterClass \(key.namespace)/\(key.name)" }
}
