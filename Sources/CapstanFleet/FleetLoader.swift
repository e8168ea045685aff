public import CapstanModel
public import CapstanYAML

/// A tree to load and how its paths are shown in messages (lint shows paths as the user typed them).
public struct FleetSource: Sendable {
    public var tree: any FileTree
    /// Maps a tree path to the path printed in locations.
    public var displayPath: @Sendable (String) -> String
    /// Read every file of the tree whatever its extension (a file the user named explicitly).
    public var readsEveryFile: Bool

    public init(tree: any FileTree, readsEveryFile: Bool = false, displayPath: @escaping @Sendable (String) -> String = { $0 }) {
        self.tree = tree
        self.readsEveryFile = readsEveryFile
        self.displayPath = displayPath
    }
}

/// Reads a fleet tree into a `FleetSnapshot`: every `.yaml`/`.yml` file, every document, `kind: List`
/// expanded to its items, empty documents skipped. Problems become diagnostics, never throws: a broken
/// file is reported and the others are still read.
public struct FleetLoader: Sendable {
    public var options: YAMLParseOptions
    /// Lower-case extensions of the files to read.
    public var fileExtensions: Set<String>
    /// Run the identity checks (missing fields, duplicates, name syntax) after loading.
    public var checkIdentity: Bool

    public init(options: YAMLParseOptions = .kubernetes, fileExtensions: Set<String> = ["yaml", "yml"], checkIdentity: Bool = true) {
        self.options = options
        self.fileExtensions = fileExtensions
        self.checkIdentity = checkIdentity
    }

    /// Loads one tree, showing tree paths in messages.
    public func load(tree: any FileTree) -> FleetSnapshot {
        load([FleetSource(tree: tree)])
    }

    /// Loads several trees into one snapshot (duplicates are found across all of them).
    public func load(_ sources: [FleetSource]) -> FleetSnapshot {
        var objects: [FleetObject] = []
        var diagnostics: [Diagnostic] = []
        var files: [FleetSnapshot.File] = []
        for source in sources {
            let entries: [FileEntry]
            do {
                entries = try source.tree.entries()
            } catch {
                diagnostics.append(Diagnostic(.error, message: "\(error)"))
                continue
            }
            for entry in entries where source.readsEveryFile || isYAML(entry.path) {
                let display = source.displayPath(entry.path)
                let before = objects.count
                load(entry, display: display, from: source.tree, into: &objects, diagnostics: &diagnostics)
                files.append(FleetSnapshot.File(path: entry.path, displayPath: display, contentID: entry.contentID, objectCount: objects.count - before))
            }
        }
        if checkIdentity { diagnostics += FleetIdentity.check(objects) }
        return FleetSnapshot(objects: objects, diagnostics: diagnostics, files: files)
    }

    /// The identity checks `load` runs (required fields, duplicates across all `objects`, name and label
    /// syntax), for callers that assemble a snapshot from files loaded separately (the daemon reloads only the
    /// files whose content changed).
    public static func identityDiagnostics(_ objects: [FleetObject]) -> [Diagnostic] { FleetIdentity.check(objects) }

    /// Whether `load` reads a file at `path` (by extension) when it does not read every file.
    public func reads(path: String) -> Bool { isYAML(path) }

    private func isYAML(_ path: String) -> Bool {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return false }
        return fileExtensions.contains(path[path.index(after: dot)...].lowercased())
    }

    private func load(
        _ entry: FileEntry, display: String, from tree: any FileTree, into objects: inout [FleetObject],
        diagnostics: inout [Diagnostic]
    ) {
        let start = SourceLocation(file: display, line: 1, column: 1)
        let bytes: [UInt8]
        do {
            bytes = try tree.contents(of: entry.path)
        } catch {
            diagnostics.append(Diagnostic(.error, at: start, message: "cannot read file: \(error)"))
            return
        }
        let documents: [YAMLDocument]
        do {
            documents = try YAML.parseStream(bytes, file: display, options: options)
        } catch {
            diagnostics.append(error.diagnostic)
            return
        }
        for document in documents where !document.isEmpty {
            guard case .map = document.value else {
                diagnostics.append(Diagnostic(
                    .error, at: document.sourceMap.rootLocation,
                    message: "a Kubernetes object must be a map, but document \(document.index + 1) is a \(document.value.kind)"))
                continue
            }
            let object = FleetObject(
                object: KubeObject(document.value), path: entry.path, documentIndex: document.index, sourceMap: document.sourceMap)
            if isList(object.object) {
                expand(list: object, into: &objects, diagnostics: &diagnostics)
            } else {
                objects.append(object)
            }
        }
    }

    /// `apiVersion: v1, kind: List`: a document holding objects in `items`, as kubectl accepts.
    private func isList(_ o: KubeObject) -> Bool { o.kind == "List" && o.apiVersion == "v1" }

    private func expand(list: FleetObject, into objects: inout [FleetObject], diagnostics: inout [Diagnostic]) {
        guard let itemsValue = list.object.body["items"], !itemsValue.isNull else { return }
        guard case .list(let items) = itemsValue else {
            diagnostics.append(Diagnostic(.error, at: list.location(of: ["items"]), fieldPath: "items", message: "a List's items must be a list, got \(itemsValue.kind)"))
            return
        }
        for (i, item) in items.enumerated() {
            guard case .map = item, let map = list.sourceMap.subMap(at: ["items", .index(i)]) else {
                diagnostics.append(Diagnostic(
                    .error, at: list.location(of: ["items", .index(i)]), fieldPath: "items[\(i)]",
                    message: "a Kubernetes object must be a map, got \(item.kind)"))
                continue
            }
            objects.append(FleetObject(object: KubeObject(item), path: list.path, documentIndex: list.documentIndex, itemIndex: i, sourceMap: map))
        }
    }
}
