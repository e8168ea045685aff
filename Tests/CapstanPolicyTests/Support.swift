import CapstanFleet
import CapstanModel
import CapstanPolicy

/// Loads YAML text into fleet objects (file `file`).
func objects(_ yaml: String, file: String = "test.yaml") -> [FleetObject] {
    FleetLoader().load(tree: MemoryTree(texts: [file: yaml])).objects
}
