import CapstanModel
import CapstanTesting
import Testing

@testable import CapstanTopology

/// Rendered output per spec section, compared with `Golden/<name>.yaml`. Each case names the upstream
/// test (cluster-api exp/topology/desiredstate/desired_state_test.go, patches engine tests, ...) or spec
/// section it follows.
@Suite struct GoldenTests {
    static let base = "base/classes.yaml"

    static let cases: [GoldenCase] = [
        GoldenCase(name: "desired-state-full", follows: "desired_state_test.go TestComputeInfrastructureCluster, TestComputeControlPlane, TestComputeMachineDeployment, TestComputeMachinePool; spec §1-§5",
                   fleet: [base, "desired-state/full.yaml"]),
        GoldenCase(name: "desired-state-names", follows: "names_test.go (template generator, 63-character truncation); desired-state spec §6",
                   fleet: [base, "desired-state/names.yaml"]),
        GoldenCase(name: "contract-v1beta1", follows: "desired_state_test.go TestComputeControlPlane \"Should choose the correct setters for the contract version\"; spec §5.3",
                   fleet: [base, "contract/v1beta1.yaml"]),
        GoldenCase(name: "contract-v1beta1-live", follows: "desired_state_test.go TestComputeControlPlane \"Should respect the ref APIVersion of the current object\" and shim owner refs",
                   fleet: [base, "contract/v1beta1.yaml"], live: ["contract/v1beta1-live.yaml"]),
        GoldenCase(name: "upgrade-control-plane-starts", follows: "desired_state_test.go TestComputeControlPlaneVersion \"should return cluster.spec.topology.version if the control plane is not upgrading\" and TestComputeMachineDeploymentVersion pending cases",
                   fleet: [base, "upgrade/cluster.yaml"], live: ["upgrade/live-cp-stable-old.yaml"]),
        GoldenCase(name: "upgrade-control-plane-upgrading", follows: "desired_state_test.go TestComputeControlPlaneVersion \"should return control plane spec version if the control plane is upgrading\"; MD pending create",
                   fleet: [base, "upgrade/cluster.yaml"], live: ["upgrade/live-cp-upgrading.yaml"]),
        GoldenCase(name: "upgrade-workers", follows: "desired_state_test.go TestComputeMachineDeploymentVersion (concurrency, defer, hold-upgrade-sequence)",
                   fleet: [base, "upgrade/cluster.yaml"], live: ["upgrade/live-cp-upgraded.yaml"]),
        GoldenCase(name: "reconcile-rotation-and-deletion", follows: "reconcile_state_test.go TestReconcileMachineDeployments (rotation, delete removed MD), TestReconcileControlPlane (rotate and delete CP machine template)",
                   fleet: [base, "reconcile/cluster.yaml"], live: ["reconcile/live.yaml"]),
        GoldenCase(name: "patches-value-and-variable", follows: "patches engine_test.go TestApply (value, variable, builtin, selectors, preserved control-plane fields)",
                   fleet: [base, "patches/value-and-variable.yaml"]),
        GoldenCase(name: "conversion-v1beta1", follows: "api/core/v1beta1/conversion_test.go round trips; desired-state spec §2 field maps",
                   fleet: [base, "conversion/v1beta1.yaml"]),
        GoldenCase(name: "patches-templates", follows: "patches/inline/json_patch_generator_test.go TestGenerate (template values, enabledIf), TestCalculateValue; spec §8.4 worked example, §9.5 YAML 1.1 table",
                   fleet: [base, "patches/templates.yaml"]),
        GoldenCase(name: "errors-templates", follows: "json_patch_generator_test.go error cases; spec §12 (number comparison, .inf, unknown function)",
                   fleet: [base, "errors/templates.yaml"]),
        GoldenCase(name: "errors", follows: "variables/patches spec §12 strictness table",
                   fleet: [base, "errors/classes.yaml", "errors/clusters.yaml"]),
    ]

    @Test(arguments: cases)
    func golden(_ c: GoldenCase) throws {
        try Golden.check(GoldenRunner.report(try GoldenRunner.render(c)), named: c.name + ".yaml")
    }

    /// Rendering twice gives identical bytes.
    @Test(arguments: cases)
    func deterministic(_ c: GoldenCase) throws {
        #expect(GoldenRunner.report(try GoldenRunner.render(c)) == GoldenRunner.report(try GoldenRunner.render(c)))
    }
}
