import CapstanFleet
import CapstanModel

/// Loads fleet revisions incrementally: a file whose content id (the Git blob id) is the same as in the
/// revision before is neither read nor parsed again; its objects and problems come from the cache.
struct FleetFileCache: Sendable {
    /// What one file held.
    struct Entry: Sendable {
        var contentID: String
        var objects: [FleetObject]
        var diagnostics: [Diagnostic]
    }

    /// The outcome of loading one revision.
    struct Loaded: Sendable {
        var snapshot: FleetSnapshot
        /// Paths (inside the tree) whose content differs from the previous load, added or removed.
        var changedPaths: Set<String>
        /// Files read and parsed this time.
        var filesParsed: Int
    }

    private(set) var entries: [String: Entry] = [:]
    let loader = FleetLoader(checkIdentity: false)

    /// Loads `tree`, showing paths as `displayPrefix + path`. Throws when the tree cannot be listed.
    mutating func load(tree: any FileTree, displayPrefix: String) throws -> Loaded {
        let listed = try tree.entries().filter { loader.reads(path: $0.path) }
        var next: [String: Entry] = [:]
        var changed = Set<String>()
        var parsed = 0
        for entry in listed {
            if let cached = entries[entry.path], cached.contentID == entry.contentID {
                next[entry.path] = cached
                continue
            }
            changed.insert(entry.path)
            parsed += 1
            let single = FleetSource(tree: OneFileTree(base: tree, entry: entry)) { displayPrefix + $0 }
            let snapshot = loader.load([single])
            next[entry.path] = Entry(contentID: entry.contentID, objects: snapshot.objects, diagnostics: snapshot.diagnostics)
        }
        for path in entries.keys where next[path] == nil { changed.insert(path) }
        entries = next
        var objects: [FleetObject] = []
        var diagnostics: [Diagnostic] = []
        var files: [FleetSnapshot.File] = []
        for entry in listed {
            guard let e = next[entry.path] else { continue }
            objects += e.objects
            diagnostics += e.diagnostics
            files.append(FleetSnapshot.File(path: entry.path, displayPath: displayPrefix + entry.path, contentID: e.contentID, objectCount: e.objects.count))
        }
        diagnostics += FleetLoader.identityDiagnostics(objects)
        return Loaded(snapshot: FleetSnapshot(objects: objects, diagnostics: diagnostics, files: files), changedPaths: changed, filesParsed: parsed)
    }

    /// The content id of every cached file (what the last revision held).
    var contentIDs: [String: String] { entries.mapValues(\.contentID) }
}

/// A tree of one file of another tree (to parse files one at a time).
struct OneFileTree: FileTree {
    let base: any FileTree
    let entry: FileEntry
    func entries() throws -> [FileEntry] { [entry] }
    func contents(of path: String) throws -> [UInt8] { try base.contents(of: path) }
}
