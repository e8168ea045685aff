/// How OpenAPI property names appear as CEL field names in `x-kubernetes-validations` rules
/// (apiextensions' escaping): `__` → `__underscores__`, `.` → `__dot__`, `-` → `__dash__`,
/// `/` → `__slash__`, and a property named like a CEL reserved word → `__<word>__`.
public enum SchemaPropertyNames {
    /// CEL keywords and reserved words that property names are escaped around.
    static let reserved: Set<String> = [
        "true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let",
        "loop", "package", "namespace", "return", "var", "void", "while",
    ]

    /// The CEL field name for a property, or nil when the property cannot be reached from CEL (it does
    /// not match `[a-zA-Z_.-/][a-zA-Z0-9_.-/]*`).
    public static func escape(_ name: String) -> String? {
        if reserved.contains(name) { return "__\(name)__" }
        let scalars = Array(name.unicodeScalars)
        guard let first = scalars.first, isAllowed(first, first: true) else { return nil }
        var out = ""
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            guard isAllowed(c, first: false) else { return nil }
            switch c {
            case "_" where i + 1 < scalars.count && scalars[i + 1] == "_":
                out += "__underscores__"
                i += 2
                continue
            case ".": out += "__dot__"
            case "-": out += "__dash__"
            case "/": out += "__slash__"
            default: out.unicodeScalars.append(c)
            }
            i += 1
        }
        return out
    }

    private static func isAllowed(_ c: Unicode.Scalar, first: Bool) -> Bool {
        guard c.isASCII else { return false }
        if c.properties.isAlphabetic || c == "_" || c == "." || c == "-" || c == "/" { return true }
        return !first && ("0"..."9").contains(c)
    }
}
