import CapstanModel
import Testing

@testable import CapstanTemplate

/// Renders `text` with JSON `data` (numbers become float64, as in CAPI) and returns output or error text.
func render(_ text: String, _ data: Value = .map(ObjectMap()), functions: GoTemplate.Functions = .sprigHermetic, missingKey: GoTemplate.MissingKey = .default) -> String {
    do {
        let t = try GoTemplate(text, functions: functions, missingKey: missingKey)
        return try t.execute(json: data)
    } catch {
        return "ERROR: " + error.message
    }
}

/// Parses JSON test data.
func json(_ text: String) -> Value {
    try! JSON.parse(text)
}
