import CapstanFleet
import Foundation

/// Which revision of a remote to follow.
///
/// Written (`--ref`) as: nothing (the remote's default branch), `main` or `branch:main` or `refs/heads/main`,
/// `tag:v1.2.0` or `refs/tags/v1.2.0`, `semver:>=1.0.0 <2.0.0` (the highest matching tag), `commit:<40 hex>`
/// or a bare 40-hex id (pinned; no network once the mirror has it), and any other `refs/...` name as is.
public enum GitRef: Hashable, Sendable, CustomStringConvertible {
    case defaultBranch
    case branch(String)
    case tag(String)
    case semver(SemverRange)
    case commit(String)
    /// A full ref name outside heads and tags (`refs/pull/42/head`).
    case reference(String)

    /// Parses the `--ref` syntax.
    public init(parsing text: String?) throws {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            self = .defaultBranch
            return
        }
        func nonEmpty(_ s: Substring) throws -> String {
            guard !s.isEmpty else { throw SourceError(.notFound, source: "--ref", ref: text, message: "empty name in ref '\(text)'") }
            return String(s)
        }
        if text.hasPrefix("branch:") { self = .branch(try nonEmpty(text.dropFirst(7))) }
        else if text.hasPrefix("tag:") { self = .tag(try nonEmpty(text.dropFirst(4))) }
        else if text.hasPrefix("semver:") {
            do { self = .semver(try SemverRange(String(text.dropFirst(7)))) }
            catch { throw SourceError(.notFound, source: "--ref", ref: text, message: error.description) }
        }
        else if text.hasPrefix("commit:") {
            let id = String(text.dropFirst(7)).lowercased()
            guard isObjectID(id) else {
                throw SourceError(.notFound, source: "--ref", ref: text, message: "a pinned commit needs the full 40-digit id")
            }
            self = .commit(id)
        }
        else if text.hasPrefix("refs/heads/") { self = .branch(try nonEmpty(text.dropFirst(11))) }
        else if text.hasPrefix("refs/tags/") { self = .tag(try nonEmpty(text.dropFirst(10))) }
        else if text.hasPrefix("refs/") { self = .reference(text) }
        else if isObjectID(text) { self = .commit(text.lowercased()) }
        else { self = .branch(text) }
    }

    /// The `--ref` text this value parses from.
    public var description: String {
        switch self {
        case .defaultBranch: return "HEAD"
        case .branch(let name): return "branch:\(name)"
        case .tag(let name): return "tag:\(name)"
        case .semver(let range): return "semver:\(range.text)"
        case .commit(let id): return "commit:\(id)"
        case .reference(let name): return name
        }
    }

    /// The full ref name, when the selector names exactly one.
    var refName: String? {
        switch self {
        case .branch(let name): return "refs/heads/\(name)"
        case .tag(let name): return "refs/tags/\(name)"
        case .reference(let name): return name
        case .defaultBranch, .semver, .commit: return nil
        }
    }

    /// Picks the ref to follow from a remote's advertisement; nil when none matches.
    func resolve(in advertised: [AdvertisedRef]) -> AdvertisedRef? {
        switch self {
        case .defaultBranch:
            guard let head = advertised.first(where: { $0.name == "HEAD" }) else { return nil }
            if let target = head.symrefTarget, let branch = advertised.first(where: { $0.name == target }) { return branch }
            // Servers that do not advertise the symref: the first branch pointing where HEAD points.
            return advertised.first { $0.name.hasPrefix("refs/heads/") && $0.id == head.id }
        case .semver(let range):
            var best: (SemanticVersion, AdvertisedRef)?
            for ref in advertised where ref.name.hasPrefix("refs/tags/") && !ref.name.hasSuffix("^{}") {
                guard let version = SemanticVersion(String(ref.name.dropFirst(10))), range.contains(version) else { continue }
                if best == nil || best!.0 < version { best = (version, ref) }
            }
            return best?.1
        case .commit:
            return nil
        case .branch, .tag, .reference:
            return advertised.first { $0.name == refName }
        }
    }
}

/// One ref from a remote's advertisement (`git ls-remote`).
struct AdvertisedRef: Hashable, Sendable, Codable {
    var name: String
    /// The object the ref points to (an annotated tag's own id for tags).
    var id: String
    /// The commit an annotated tag points to (from the `^{}` line), when the server sent one.
    var peeled: String?
    /// For `HEAD`, the branch it points to when the server says so.
    var symrefTarget: String?
}
