import CapstanCEL
import CapstanModel
import Foundation
import Testing

/// Parsing, compile-time checks, error semantics, limits and the Value bridge.
@Suite struct EngineTests {
    // MARK: Parse and compile errors

    @Test func syntaxErrorHasLocationAndCaret() {
        do {
            _ = try CELProgram("object.spec &&\n  (1 + )")
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.kind == .syntax)
            #expect(error.location == CELSourceLocation(offset: 22, line: 2, column: 8))
            #expect(error.description == """
                2:8: Syntax error: mismatched input ')' expecting an expression
                 |   (1 + )
                 | .......^
                """)
        }
    }

    @Test func columnsCountCodePoints() {
        do {
            _ = try CELProgram("'héllo' + @")
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.location?.column == 11)
            #expect(error.message == "Syntax error: token recognition error at: '@'")
        }
    }

    @Test func undeclaredIdentifierIsACompileError() {
        let env = CELEnvironment.kubernetes.declaring(["object", "oldObject"])
        do {
            _ = try CELProgram("object.spec.replicas > 1 && params.max > 2", environment: env)
            Issue.record("expected a declaration error")
        } catch {
            #expect(error.kind == .declaration)
            #expect(error.message == "undeclared reference to 'params' (in container '')")
            #expect(error.location?.column == 29)
        }
        #expect(throws: CELError.self) { try CELProgram("nosuchfunction(1)") }
        #expect(throws: CELError.self) { try CELProgram("size(1, 2)") }
    }

    @Test(arguments: [
        ("if", "reserved identifier: if"),
        ("'\\q'", "Syntax error: unable to unescape string"),
        ("'abc", "Syntax error: unterminated string literal"),
        ("1 2", "Syntax error: mismatched input '2' expecting <EOF>"),
        ("9223372036854775808", "invalid int literal"),
        ("has(a)", "invalid argument to has() macro"),
        ("[1].all(1, true)", "argument must be a simple name"),
        ("{}.all(k, k, true)", "duplicate variable name: k"),
    ])
    func syntaxErrors(_ expr: String, _ message: String) {
        do {
            _ = try CELProgram(expr)
            Issue.record("\(expr) compiled")
        } catch {
            #expect(error.message == message)
        }
    }

    @Test func nestingAndSizeLimits() {
        let deep = String(repeating: "(", count: 400) + "1" + String(repeating: ")", count: 400)
        #expect(throws: CELError.self) { try CELProgram(deep) }
        let longChain = (0..<400).map { _ in "a" }.joined(separator: " + ")
        #expect(throws: CELError.self) { try CELProgram(longChain) }
        let longSelect = "a" + String(repeating: ".b", count: 400)
        #expect(throws: CELError.self) { try CELProgram(longSelect) }
        // Long && / || chains are balanced, so they stay within the limit.
        let conj = (0..<2000).map { _ in "true" }.joined(separator: " && ")
        #expect(evaluate(conj) == .bool(true))
        let huge = "'" + String(repeating: "x", count: 100_001) + "'"
        #expect(throws: CELError.self) { try CELProgram(huge) }
        // Just inside the limit: deep trees compile and evaluate without exhausting a test thread's stack.
        #expect(evaluate((0..<240).map { _ in "1" }.joined(separator: " + ")) == .int(240))
        #expect(evaluate(String(repeating: "[", count: 120) + "1" + String(repeating: "]", count: 120) + String(repeating: "[0]", count: 120)) == .int(1))
        #expect(evaluate(String(repeating: "(", count: 240) + "1" + String(repeating: ")", count: 240)) == .int(1))
        // The minimum the spec requires: 24 nested conditionals, 32-term lists, 12 nested calls.
        #expect(evaluate(String(repeating: "false ? 1 : ", count: 24) + "2") == .int(2))
        #expect(evaluate(String(repeating: "int(", count: 12) + "7" + String(repeating: ")", count: 12)) == .int(7))
    }

    // MARK: Semantics

    @Test func errorAbsorptionIsCommutative() {
        #expect(evaluate("x.a == 1 || true", ["x": .map([])]) == .bool(true))
        #expect(evaluate("true || x.a == 1", ["x": .map([])]) == .bool(true))
        #expect(evaluate("x.a == 1 && false", ["x": .map([])]) == .bool(false))
        #expect(errorMessage(evaluate("x.a == 1 && true", ["x": .map([])])) == "no such key: a")
        #expect(evaluate("[0, 1].all(i, 1 / i < 1)") == .bool(false))
        #expect(errorMessage(evaluate("[1, 0].all(i, 1 / i > 0)")) == "division by zero")
        #expect(evaluate("[0, 1].exists(i, 1 / i > 0)") == .bool(true))
        #expect(errorMessage(evaluate("[0, 1].exists_one(i, 1 / i > 0)")) == "division by zero")
    }

    @Test func numericRules() {
        #expect(errorMessage(evaluate("9223372036854775807 + 1")) == "integer overflow")
        #expect(errorMessage(evaluate("0u - 1u")) == "unsigned integer overflow")
        #expect(errorMessage(evaluate("1 + 1u"))?.contains("no matching overload for '_+_' applied to '(int, uint)'") == true)
        #expect(evaluate("dyn(1) == 1u && dyn(1.0) == 1 && dyn(-1) < 0u") == .bool(true))
        #expect(evaluate("-3 % 5 == -3 && 43 % -5 == 3 && -7 / 2 == -3") == .bool(true))
        #expect(evaluate("{1u: 'a'}[1.0]") == .string("a"))
        #expect(errorMessage(evaluate("int(9223372036854775807.0)")) == "integer overflow")
        #expect(evaluate("string(-4.5e-3)") == .string("-0.0045"))
        #expect(evaluate("'\\u00e9' == 'e\\u0301'") == .bool(false))
    }

    @Test func evaluationErrorsPointAtTheNode() {
        let program = try! CELProgram("object.metadata.name == 'x' && object.spec.replicas > 1")
        let object = CELValue(["metadata": ["name": "x"], "spec": [:]] as Value)
        guard case .failure(let e) = program.evaluate(["object": object]) else {
            Issue.record("expected an error")
            return
        }
        #expect(e.message == "no such key: replicas")
        // Like cel-go, a field selection is located at its dot.
        #expect(e.location?.column == 43)
        #expect(e.description.hasSuffix(" | ..........................................^"))
    }

    @Test func unboundVariableIsAnEvaluationError() {
        let program = try! CELProgram("a + 1")
        guard case .failure(let e) = program.evaluate([:]) else {
            Issue.record("expected an error")
            return
        }
        #expect(e.message == "no such attribute(s): a")
    }

    // MARK: Cost limits

    @Test func nestedComprehensionsHitTheCostLimit() {
        let big = CELValue.list((0..<1000).map { CELValue.int(Int64($0)) })
        let start = Date()
        let program = try! CELProgram("big.all(x, big.all(y, x + y >= 0))")
        guard case .failure(let e) = program.evaluate(["big": big]) else {
            Issue.record("expected the limit")
            return
        }
        #expect(e.kind == .costLimit)
        #expect(e.message == "operation cancelled: actual cost limit exceeded")
        #expect(Date().timeIntervalSince(start) < 5)
        // A smaller budget is configurable; the same expression over a small list fits the default one.
        #expect(evaluate("big.all(x, true)", ["big": big], limits: CELLimits(costLimit: 100)) == .error("operation cancelled: actual cost limit exceeded"))
        #expect(evaluate("big.all(x, x >= 0)", ["big": big]) == .bool(true))
    }

    @Test func exponentialBuildingHitsTheCostLimit() {
        let ten = "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"
        var expr = "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'"
        for v in ["a", "b", "c", "d", "e", "f", "g"] { expr = "\(ten).map(\(v), \(expr))" }
        #expect(evaluate(expr) == .error("operation cancelled: actual cost limit exceeded"))
        // Doubling a string or a list: each concatenation is charged by size.
        var doubling = "'ab'"
        for i in 0..<40 { doubling = "cel.bind(s\(i), \(doubling), s\(i) + s\(i))" }
        #expect(evaluate(doubling) == .error("operation cancelled: actual cost limit exceeded"))
        var lists = "[1, 2]"
        for i in 0..<40 { lists = "cel.bind(l\(i), \(lists), l\(i) + l\(i))" }
        #expect(evaluate(lists) == .error("operation cancelled: actual cost limit exceeded"))
    }

    @Test func hostileRegexRunsInLinearTime() {
        let s = String(repeating: "a", count: 5000)
        let start = Date()
        #expect(evaluate("s.matches('(a*)*b')", ["s": .string(s)], limits: .unlimited) == .bool(false))
        #expect(evaluate("s.matches('(a|aa)+$')", ["s": .string(s)], limits: .unlimited) == .bool(true))
        #expect(Date().timeIntervalSince(start) < 10)
    }

    // MARK: Values

    @Test func kubernetesJSONBridge() throws {
        let json = try JSON.parse(#"{"a": 1, "b": 1.5, "c": [true, null, "x"], "d": {"e": {}}}"#)
        let v = CELValue(json)
        #expect(evaluate("o.a == 1 && type(o.a) == int && type(o.b) == double && o.c[2] == 'x' && has(o.d.e)", ["o": v]) == .bool(true))
        #expect(try v.toValue() == json)
        let computed = evaluate("{'n': 1u, 'b': b'\\x00', 't': timestamp('2024-01-01T00:00:00Z'), 'o': optional.none()}")
        #expect(try computed.toValue() == (["n": 1, "b": "AA==", "t": "2024-01-01T00:00:00Z", "o": .null] as Value))
    }

    @Test func typedJSONRoundTrips() throws {
        let values = [
            "1", "1u", "1.5", "double('NaN')", "b'\\x00\\xff'", "[1, 'a', null]", "{1: 'a', 'k': [true]}",
            "duration('1.5s')", "timestamp('2024-01-01T00:00:00.5Z')", "int", "optional.of(1)", "optional.none()",
        ]
        for expr in values {
            let v = evaluate(expr)
            let back = try CELValue(typedJSON: v.typedJSON)
            #expect(JSON.serialize(back.typedJSON) == JSON.serialize(v.typedJSON), "\(expr)")
        }
        #expect(JSON.serialize(evaluate("{'a': [1, 2.5, 3u]}").typedJSON)
            == #"{"map":[["a",[{"int":"1"},{"double":2.5},{"uint":"3"}]]]}"#)
        #expect(throws: CELError.self) { try CELValue(typedJSON: 1) }
        #expect(throws: CELError.self) { try CELValue(typedJSON: ["int": "x"]) }
    }

    @Test func lazyMapComputesOnce() {
        let counter = Counter()
        let lazy = CELMap(lazy: CELLazyMap(keys: ["a", "b"]) { key in
            counter.increment()
            return .string(key.uppercased())
        })
        #expect(evaluate("v.a + v.a + v.a", ["v": .map(lazy)]) == .string("AAA"))
        #expect(counter.value == 1)
        #expect(errorMessage(evaluate("v.c", ["v": .map(lazy)])) == "no such key: c")
    }

    @Test func programsAreReusableAcrossThreads() async {
        let program = try! CELProgram("[1, 2, 3].map(x, x * n).sum()")
        await withTaskGroup(of: Bool.self) { group in
            for n in 0..<8 {
                group.addTask {
                    if case .success(let v) = program.evaluate(["n": .int(Int64(n))]) { return v == .int(Int64(6 * n)) }
                    return false
                }
            }
            for await ok in group { #expect(ok) }
        }
    }
}

/// A thread-safe counter for the lazy-map test.
final class Counter: @unchecked Sendable {
    // @unchecked Sendable: every access holds `lock`.
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
