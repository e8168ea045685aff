import CapstanModel
/// A container image reference parsed like go-containerregistry `name.ParseReference` (the Kubernetes
/// `Image` library): `[registry/]repository[:tag][@sha256:<64 hex>]`, registry `index.docker.io` and
/// tag `latest` by default, Docker Hub single names under `library/`.
struct ImageReference: Sendable {
    var registry: String
    var repository: String
    var tag: String
    var digest: String

    var identifier: String { digest.isEmpty ? tag : digest }

    static func parse(_ s: String) -> Result<ImageReference, CELEvalErrorMessage> {
        func fail(_ why: String) -> Result<ImageReference, CELEvalErrorMessage> { .failure(CELEvalErrorMessage(why)) }
        var base = Substring(s)
        var digest = ""
        if let at = base.firstIndex(of: "@") {
            digest = String(base[base.index(after: at)...])
            base = base[..<at]
            let hex = digest.dropFirst("sha256:".count)
            guard digest.hasPrefix("sha256:"), hex.count == 64,
                hex.allSatisfy({ $0.isASCII && $0.isHexDigit && !$0.isUppercase })
            else { return fail("invalid digest \(GoQuote.quote(digest))") }
        }
        var tag = ""
        if let colon = base.lastIndex(of: ":"), !base[colon...].contains("/") {
            tag = String(base[base.index(after: colon)...])
            base = base[..<colon]
            let tagChars = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")
            guard (1...128).contains(tag.count), tag.allSatisfy({ tagChars.contains($0) }) else {
                return fail("tag can only contain the characters `abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.`: \(tag)")
            }
        }
        var registry = "index.docker.io"
        var repo = base
        if let slash = base.firstIndex(of: "/") {
            let first = base[..<slash]
            if first.contains(".") || first.contains(":") || first == "localhost" {
                registry = String(first)
                repo = base[base.index(after: slash)...]
                let regChars = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")
                guard !registry.isEmpty, registry.allSatisfy({ regChars.contains($0) }) else {
                    return fail("registries must be valid RFC 3986 URI authorities: \(registry)")
                }
            }
        }
        var repository = String(repo)
        if registry == "index.docker.io" || registry == "docker.io" {
            registry = "index.docker.io"
            if !repository.contains("/") { repository = "library/" + repository }
        }
        let repoChars = Set("abcdefghijklmnopqrstuvwxyz0123456789_-./")
        guard (2...255).contains(repository.count), repository.allSatisfy({ repoChars.contains($0) }),
            !repository.split(separator: "/", omittingEmptySubsequences: false).contains(where: \.isEmpty)
        else {
            return fail("repository can only contain the characters `abcdefghijklmnopqrstuvwxyz0123456789_-./`: \(repository)")
        }
        if digest.isEmpty && tag.isEmpty { tag = "latest" }
        if !digest.isEmpty { tag = "" }
        return .success(ImageReference(registry: registry, repository: repository, tag: tag, digest: digest))
    }
}

/// `kubernetes.Image` values.
final class ImageValue: CELOpaqueValue {
    let reference: ImageReference
    let source: String
    init(_ reference: ImageReference, source: String) {
        self.reference = reference
        self.source = source
    }
    var celType: CELType { .named("kubernetes.Image") }
    func celEquals(_ other: any CELOpaqueValue) -> Bool { (other as? ImageValue)?.source == source }
    var celDescription: String { "image(\(CELValue.quote(source)))" }
}

/// The Kubernetes Image library (image.go): `image`, `isImage`, `containsDigest`, `registry`,
/// `repository`, `tag`, `digest`, `identifier`.
enum KubernetesImage {
    static func image(_ v: CELValue) -> ImageReference? {
        if case .opaque(let o) = v, let i = o as? ImageValue { return i.reference }
        return nil
    }

    static func register(_ t: inout FunctionTable) {
        t.global("image") { v in
            guard case .string(let s) = v else { return nil }
            switch ImageReference.parse(s) {
            case .success(let r): return .opaque(ImageValue(r, source: s))
            case .failure(let e): return .error(e.text)
            }
        }
        t.global("isImage") { v in
            guard case .string(let s) = v else { return nil }
            if case .success = ImageReference.parse(s) { return .bool(true) }
            return .bool(false)
        }
        t.member("containsDigest") { v in image(v).map { .bool(!$0.digest.isEmpty) } }
        t.member("registry") { v in image(v).map { .string($0.registry) } }
        t.member("repository") { v in image(v).map { .string($0.repository) } }
        t.member("tag") { v in image(v).map { .string($0.tag) } }
        t.member("digest") { v in image(v).map { .string($0.digest) } }
        t.member("identifier") { v in image(v).map { .string($0.identifier) } }
    }
}
