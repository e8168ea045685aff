import Synchronization

/// Parsed versions and constraints by text: patch templates compare the same few strings for every
/// Cluster, and parsing a constraint costs far more than checking it.
enum SemverCache {
    private static let limit = 4096
    private static let versions = Mutex<[String: Result<SemanticVersion, FunctionError>]>([:])
    private static let constraintSets = Mutex<[String: Result<SemverConstraints, FunctionError>]>([:])

    static func version(_ text: String) throws(FunctionError) -> SemanticVersion {
        if let hit = versions.withLock({ $0[text] }) { return try hit.get() }
        let result: Result<SemanticVersion, FunctionError>
        do throws(SemanticVersion.ParseError) {
            result = .success(try SemanticVersion.parse(text))
        } catch {
            result = .failure(FunctionError(error.message))
        }
        versions.withLock { cache in
            if cache.count >= limit { cache.removeAll(keepingCapacity: true) }
            cache[text] = result
        }
        return try result.get()
    }

    static func constraints(_ text: String) throws(FunctionError) -> SemverConstraints {
        if let hit = constraintSets.withLock({ $0[text] }) { return try hit.get() }
        let result: Result<SemverConstraints, FunctionError>
        do throws(FunctionError) {
            result = .success(try SemverConstraints.parse(text))
        } catch {
            result = .failure(error)
        }
        constraintSets.withLock { cache in
            if cache.count >= limit { cache.removeAll(keepingCapacity: true) }
            cache[text] = result
        }
        return try result.get()
    }
}
