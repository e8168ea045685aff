import Testing

@testable import CapstanTopology

/// Cases follow exp/topology/desiredstate/upgrade_plan_test.go.
@Suite struct UpgradePlanTests {
    // TestGetUpgradePlanFromClusterClassVersions
    @Test(arguments: [
        (["v1.31.0"], "v1.31.0", "v1.31.0", [String]()),
        (["v1.31.0", "v1.32.0", "v1.32.1"], "v1.32.0", "v1.31.0", ["v1.32.0"]),
        (["v1.35.1", "v1.35.2", "v1.35.3"], "v1.35.3", "v1.35.1", ["v1.35.3"]),
        (["v1.35.1", "v1.35.2", "v1.35.3"], "v1.35.2", "v1.35.1", ["v1.35.2"]),
        (["v1.31.0", "v1.32.0", "v1.33.0"], "v1.33.0", "v1.31.0", ["v1.32.0", "v1.33.0"]),
        (["v1.31.0", "v1.31.1", "v1.32.0", "v1.32.2", "v1.32.3", "v1.33.0", "v1.33.1"], "v1.33.1", "v1.31.0", ["v1.32.3", "v1.33.1"]),
        (["v1.31.0", "v1.31.1", "v1.32.0-alpha.0", "v1.32.0-alpha.1", "v1.32.0-alpha.2", "v1.33.0", "v1.33.1"], "v1.33.1", "v1.31.0", ["v1.32.0-alpha.2", "v1.33.1"]),
        (["v1.31.0", "v1.31.1", "v1.32.0+foo.1-bar.1", "v1.32.0+foo.2-bar.1", "v1.32.0+foo.2-bar.2", "v1.33.0", "v1.33.1"], "v1.33.1", "v1.31.0", ["v1.32.0+foo.2-bar.2", "v1.33.1"]),
        (["v1.31.0+a", "v1.31.0+b", "v1.31.0+c", "v1.31.1+a", "v1.32.0+a", "v1.32.0+b", "v1.32.0+c", "v1.33.0+b", "v1.33.1+a", "v1.33.1+b", "v1.33.1+c"],
         "v1.33.1+b", "v1.31.0+b", ["v1.32.0+c", "v1.33.1+b"]),
        (["v1.31.1", "v1.32.0", "v1.33.0"], "v1.33.0", "v1.31.0", ["v1.32.0", "v1.33.0"]),
        (["v1.31.0", "v1.32.0", "v1.33.0"], "v1.33.0", "v1.31.2", ["v1.32.0", "v1.33.0"]),
        (["v1.32.0", "v1.33.0"], "v1.33.0", "v1.30.2", ["v1.32.0", "v1.33.0"]),
    ])
    func planFromClassVersions(versions: [String], desired: String, current: String, want: [String]) throws {
        let (cp, workers) = try UpgradePlan.fromClassVersions(versions)(desired, current, "")
        #expect(cp == want)
        #expect(workers.isEmpty)
    }

    // TestComputeUpgradePlan "upgrade sequence 3": workers step at minor m+3, then the target.
    @Test func workersNeverLagMoreThanThreeMinors() throws {
        let plan = try UpgradePlan.defaultAndValidate(desired: "v1.34.1", controlPlane: "v1.30.0", minWorkers: "v1.30.0",
                                                     cpPlan: ["v1.31.1", "v1.32.0", "v1.33.1", "v1.34.1"], workersPlan: [])
        #expect(plan == ["v1.33.1", "v1.34.1"])
        let later = try UpgradePlan.defaultAndValidate(desired: "v1.32.0", controlPlane: "v1.31.1", minWorkers: "v1.30.0",
                                                      cpPlan: ["v1.32.0"], workersPlan: [])
        #expect(later == ["v1.32.0"])
    }

    // TestComputeUpgradePlan validation errors.
    @Test func invalidControlPlanePlans() {
        func message(_ cp: [String], current: String = "v1.30.0", desired: String = "v1.33.1") -> String {
            do {
                _ = try UpgradePlan.defaultAndValidate(desired: desired, controlPlane: current, minWorkers: "", cpPlan: cp, workersPlan: [])
                return ""
            } catch {
                return error.message
            }
        }
        #expect(message(["v1.30.0"]) == "invalid ControlPlane upgrade plan: item 0; version v1.30.0 must be greater than v1.30.0")
        #expect(message(["v1.32.1"]) == "invalid ControlPlane upgrade plan: item 0; expecting a version with minor 30 or 31, found version v1.32.1")
        #expect(message(["v1.31.1", "v1.30.0"]) == "invalid ControlPlane upgrade plan: item 1; version v1.30.0 must be greater than v1.31.1")
        #expect(message(["v1.31.1", "v1.32.0"]) == "invalid ControlPlane upgrade plan: control plane upgrade plan must end with version v1.33.1, ends with v1.32.0 instead")
        #expect(message(["v1.33.1"], current: "v1.33.1") == "invalid ControlPlane upgrade plan: control plane is already at the desired version")
    }

    @Test func skewViolationIsRejected() {
        #expect(throws: TopologyError.self) {
            try UpgradePlan.defaultAndValidate(desired: "v1.34.1", controlPlane: "v1.34.1", minWorkers: "v1.30.0", cpPlan: [], workersPlan: ["v1.34.1"])
        }
    }

    // The default source: one minor at a time.
    @Test func oneMinorDefault() throws {
        #expect(try UpgradePlan.oneMinor("v1.31.0", "v1.30.4", "").0 == ["v1.31.0"])
        #expect(throws: TopologyError.self) { try UpgradePlan.oneMinor("v1.32.0", "v1.30.4", "") }
    }
}
