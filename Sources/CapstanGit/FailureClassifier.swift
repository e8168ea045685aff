import CapstanFleet
import CGit2
import Foundation

/// Maps a libgit2 failure, plus what the callbacks saw, to a stable `SourceFailureReason`.
///
/// libgit2 1.5 reports many conditions only as text (HTTP status codes, server `ERR` lines, SSH stderr), so
/// the message is consulted after the codes and the callbacks' own records.
enum FailureClassifier {
    static func classify(_ error: LibGit2Error, state: CallbackState?, ref: String?, secrets: [String]) -> WorkerFailure {
        let (reason, message) = reasonAndMessage(error, state: state)
        return WorkerFailure(reason: reason, message: scrub(message, secrets: secrets), ref: ref)
    }

    private static func reasonAndMessage(_ error: LibGit2Error, state: CallbackState?) -> (SourceFailureReason, String) {
        let text = error.message
        let lower = text.lowercased()
        if let state {
            if let failure = state.authFailure { return (.authFailed, failure) }
            switch state.hostKeyVerdict {
            case .mismatch(let message)?: return (.hostKeyMismatch, message)
            case .unknown(let message)?: return (.unknownHost, message)
            case .trusted?, nil: break
            }
            if state.tlsRejected || error.code == GIT_ECERTIFICATE.rawValue {
                return (.unknownHost, "the TLS certificate is not trusted (\(text)); pass --ca-file with the CA that signed it")
            }
        }
        let authHints = ["authentication", "failed to authenticate", "401", "unauthorized", "permission denied (publickey",
                         "wrong passphrase", "unable to extract public key"]
        if error.code == GIT_EAUTH.rawValue || authHints.contains(where: lower.contains) {
            return (.authFailed, text)
        }
        if error.code == GIT_ENONFASTFORWARD.rawValue { return (.rejected, text) }
        let notFoundHints = [
            "404", "not found", "does not appear to be a git repository", "not exported", "could not find repository",
            "no such file or directory", "repository not found", "does not exist", "no such repository",
        ]
        if error.code == GIT_ENOTFOUND.rawValue || notFoundHints.contains(where: lower.contains) {
            return (.notFound, text)
        }
        if lower.contains("unsupported url protocol") || lower.contains("unsupported") && error.errorClass == Int32(GIT_ERROR_INVALID.rawValue) {
            return (.unsupported, text)
        }
        // A pack cut off by a dying server shows up as an indexer or zlib error; that is the network's fault.
        let cutOff = ["eof", "truncated", "unexpected end", "connection", "reset", "broken pipe", "timed out", "socket"]
        if cutOff.contains(where: lower.contains) { return (.network, text) }
        let dataClasses = [GIT_ERROR_ODB, GIT_ERROR_ZLIB, GIT_ERROR_OBJECT, GIT_ERROR_INDEXER, GIT_ERROR_REPOSITORY, GIT_ERROR_REFERENCE]
        if dataClasses.contains(where: { Int32($0.rawValue) == error.errorClass }) { return (.corrupt, text) }
        return (.network, text)
    }

    /// Removes secrets and URL credentials from a message before it leaves the worker.
    static func scrub(_ message: String, secrets: [String]) -> String {
        var out = message
        for secret in secrets { out = out.replacingOccurrences(of: secret, with: "<redacted>") }
        // `scheme://user:password@host` anywhere in the text.
        var result = ""
        var rest = Substring(out)
        while let scheme = rest.range(of: "://") {
            result += rest[..<scheme.upperBound]
            rest = rest[scheme.upperBound...]
            let end = rest.firstIndex(where: { $0 == "/" || $0 == " " || $0 == "'" || $0 == "\"" }) ?? rest.endIndex
            if let at = rest[..<end].lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        }
        return result + rest
    }
}
