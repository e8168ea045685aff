import CapstanCEL
import CapstanModel

/// Compiles and evaluates in the Kubernetes environment (any variable name accepted); errors become
/// `.error(message)` so table-driven tests can compare them.
func evaluate(_ expr: String, _ bindings: [String: CELValue] = [:], limits: CELLimits = .default,
              environment: CELEnvironment = .kubernetes) -> CELValue
{
    do {
        let program = try CELProgram(expr, environment: environment)
        switch program.evaluate(bindings, limits: limits) {
        case .success(let v): return v
        case .failure(let e): return .error(e.message)
        }
    } catch {
        return .error("compile: " + error.message)
    }
}

/// The error message of a failing evaluation, or nil when it succeeded.
func errorMessage(_ v: CELValue) -> String? {
    if case .error(let e) = v { return e.message }
    return nil
}
