import CapstanFleet
import CapstanModel
import CapstanYAML
import Testing

typealias SourceLocation = CapstanModel.SourceLocation

/// Loading a fleet tree: objects with locations, `kind: List` expansion, per-file problems as diagnostics.
@Suite struct FleetLoaderTests {
    let tree = MemoryTree(texts: [
        "apps/web.yaml": """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: prod
            spec:
              replicas: 2.0
            ---
            # an empty document is skipped
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: prod}

            """,
        "list.yml": """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: ConfigMap
              metadata: {name: a, namespace: prod}
            - apiVersion: v1
              kind: ConfigMap
              metadata:
                name: b
                namespace: prod

            """,
        "broken.yaml": "a: [1, 2\n",
        "README.md": "# not yaml: [\n",
    ])

    @Test func objectsLocationsAndLookups() throws {
        let snapshot = FleetLoader().load(tree: tree)
        #expect(snapshot.objects.map(\.key.description) == ["Deployment prod/web", "Service prod/web", "ConfigMap prod/a", "ConfigMap prod/b"])
        #expect(snapshot.files.map(\.path) == ["apps/web.yaml", "broken.yaml", "list.yml"])
        #expect(snapshot.files.map(\.objectCount) == [2, 0, 2])
        let web = try #require(snapshot.object(ObjectKey(group: "apps", kind: "Deployment", namespace: "prod", name: "web")))
        #expect(web.object.body[path: ["spec", "replicas"]]?.isIdentical(to: .int(2)) == true)
        #expect(web.location(of: ["spec", "replicas"]) == SourceLocation(file: "apps/web.yaml", line: 7, column: 13))
        #expect(web.location(of: ["spec", "missing"]) == SourceLocation(file: "apps/web.yaml", line: 6, column: 1))
        #expect(web.documentIndex == 0)
        let service = try #require(snapshot.objects(ofKind: "Service").first)
        #expect(service.documentIndex == 2)
        #expect(service.location == SourceLocation(file: "apps/web.yaml", line: 11, column: 1))
        let b = try #require(snapshot.objects(ofKind: "ConfigMap", group: "").last)
        #expect(b.itemIndex == 1)
        #expect(b.location(of: ["metadata", "name"]) == SourceLocation(file: "list.yml", line: 10, column: 11))
        #expect(b.diagnostic("bad", at: ["metadata", "name"]).description == "list.yml:10:5: ConfigMap prod/b: metadata.name: bad")
        #expect(snapshot.objects(inNamespace: "prod").count == 4)
    }

    @Test func brokenFilesBecomeDiagnostics() {
        let snapshot = FleetLoader().load(tree: tree)
        #expect(snapshot.diagnostics.map(\.description) == ["broken.yaml:2:1: did not find expected ',' or ']' (while parsing a flow sequence)"])
        #expect(snapshot.hasErrors)
    }

    @Test func displayPathsAndExplicitFiles() {
        let source = FleetSource(tree: MemoryTree(texts: ["x.txt": "a: [\n"]), readsEveryFile: true) { "given/" + $0 }
        let snapshot = FleetLoader().load([source])
        #expect(snapshot.diagnostics.first?.location?.file == "given/x.txt")
    }

    @Test func nonMapDocumentsAndBadLists() {
        let snapshot = FleetLoader().load(tree: MemoryTree(texts: [
            "a.yaml": "- just\n- a list\n---\nplain text\n",
            "b.yaml": "apiVersion: v1\nkind: List\nitems: [1, {apiVersion: v1, kind: ConfigMap, metadata: {name: ok}}]\n",
            "c.yaml": "apiVersion: v1\nkind: List\nitems: nope\n",
        ]))
        #expect(snapshot.sortedDiagnostics.map(\.description) == [
            "a.yaml:1:1: a Kubernetes object must be a map, but document 1 is a list",
            "a.yaml:4:1: a Kubernetes object must be a map, but document 2 is a string",
            "b.yaml:3:9: items[0]: a Kubernetes object must be a map, got int",
            "c.yaml:3:8: items: a List's items must be a list, got string",
        ])
        #expect(snapshot.objects.map(\.key.description) == ["ConfigMap ok"])
    }
}
