import CGit2

/// Process-wide libgit2 setup, done once before the first libgit2 call.
enum LibGit2 {
    /// Initialises libgit2 and applies the global options every Capstan process wants. Idempotent.
    static func initialize() {
        _ = initialized
    }

    private static let initialized: Bool = {
        git_libgit2_init()
        // Bound libgit2's object cache: its heap is invisible to Swift, so keep it small and predictable.
        _ = cgit2_set_cache_max_size(64 << 20)
        _ = cgit2_set_user_agent("capstan")
        // Read no user or system Git configuration: `url.*.insteadOf`, `http.proxy` or credential helpers
        // there would change what a mirror fetches without showing up in Capstan's own settings.
        for level in [GIT_CONFIG_LEVEL_SYSTEM, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL, GIT_CONFIG_LEVEL_PROGRAMDATA] {
            _ = cgit2_set_search_path(Int32(level.rawValue), "")
        }
        return true
    }()
}

/// A failed libgit2 call: its return code, error class and message, read on the calling thread right after
/// the call (libgit2 keeps the last error per thread).
struct LibGit2Error: Error, Sendable, CustomStringConvertible {
    var code: Int32
    var errorClass: Int32
    var message: String
    /// What Capstan was doing ("open repository", "fetch").
    var operation: String

    /// Captures `git_error_last()` for a call that returned `code`. Call with no suspension point in between.
    init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
        if let last = git_error_last() {
            errorClass = last.pointee.klass
            message = last.pointee.message.map { String(cString: $0) } ?? "unknown error"
        } else {
            errorClass = 0
            message = "libgit2 error \(code)"
        }
    }

    init(code: Int32, errorClass: Int32, message: String, operation: String) {
        self.code = code
        self.errorClass = errorClass
        self.message = message
        self.operation = operation
    }

    var description: String { "\(operation): \(message)" }
}

/// Runs a libgit2 call and throws its error (read on this thread) when it returns a negative code.
@discardableResult
func git(_ code: Int32, _ operation: @autoclosure () -> String) throws -> Int32 {
    if code < 0 { throw LibGit2Error(code: code, operation: operation()) }
    return code
}

extension git_oid {
    /// The 40-hex-digit form.
    var hex: String {
        var copy = self
        var buffer = [CChar](repeating: 0, count: 40)
        _ = git_oid_fmt(&buffer, &copy)
        return String(decoding: buffer.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Parses 40 hex digits; nil for anything else.
    init?(hex: String) {
        guard hex.utf8.count == 40, hex.utf8.allSatisfy({ $0 < 128 && ($0 >= 48 && $0 <= 57 || $0 >= 97 && $0 <= 102 || $0 >= 65 && $0 <= 70) }) else {
            return nil
        }
        var oid = git_oid()
        guard git_oid_fromstrn(&oid, hex, 40) == 0 else { return nil }
        self = oid
    }

    /// Whether both ids name the same object.
    func isSame(as other: git_oid) -> Bool {
        var a = self, b = other
        return git_oid_equal(&a, &b) == 1
    }

    /// True for the all-zero id libgit2 uses for "no object".
    var isZero: Bool {
        var copy = self
        return git_oid_is_zero(&copy) == 1
    }
}

/// Whether `text` is a full 40-digit hex object id.
func isObjectID(_ text: String) -> Bool { git_oid(hex: text) != nil }
