/// How YAML text is read into values.
public struct YAMLParseOptions: Sendable {
    /// What a mapping key that appears twice means.
    public enum DuplicateKeys: Sendable {
        /// `mapping key "x" already defined at line N` — for manifests people write.
        case error
        /// The later value replaces the earlier one, as sigs.k8s.io/yaml does — for template output.
        case lastWins
    }

    /// How plain scalars get their types.
    public enum Typing: Sendable {
        /// YAML 1.1 as go-yaml v2 resolves it, then the JSON step Kubernetes applies (sigs.k8s.io/yaml →
        /// JSON → unstructured): a float with an integral value that fits int64 becomes an `.int`
        /// (`replicas: 1.0` → 1, `1e3` → 1000), integers above int64 become doubles, and `.inf`/`.nan`
        /// values are errors because JSON cannot carry them.
        case kubernetes
        /// YAML 1.1 as go-yaml v2 resolves it, without the JSON step: `1.0` stays a double.
        /// `.inf`/`.nan` are still errors (`Value` is JSON-shaped).
        case yaml11
    }

    public var duplicateKeys: DuplicateKeys
    public var typing: Typing
    public var limits: YAMLLimits

    public init(duplicateKeys: DuplicateKeys = .error, typing: Typing = .kubernetes, limits: YAMLLimits = .init()) {
        self.duplicateKeys = duplicateKeys
        self.typing = typing
        self.limits = limits
    }

    /// Manifests as people write them: Kubernetes typing, duplicate keys are errors, default limits.
    public static let kubernetes = YAMLParseOptions()

    /// Output of a template that Kubernetes re-reads with sigs.k8s.io/yaml: duplicate keys, last wins.
    public static let templateOutput = YAMLParseOptions(duplicateKeys: .lastWins)
}

/// Bounds that keep hostile or broken input from exhausting time, memory or the stack. Each one fails
/// with a located error naming the limit.
public struct YAMLLimits: Sendable {
    /// A larger input is rejected before parsing. Default 64 MiB.
    public var maxInputBytes: Int
    /// The largest single document (source characters from its start to its end). Default 8 MiB: the
    /// API server refuses objects above about 1.5 MiB, so a real manifest is far below this.
    public var maxDocumentBytes: Int
    /// The deepest nesting of maps and lists. Default 512 (Kubernetes objects nest a few dozen deep);
    /// it also bounds the recursion of everything that later walks the value.
    public var maxDepth: Int
    /// The most nodes aliases may add to one document by expansion (an alias of a 10-node map adds 10).
    /// Default 100,000: a "billion laughs" document fails on its first few levels.
    public var maxAliasExpansion: Int

    public init(
        maxInputBytes: Int = 64 << 20, maxDocumentBytes: Int = 8 << 20, maxDepth: Int = 512,
        maxAliasExpansion: Int = 100_000
    ) {
        self.maxInputBytes = maxInputBytes
        self.maxDocumentBytes = maxDocumentBytes
        self.maxDepth = maxDepth
        self.maxAliasExpansion = maxAliasExpansion
    }
}

/// How values are written as YAML.
public struct YAMLEmitOptions: Sendable {
    /// Write map keys sorted (byte order) instead of in map order.
    public var sortKeys: Bool
    /// Indent block sequences under their key (`key:\n  - a`) instead of the Kubernetes style
    /// (`key:\n- a`, as kubectl and sigs.k8s.io/yaml write).
    public var indentSequences: Bool

    public init(sortKeys: Bool = false, indentSequences: Bool = false) {
        self.sortKeys = sortKeys
        self.indentSequences = indentSequences
    }
}
