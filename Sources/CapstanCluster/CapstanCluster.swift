/// Placeholder until this module is built; see docs/architecture.md.
enum CapstanClusterModule {}
