import CapstanModel
import CapstanPolicy
import CapstanYAML
import Testing

/// `x-kubernetes-validations` on OpenAPI schemas (CRDs, ClusterClass variables).
@Suite struct SchemaRulesTests {
    func yaml(_ text: String) throws -> Value { try YAML.parseFirst(text, options: .kubernetes) }

    func violations(_ schema: String, _ value: String, old: String? = nil, path: String = "value") throws -> [String] {
        SchemaRules.validate(schema: try yaml(schema), value: try yaml(value), oldValue: try old.map(yaml), path: path).map(\.description)
    }

    @Test func rulesRunAtTheirNodeWithSelf() throws {
        let schema = """
            type: object
            x-kubernetes-validations:
              - {rule: "self.min <= self.max", message: min must not exceed max}
            properties:
              min: {type: integer}
              max: {type: integer}
              name:
                type: string
                x-kubernetes-validations:
                  - {rule: "self.startsWith('x-')", messageExpression: "'name ' + self + ' needs the x- prefix'"}
              ports:
                type: array
                items:
                  type: integer
                  x-kubernetes-validations: [{rule: "self > 1024", reason: FieldValueForbidden}]
            """
        #expect(try violations(schema, "{min: 1, max: 2, name: x-a, ports: [2000]}").isEmpty)
        #expect(try violations(schema, "{min: 3, max: 2, name: a, ports: [2000, 80]}") == [
            "value: min must not exceed max", "value.name: name a needs the x- prefix", "value.ports[1]: failed rule: self > 1024",
        ])
        let reasons = SchemaRules.validate(schema: try yaml(schema), value: try yaml("{min: 1, max: 2, ports: [1]}")).map(\.reason)
        #expect(reasons == [.forbidden])
    }

    @Test func fieldPathAndMessageFallback() throws {
        let schema = """
            type: object
            x-kubernetes-validations:
              - {rule: "has(self.url) || has(self.host)", fieldPath: ".url", reason: FieldValueRequired, messageExpression: "self.nope"}
            properties:
              url: {type: string}
              host: {type: string}
            """
        let v = SchemaRules.validate(schema: try yaml(schema), value: try yaml("{}"), path: "spec.proxy")
        #expect(v.map(\.description) == ["spec.proxy.url: failed rule: has(self.url) || has(self.host)"])
        #expect(v.map(\.reason) == [.required])
    }

    @Test func transitionRulesNeedAnOldValue() throws {
        let schema = """
            type: string
            x-kubernetes-validations:
              - {rule: "self == oldSelf", message: immutable}
              - {rule: "self != 'forbidden'"}
            """
        #expect(try violations(schema, "a") .isEmpty)
        #expect(try violations(schema, "b", old: "a") == ["value: immutable"])
        #expect(try violations(schema, "forbidden") == ["value: failed rule: self != 'forbidden'"])
    }

    @Test func mapListsCorrelateItemsForTransitionRules() throws {
        let schema = """
            type: array
            x-kubernetes-list-type: map
            x-kubernetes-list-map-keys: [name]
            items:
              type: object
              properties: {name: {type: string}, size: {type: integer}}
              x-kubernetes-validations:
                - {rule: "self.size >= oldSelf.size", message: may not shrink}
            """
        #expect(try violations(schema, "[{name: b, size: 1}, {name: a, size: 5}]", old: "[{name: a, size: 4}, {name: b, size: 2}]")
            == ["value[0]: may not shrink"])
        // New items have no old value: the rule is skipped.
        #expect(try violations(schema, "[{name: c, size: 1}]", old: "[{name: a, size: 4}]").isEmpty)
    }

    @Test func nullFieldsAreAbsentAndUnknownFieldsInvisible() throws {
        let schema = """
            type: object
            x-kubernetes-preserve-unknown-fields: true
            properties: {a: {type: string, nullable: true}}
            x-kubernetes-validations:
              - {rule: "!has(self.a)", message: a is set}
              - {rule: "!has(self.extra)", message: extra is visible}
            """
        #expect(try violations(schema, "{a: null, extra: 1}").isEmpty)
        #expect(try violations(schema, "{a: x}") == ["value: a is set"])
    }

    @Test func propertyNamesAreEscaped() throws {
        #expect(SchemaPropertyNames.escape("foo-bar") == "foo__dash__bar")
        #expect(SchemaPropertyNames.escape("a.b/c") == "a__dot__b__slash__c")
        #expect(SchemaPropertyNames.escape("__x") == "__underscores__x")
        #expect(SchemaPropertyNames.escape("namespace") == "__namespace__")
        #expect(SchemaPropertyNames.escape("x1_y") == "x1_y")
        #expect(SchemaPropertyNames.escape("1abc") == nil)
        #expect(SchemaPropertyNames.escape("a b") == nil)
        let schema = """
            type: object
            properties:
              max-pods: {type: integer}
              if: {type: boolean}
            x-kubernetes-validations:
              - {rule: "self.max__dash__pods < 200 && self.__if__", message: escaped}
            """
        #expect(try violations(schema, "{max-pods: 100, if: true}").isEmpty)
        #expect(try violations(schema, "{max-pods: 300, if: true}") == ["value: escaped"])
    }

    @Test func formatsConvertToCELTypes() throws {
        let schema = """
            type: object
            properties:
              start: {type: string, format: date-time}
              day: {type: string, format: date}
              timeout: {type: string, format: duration}
              data: {type: string, format: byte}
              ratio: {type: number}
              port: {x-kubernetes-int-or-string: true}
            x-kubernetes-validations:
              - rule: "self.start < timestamp('2030-01-01T00:00:00Z') && self.start.getFullYear() == 2025"
                message: start
              - {rule: "self.day == timestamp('2025-03-01T00:00:00Z')", message: day}
              - {rule: "self.timeout > duration('1m') && self.timeout < duration('1h')", message: timeout}
              - {rule: "self.data == b'hi'", message: data}
              - {rule: "type(self.ratio) == double", message: ratio}
              - {rule: "type(self.port) == string || self.port > 0", message: port}
            """
        #expect(try violations(schema, "{start: '2025-06-01T10:00:00Z', day: '2025-03-01', timeout: 5m, data: aGk=, ratio: 1, port: http}").isEmpty)
        #expect(try violations(schema, "{start: '2025-06-01T10:00:00Z', day: '2025-03-02', timeout: 2h, data: aGk=, ratio: 1, port: 0}")
            == ["value: day", "value: timeout", "value: port"])
    }

    @Test func additionalPropertiesMapsKeepTheirKeys() throws {
        let schema = """
            type: object
            additionalProperties:
              type: string
              x-kubernetes-validations: [{rule: "self.size() <= 3", message: too long}]
            x-kubernetes-validations:
              - {rule: "'platform.example.com/tier' in self", message: tier label required}
            """
        #expect(try violations(schema, "{platform.example.com/tier: dev}").isEmpty)
        #expect(try violations(schema, "{a: long}") == ["value: tier label required", "value[a]: too long"])
    }

    @Test func brokenRulesAreReportedNotThrown() throws {
        let schema = """
            type: object
            properties:
              num:
                type: integer
                x-kubernetes-validations:
                  - {rule: "self >", message: bad}
                  - {rule: "self.x == 1", message: runtime}
                  - {rule: "self", message: type}
            """
        let rules = SchemaRules(schema: try yaml(schema))
        #expect(rules.compileErrors.count == 1)
        #expect(rules.compileErrors.first?.hasPrefix("properties.num.x-kubernetes-validations[0].rule: 1:") == true)
        let v = rules.validate(try yaml("{num: 1}"))
        #expect(v.count == 3 && v.allSatisfy(\.isError))
        #expect(v.map(\.path) == ["num", "num", "num"])
    }

    @Test func costLimitStopsRunawayRules() throws {
        let schema = """
            type: array
            items: {type: integer}
            x-kubernetes-validations:
              - {rule: "self.all(a, self.all(b, self.all(c, a + b + c >= 0)))", message: never}
            """
        let list = "[" + (0..<300).map(String.init).joined(separator: ",") + "]"
        let v = SchemaRules.validate(schema: try yaml(schema), value: try yaml(list))
        #expect(v.count == 1 && v[0].isError && v[0].message.contains("cost limit"))
    }
}
