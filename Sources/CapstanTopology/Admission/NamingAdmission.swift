import CapstanModel

/// Naming templates must render (for cluster `cluster`, topologies `mdtopology`/`mptopology`) to a DNS-1123
/// subdomain (clusterclass.go `validateNamingStrategies`).
enum NamingAdmission {
    static func validate(_ cc: ClusterClassModel) -> [FieldError] {
        var errs: [FieldError] = []
        let probe = NameGenerator(namespace: "", clusterName: "cluster")
        func check(_ template: String, _ p: FieldPath, _ what: String, _ extra: ObjectMap) {
            guard !template.isEmpty else { return }
            let compiled: any CompiledTextTemplate
            do {
                compiled = try NameGenerator.parseNamingTemplate(template)
            } catch {
                errs.append(.invalid(p, template, "invalid \(what) name template: \(error.message)"))
                return
            }
            do {
                let name = try probe.templateName(compiled, extra: extra, ["admission"])
                for msg in KubeNames.dns1123SubdomainErrors(name) { errs.append(.invalid(p, template, msg)) }
            } catch {
                errs.append(.invalid(p, template, "invalid \(what) name template: rendering template: \(error.message)"))
            }
        }
        check(cc.infrastructureNamingTemplate, FieldPath("spec", "infrastructure", "naming", "template"), "InfraCluster", [:])
        check(cc.controlPlaneNamingTemplate, FieldPath("spec", "controlPlane", "naming", "template"), "ControlPlane", [:])
        for md in cc.machineDeploymentClasses {
            check(md.namingTemplate, FieldPath("spec", "workers", "machineDeployments").key(md.className).child("naming", "template"),
                  "MachineDeployment", ["machineDeployment": .map(["topologyName": "mdtopology"])])
        }
        for mp in cc.machinePoolClasses {
            check(mp.namingTemplate, FieldPath("spec", "workers", "machinePools").key(mp.className).child("naming", "template"),
                  "MachinePool", ["machinePool": .map(["topologyName": "mptopology"])])
        }
        return errs
    }
}
