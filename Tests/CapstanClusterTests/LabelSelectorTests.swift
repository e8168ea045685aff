import CapstanCluster
import CapstanModel
import Testing

/// Label selector parsing and matching (pure).
@Suite struct LabelSelectorTests {
    @Test(arguments: [
        ("a=b", "a=b"), ("a==b", "a=b"), ("a!=b", "a!=b"), ("a", "a"), ("!a", "!a"),
        ("env in (prod, dev)", "env in (dev,prod)"), ("x notin (1,2),y", "x notin (1,2),y"),
        ("b=1,a=2", "a=2,b=1"), ("example.com/tier=gold", "example.com/tier=gold"), ("n>3", "n>3"), ("", ""),
    ])
    func parsesAndPrintsCanonically(_ input: String, _ canonical: String) throws {
        #expect(try LabelSelector(parsing: input).description == canonical)
    }

    @Test(arguments: ["a in b", "a in ()", "=b", "a=b,", "a!b", "bad key=1", "a=in valid!", "n>x"])
    func rejectsMalformedSelectors(_ input: String) {
        #expect(throws: ClusterError.self) { try LabelSelector(parsing: input) }
    }

    @Test func matchingFollowsKubernetes() throws {
        let labels = ["env": "prod", "tier": "gold", "n": "5"]
        func m(_ s: String) throws -> Bool { try LabelSelector(parsing: s).matches(labels) }
        #expect(try m("env=prod"))
        #expect(try !m("env=dev"))
        #expect(try m("missing!=x"), "!= matches objects without the key")
        #expect(try m("missing notin (x)"), "notin matches objects without the key")
        #expect(try !m("missing in (x)"))
        #expect(try m("tier,!missing"))
        #expect(try !m("!tier"))
        #expect(try m("n>4"))
        #expect(try !m("n<5"))
        #expect(try m(""))
    }

    @Test func readsMatchLabelsAndMatchExpressions() throws {
        let value: Value = [
            "matchLabels": ["cluster.x-k8s.io/cluster-name": "c1"],
            "matchExpressions": [["key": "role", "operator": "In", "values": ["worker", "infra"]], ["key": "legacy", "operator": "DoesNotExist"]],
        ]
        let s = try LabelSelector(value: value)
        #expect(s.description == "cluster.x-k8s.io/cluster-name=c1,!legacy,role in (infra,worker)")
        #expect(s.matches(["cluster.x-k8s.io/cluster-name": "c1", "role": "worker"]))
        #expect(!s.matches(["cluster.x-k8s.io/cluster-name": "c1", "role": "worker", "legacy": "y"]))
        let bad: Value = ["matchExpressions": [["key": "a", "operator": "In"]]]
        #expect(throws: ClusterError.badRequest("spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'")) {
            try LabelSelector(value: bad, field: "spec.selector")
        }
    }
}
