import CapstanCluster
import CapstanDiff
import CapstanModel
import CapstanYAML
import Testing

@Suite struct UnifiedDiffTests {
    @Test func hunksCarryContextAndMergeNearbyChanges() {
        let old = (1...20).map { "line \($0)" }
        var new = old
        new[4] = "line 5 changed"
        new[8] = "line 9 changed"      // 3 unchanged lines apart: one hunk
        new.remove(at: 17)             // far away: a second hunk
        let text = UnifiedDiff.render(old: old.joined(separator: "\n") + "\n", new: new.joined(separator: "\n") + "\n")
        #expect(text == """
            @@ -2,11 +2,11 @@
             line 2
             line 3
             line 4
            -line 5
            +line 5 changed
             line 6
             line 7
             line 8
            -line 9
            +line 9 changed
             line 10
             line 11
             line 12
            @@ -15,6 +15,5 @@
             line 15
             line 16
             line 17
            -line 18
             line 19
             line 20

            """)
    }

    @Test func createsAndDeletesAreWholeFiles() {
        #expect(UnifiedDiff.render(old: "", new: "a\nb\n") == "@@ -0,0 +1,2 @@\n+a\n+b\n")
        #expect(UnifiedDiff.render(old: "a\n", new: "") == "@@ -1 +0,0 @@\n-a\n")
        #expect(UnifiedDiff.render(old: "same\n", new: "same\n") == "")
    }

    @Test func editScriptsAreMinimal() {
        let a = ["a", "b", "c", "a", "b", "b", "a"], b = ["c", "b", "a", "b", "a", "c"]
        let hunks = UnifiedDiff.hunks(old: a, new: b, context: 0)
        let edits = hunks.flatMap(\.lines).filter { if case .context = $0 { return false }; return true }
        #expect(edits.count == 5)  // Myers' classic example: D = 5
        // Applying the hunks to `a` gives `b`.
        var rebuilt: [String] = []
        var i = 0
        for h in UnifiedDiff.hunks(old: a, new: b, context: 100) {
            while i < h.oldStart - 1 { rebuilt.append(a[i]); i += 1 }
            for l in h.lines {
                switch l {
                case .context(let s): rebuilt.append(s); i += 1
                case .removed: i += 1
                case .added(let s): rebuilt.append(s)
                }
            }
        }
        while i < a.count { rebuilt.append(a[i]); i += 1 }
        #expect(rebuilt == b)
    }

    @Test func yamlHunksIgnoreReorderingTheServerWouldNotSee() {
        let hunks = YAMLHunks(emit: { YAML.emit($0) })
        let old = object("""
            apiVersion: cluster.x-k8s.io/v1beta2
            kind: Cluster
            metadata: {name: c, namespace: team}
            spec:
              topology:
                version: v1.30.6
                variables: [{name: a, value: 1}, {name: b, value: 2}]
            """)
        let new = object("""
            apiVersion: cluster.x-k8s.io/v1beta2
            kind: Cluster
            metadata: {namespace: team, name: c}
            spec:
              topology:
                variables: [{name: b, value: 2}, {name: a, value: 1}]
                version: v1.31.2
            """)
        let change = ChangeSet.change(old: old, new: new)
        #expect(change.change.fieldChanges.map(\.description) == ["spec.topology.version: v1.30.6 → v1.31.2"])
        #expect(hunks.render(change) == """
            @@ -5,7 +5,7 @@
               namespace: team
             spec:
               topology:
            -    version: v1.30.6
            +    version: v1.31.2
                 variables:
                 - name: a
                   value: 1

            """)
    }
}

@Suite struct SecretMaskTests {
    let old = object("""
        apiVersion: v1
        kind: Secret
        metadata: {name: creds, namespace: team-a, annotations: {kubectl.kubernetes.io/last-applied-configuration: '{"stringData":{"token":"tok-old-value"}}'}}
        data: {password: cGFzc3dvcmQtb2xk, user: YWRtaW4=}
        stringData: {token: tok-old-value}
        """)
    let new = object("""
        apiVersion: v1
        kind: Secret
        metadata: {name: creds, namespace: team-a}
        data: {password: cGFzc3dvcmQtbmV3, user: YWRtaW4=, extra: ZXh0cmEtdmFsdWU=}
        stringData: {token: tok-old-value}
        """)

    @Test func changedSecretsNameKeysNeverValues() {
        let change = ChangeSet.change(old: old, new: new)
        #expect(change.change.fieldChanges.map(\.description) == [
            "data.password: *** → *** (changed)",
            "data.extra: added ***",
        ])
        let rendered = YAMLHunks(emit: { YAML.emit($0) }).render(change) + JSON.serialize(change.old!.body) + JSON.serialize(change.new!.body)
        for secret in ["cGFzc3dvcmQtb2xk", "cGFzc3dvcmQtbmV3", "YWRtaW4=", "ZXh0cmEtdmFsdWU=", "tok-old-value", "password-old", "admin"] {
            #expect(!rendered.contains(secret), "leaked \(secret)")
        }
        #expect(rendered.contains("+  password: '*** (changed)'") || rendered.contains("+  password: \"*** (changed)\""))
    }

    @Test func createdSecretsAreMaskedWhole() {
        let change = ChangeSet.change(old: nil, new: new)
        #expect(change.new?.body["data"] == ["password": "***", "user": "***", "extra": "***"])
    }

    @Test func freeTextIsScrubbedOfRawAndDecodedValues() {
        let values = SecretMask.values(of: old)
        let text = SecretMask.scrub("value password-old and cGFzc3dvcmQtb2xk and tok-old-value but not admin", values: values)
        // "admin" is the decoded `user` value, so it goes too.
        #expect(text == "value *** and *** and *** but not ***")
    }

    @Test func otherKindsAreNotMasked() {
        let cm = object("{apiVersion: v1, kind: ConfigMap, metadata: {name: a}, data: {k: visible}}")
        #expect(SecretMask.mask(cm).body["data"] == ["k": "visible"])
    }
}
