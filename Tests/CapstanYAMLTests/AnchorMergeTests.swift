import CapstanModel
import CapstanYAML
import Testing

/// Anchors, aliases and `<<` merge keys, with go-yaml v2's precedence.
@Suite struct AnchorMergeTests {
    @Test func aliasesRepeatValues() throws {
        let doc = try #require(try YAML.parseStream("a: &x {k: [1, 2]}\nb: *x\nc: &s text\nd: *s\n", file: "a.yaml").first)
        #expect(doc.value["b"] == .map(["k": [1, 2]]))
        #expect(doc.value["d"] == .string("text"))
        // A path through an alias resolves to the anchored text; a path ending at the alias, to the alias.
        #expect(doc.sourceMap.location(of: ["b", "k", 1]) == SourceLocation(file: "a.yaml", line: 1, column: 15))
        #expect(doc.sourceMap.location(of: ["b"]) == SourceLocation(file: "a.yaml", line: 2, column: 4))
    }

    @Test func aliasAsKey() throws {
        let doc = try #require(try YAML.parseStream("a: &k name\n*k : v\n", file: "a.yaml").first)
        #expect(doc.value["name"] == .string("v"))
    }

    @Test func unknownAndSelfReferencingAnchors() throws {
        let e1 = #expect(throws: YAMLError.self) { try YAML.parseStream("a: *nope\n", file: "u.yaml") }
        #expect(e1?.description == "u.yaml:1:4: unknown anchor \"nope\" referenced")
        #expect(throws: YAMLError.self) { try YAML.parseStream("a: &x [1, *x]\n", file: "u.yaml") }
        // Anchors do not cross documents.
        #expect(throws: YAMLError.self) { try YAML.parseStream("a: &x 1\n---\nb: *x\n", file: "u.yaml") }
    }

    @Test func mergeSingleMap() throws {
        let text = """
            base: &base {cpu: 1, mem: 2Gi}
            small:
              <<: *base
              cpu: 2
              disk: 10
            """
        let doc = try #require(try YAML.parseStream(text, file: "m.yaml").first)
        #expect(doc.value["small"]?.mapValue?.keys == ["cpu", "mem", "disk"])
        #expect(doc.value["small"] == .map(["cpu": 2, "mem": "2Gi", "disk": 10]))
        // Entries point at the text they came from: an explicit override at itself, a merged key at the anchor.
        #expect(doc.sourceMap.location(of: ["small", "cpu"]) == SourceLocation(file: "m.yaml", line: 4, column: 8))
        #expect(doc.sourceMap.location(of: ["small", "mem"]) == SourceLocation(file: "m.yaml", line: 1, column: 27))
        #expect(doc.sourceMap.keyLocation(of: ["small", "disk"]) == SourceLocation(file: "m.yaml", line: 5, column: 3))
    }

    @Test func mergeListEarlierMapsWin() throws {
        let text = """
            a: &a {x: 1, q: 1}
            b: &b {q: 2, z: 2}
            c:
              <<: [*a, *b, {w: 3, x: 9}]
              z: 0
            """
        let doc = try #require(try YAML.parseStream(text, file: "m.yaml").first)
        #expect(doc.value["c"] == .map(["x": 1, "q": 1, "z": 0, "w": 3]))
        #expect(doc.sourceMap.location(of: ["c", "q"]) == SourceLocation(file: "m.yaml", line: 1, column: 17))
        #expect(doc.sourceMap.location(of: ["c", "w"]) == SourceLocation(file: "m.yaml", line: 4, column: 20))
    }

    /// go-yaml v2 applies a merge in place, so a `<<` after an explicit key overwrites it. Manifests get an
    /// error instead of that surprise; template output gets go-yaml's result.
    @Test func mergeAfterExplicitKey() throws {
        let text = "base: &b {cpu: 1}\nx:\n  cpu: 2\n  <<: *b\n"
        let error = #expect(throws: YAMLError.self) { try YAML.parseStream(text, file: "m.yaml") }
        #expect(error?.location == SourceLocation(file: "m.yaml", line: 4, column: 3))
        #expect(error?.message.contains("overrides mapping key \"cpu\" defined at line 3") == true)
        let doc = try #require(try YAML.parseStream(text, file: "m.yaml", options: .templateOutput).first)
        #expect(doc.value["x"] == .map(["cpu": 1]))
    }

    @Test func mergeNeedsMaps() throws {
        for bad in ["a: {<<: 1}", "a: {<<: [{x: 1}, 2]}", "s: &s str\na: {<<: *s}"] {
            let error = #expect(throws: YAMLError.self) { try YAML.parseStream(bad, file: "m.yaml") }
            #expect(error?.message == "map merge requires map or sequence of maps as the value")
        }
        // A quoted "<<" is an ordinary key.
        let doc = try #require(try YAML.parseStream("a: {\"<<\": 1}", file: "m.yaml").first)
        #expect(doc.value["a"] == .map(["<<": 1]))
    }

    @Test func duplicateKeys() throws {
        let error = #expect(throws: YAMLError.self) { try YAML.parseStream("a: 1\nb: 2\na: 3\n", file: "d.yaml") }
        #expect(error?.description == "d.yaml:3:1: mapping key \"a\" already defined at line 1")
        let doc = try #require(try YAML.parseStream("a: 1\nb: 2\na: 3\n", file: "d.yaml", options: .templateOutput).first)
        #expect(doc.value.mapValue?.keys == ["a", "b"])
        #expect(doc.value["a"] == .int(3))
        #expect(doc.sourceMap.location(of: ["a"]) == SourceLocation(file: "d.yaml", line: 3, column: 4))
        #expect(doc.sourceMap.location(of: ["b"]) == SourceLocation(file: "d.yaml", line: 2, column: 4))
    }

    @Test func duplicateKeysInLargeMaps() throws {
        var text = ""
        for i in 0..<100 { text += "k\(i): \(i)\n" }
        #expect(try YAML.parseStream(text, file: "big.yaml").first?.value.mapValue?.count == 100)
        let error = #expect(throws: YAMLError.self) { try YAML.parseStream(text + "k42: x\n", file: "big.yaml") }
        #expect(error?.description == "big.yaml:101:1: mapping key \"k42\" already defined at line 43")
    }
}
