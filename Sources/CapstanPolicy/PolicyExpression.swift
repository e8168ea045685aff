import CapstanCEL
import CapstanModel
import CapstanYAML

/// One CEL expression of a policy, compiled once, with where it is written (for error messages).
struct PolicyExpression: Sendable {
    /// The expression text.
    let text: String
    /// Its field path in the policy (`spec.validations[0].expression`).
    let fieldPath: String
    /// Where the expression's value starts in the YAML file.
    let location: SourceLocation
    /// The program, or why it does not compile.
    let compiled: Result<CELProgram, CELError>

    var program: CELProgram? { try? compiled.get() }

    /// The compile error as one line: `1:5: undeclared reference to 'x'`.
    var compileError: String? {
        guard case .failure(let e) = compiled else { return nil }
        return (e.location.map { "\($0): " } ?? "") + e.message
    }

    /// Compiles the string at `path`. `variableNames` are the `variables.<name>` the expression may use
    /// (nil: `variables` is not available); a reference to any other name is a compile error, as the
    /// apiserver's type checker reports it.
    static func compile(
        _ path: [PathElement], _ reader: inout SpecReader, environment: CELEnvironment, variableNames: [String]?
    ) -> PolicyExpression? {
        guard let text = reader.string(path, required: true) else { return nil }
        let fieldPath = PathElement.fieldPath(path)
        var compiled: Result<CELProgram, CELError>
        do {
            compiled = .success(try CELProgram(text, environment: environment))
        } catch {
            compiled = .failure(error)
        }
        if case .success = compiled, let variableNames {
            for ref in VariableReferences.scan(text) where !variableNames.contains(ref.name) {
                compiled = .failure(CELError(
                    .declaration, "undefined field '\(ref.name)' of variables (declare it in spec.variables, before any variable that uses it)",
                    location: ref.location))
                break
            }
        }
        let expression = PolicyExpression(text: text, fieldPath: fieldPath, location: reader.location(path), compiled: compiled)
        if let error = expression.compileError {
            reader.problem("expression does not compile: \(error)", at: path)
        }
        return expression
    }
}

/// Finds `variables.<name>` selections in an expression's text, outside string literals, so a policy
/// that names an undeclared (or later) variable is rejected when compiled rather than when evaluated.
enum VariableReferences {
    struct Reference {
        var name: String
        var location: CELSourceLocation
    }

    static func scan(_ text: String) -> [Reference] {
        let chars = Array(text.unicodeScalars)
        var refs: [Reference] = []
        var i = 0
        var line = 1, lineStart = 0
        func isIdent(_ c: Unicode.Scalar) -> Bool { c == "_" || (c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c))) }
        while i < chars.count {
            let c = chars[i]
            if c == "\n" { line += 1; lineStart = i + 1; i += 1; continue }
            if c == "/", i + 1 < chars.count, chars[i + 1] == "/" {
                while i < chars.count, chars[i] != "\n" { i += 1 }
                continue
            }
            if c == "'" || c == "\"" {
                let triple = i + 2 < chars.count && chars[i + 1] == c && chars[i + 2] == c
                let raw = i > 0 && (chars[i - 1] == "r" || chars[i - 1] == "R")
                i += triple ? 3 : 1
                while i < chars.count {
                    if chars[i] == "\\", !raw { i += 2; continue }
                    if chars[i] == "\n" { line += 1; lineStart = i + 1 }
                    if chars[i] == c {
                        if !triple { i += 1; break }
                        if i + 2 < chars.count, chars[i + 1] == c, chars[i + 2] == c { i += 3; break }
                    }
                    i += 1
                }
                continue
            }
            if isIdent(c) {
                let start = i
                while i < chars.count, isIdent(chars[i]) { i += 1 }
                let word = String(String.UnicodeScalarView(chars[start..<i]))
                var before = start - 1
                while before >= 0, chars[before] == " " || chars[before] == "\t" || chars[before] == "\n" { before -= 1 }
                // `x.variables` and `x.?variables` are field selections, not the variable.
                let selected = before >= 0 && (chars[before] == "." || (chars[before] == "?" && before > 0 && chars[before - 1] == "."))
                guard word == "variables", !selected else { continue }
                var j = i
                while j < chars.count, chars[j] == " " || chars[j] == "\t" { j += 1 }
                guard j < chars.count, chars[j] == "." else { continue }
                j += 1
                if j < chars.count, chars[j] == "?" { j += 1 }
                while j < chars.count, chars[j] == " " || chars[j] == "\t" { j += 1 }
                let nameStart = j
                while j < chars.count, isIdent(chars[j]) { j += 1 }
                guard j > nameStart else { continue }
                let name = String(String.UnicodeScalarView(chars[nameStart..<j]))
                refs.append(Reference(name: name, location: CELSourceLocation(offset: nameStart, line: line, column: nameStart - lineStart + 1)))
                i = j
                continue
            }
            i += 1
        }
        return refs
    }
}
