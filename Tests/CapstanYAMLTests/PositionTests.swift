import CapstanModel
import CapstanYAML
import Testing

/// Every node keeps file, line and column; lookups by key path can point at the value or the key.
@Suite struct PositionTests {
    let stream = """
        # leading comment
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: first
          labels: {app: web, "tier": front}
        data:
          list:
          - a
          -   b
          - nested: 1
            other: [x, y]
        ---
        apiVersion: v1
        kind: Secret
        metadata:
            name: second
        stringData:
          key: |
            line1
            line2

        """

    @Test func nestedKeysAndListItems() throws {
        let docs = try YAML.parseStream(stream, file: "dir/cm.yaml")
        #expect(docs.count == 2)
        let map = docs[0].sourceMap
        func loc(_ line: Int, _ column: Int) -> SourceLocation { SourceLocation(file: "dir/cm.yaml", line: line, column: column) }
        #expect(map.rootLocation == loc(2, 1))
        #expect(map.location(of: ["kind"]) == loc(3, 7))
        #expect(map.keyLocation(of: ["kind"]) == loc(3, 1))
        #expect(map.location(of: ["metadata", "name"]) == loc(5, 9))
        #expect(map.keyLocation(of: ["metadata", "name"]) == loc(5, 3))
        #expect(map.location(of: ["metadata", "labels", "app"]) == loc(6, 17))
        #expect(map.keyLocation(of: ["metadata", "labels", "tier"]) == loc(6, 22))
        #expect(map.location(of: ["data", "list"]) == loc(9, 3))
        #expect(map.location(of: ["data", "list", 0]) == loc(9, 5))
        #expect(map.location(of: ["data", "list", 1]) == loc(10, 7))
        #expect(map.location(of: ["data", "list", 2]) == loc(11, 5))
        #expect(map.location(of: ["data", "list", 2, "other", 1]) == loc(12, 16))
        #expect(map.keyLocation(of: ["data", "list", 2, "other"]) == loc(12, 5))
        #expect(map.location(of: ["data", "list", 3]) == nil)
        #expect(map.location(of: ["data", "missing"]) == nil)
        #expect(map.location(of: ["kind", "x"]) == nil)
        #expect(map.nearestLocation(of: ["metadata", "namespace"]) == loc(4, 1))
        #expect(map.nearestLocation(of: ["data", "list", 2, "x"]) == loc(11, 5))
        #expect(map.nearestLocation(of: ["metadata", "name"]) == loc(5, 9))
        #expect(map.nearestLocation(of: ["spec", "x"]) == loc(2, 1))
    }

    @Test func secondDocumentCountsLinesFromTheFileStart() throws {
        let docs = try YAML.parseStream(stream, file: "cm.yaml")
        let map = docs[1].sourceMap
        #expect(docs[1].start == SourceLocation(file: "cm.yaml", line: 13, column: 1))
        #expect(docs[1].index == 1)
        #expect(map.location(of: ["metadata", "name"]) == SourceLocation(file: "cm.yaml", line: 17, column: 11))
        #expect(map.location(of: ["stringData", "key"]) == SourceLocation(file: "cm.yaml", line: 19, column: 8))
        #expect(docs[1].value["stringData"]?["key"] == .string("line1\nline2\n"))
    }

    @Test func subMapForListItems() throws {
        let text = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: ConfigMap
              metadata: {name: a}
            - apiVersion: v1
              kind: ConfigMap
              metadata:
                name: b
            """
        let doc = try #require(try YAML.parseStream(text, file: "l.yaml").first)
        let item = try #require(doc.sourceMap.subMap(at: ["items", 1]))
        #expect(item.rootLocation == SourceLocation(file: "l.yaml", line: 7, column: 3))
        #expect(item.location(of: ["metadata", "name"]) == SourceLocation(file: "l.yaml", line: 10, column: 11))
        #expect(item.keyLocation(of: ["kind"]) == SourceLocation(file: "l.yaml", line: 8, column: 3))
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let doc = try #require(try YAML.parseStream("é: ü\nk: [ä, b]\n", file: "u.yaml").first)
        #expect(doc.sourceMap.location(of: ["é"]) == SourceLocation(file: "u.yaml", line: 1, column: 4))
        #expect(doc.sourceMap.location(of: ["k", 1]) == SourceLocation(file: "u.yaml", line: 2, column: 8))
    }

    @Test func emptyDocumentsAndComments() throws {
        let docs = try YAML.parseStream("# c\n---\n---\na: 1\n---\n# nothing\n...\n", file: "e.yaml")
        #expect(docs.map(\.isEmpty) == [true, false, true])
        #expect(docs[1].sourceMap.location(of: ["a"]) == SourceLocation(file: "e.yaml", line: 4, column: 4))
        #expect(try YAML.parseStream("", file: "e.yaml").isEmpty)
        #expect(try YAML.parseStream("# just a comment\n", file: "e.yaml").isEmpty)
    }
}
