import CapstanModel
import Testing

@testable import CapstanTopology

/// JSON patch quirks and copy-back rules the engine relies on (variables/patches spec §9.1, §9.2;
/// patches/engine_test.go, internal/util/patch/patch_test.go).
@Suite struct PatchEngineTests {
    func apply(_ doc: String, to target: String) -> String {
        do {
            return JSON.serialize(try JSONPatch(json(doc)).apply(to: json(target), options: .evanphx))
        } catch {
            return "error: \(error)"
        }
    }

    @Test func evanphxIndexRules() {
        #expect(apply(#"[{"op":"add","path":"/a/-1","value":9}]"#, to: #"{"a":[1,2]}"#) == #"{"a":[1,2,9]}"#)
        #expect(apply(#"[{"op":"add","path":"/a/-2","value":9}]"#, to: #"{"a":[1,2]}"#) == #"{"a":[1,9,2]}"#)
        #expect(apply(#"[{"op":"remove","path":"/a/-1"}]"#, to: #"{"a":[1,2]}"#) == #"{"a":[1]}"#)
        #expect(apply(#"[{"op":"replace","path":"/a/01","value":9}]"#, to: #"{"a":[1,2]}"#) == #"{"a":[1,9]}"#)
        #expect(apply(#"[{"op":"add","path":"/a/3","value":9}]"#, to: #"{"a":[1,2]}"#) == "error: Unable to access invalid index: 3: invalid index referenced")
    }

    @Test func evanphxMessages() {
        #expect(apply(#"[{"op":"add","path":"/spec/x/y","value":1}]"#, to: #"{"spec":{}}"#)
            == #"error: add operation does not apply: doc is missing path: "/spec/x/y": missing value"#)
        #expect(apply(#"[{"op":"replace","path":"/spec/x","value":1}]"#, to: #"{"spec":{}}"#)
            == "error: replace operation does not apply: doc is missing key: /spec/x: missing value")
        #expect(apply(#"[{"op":"remove","path":"/spec/x"}]"#, to: #"{"spec":{}}"#)
            == "error: error in remove for path: '/spec/x': unable to remove nonexistent key: x: missing value")
        // A key holding null counts as existing for replace; adding under a null parent fails.
        #expect(apply(#"[{"op":"replace","path":"/spec/x","value":1}]"#, to: #"{"spec":{"x":null}}"#) == #"{"spec":{"x":1}}"#)
        #expect(apply(#"[{"op":"add","path":"/spec/x/y","value":1}]"#, to: #"{"spec":{"x":null}}"#).hasPrefix("error: add operation does not apply"))
    }

    /// §9.2: only spec and the two metadata maps are copied back, each only when present; preserved
    /// fields win over what a patch wrote.
    @Test func copyBackPreservesTopologyFields() {
        var desired = json(#"{"metadata":{"name":"cp","labels":{"cluster.x-k8s.io/cluster-name":"c1","keep":"x"}},"spec":{"version":"v1.30.0","replicas":3,"other":1}}"#)
        let patched = json(#"{"metadata":{"name":"renamed"},"spec":{"template":{"metadata":{"labels":{"cluster.x-k8s.io/cluster-name":"evil","new":"y"}},"spec":{"version":"v9","replicas":9,"other":2}}}}"#)
        CopyFields.copy(into: &desired, from: patched, fields: CopyFields.objectFields,
                        preserving: ControlPlaneContract.preservedPaths + CopyFields.standardPreserved)
        #expect(JSON.serialize(desired, sortKeys: true)
            == #"{"metadata":{"labels":{"cluster.x-k8s.io/cluster-name":"c1","new":"y"},"name":"cp"},"spec":{"other":2,"replicas":3,"version":"v1.30.0"}}"#)
    }
}
