// swift-tools-version:6.2
// Capstan — a GitOps reconciler for Cluster API fleets.
//
// The manifest is laid out in the order data flows:
//   source (Git) → fleet snapshot → render (topology) → policy → diff → apply (management cluster)
//   → observe (providers) → report (plan, status).
// Pure modules (no C library, no I/O) come first; edges (libgit2, SQLite, HTTP) after them;
// the reconciler joins them through ports; the executable wires everything together.
import PackageDescription

let settings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Capstan",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "capstan", targets: ["capstan"]),
        .executable(name: "capstan-bench", targets: ["CapstanBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // MARK: C libraries (one module per library, with a shim header for what Swift cannot import)
        .systemLibrary(name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        // MARK: Pure core — values in, values out
        .target(name: "CapstanModel", swiftSettings: settings),
        .target(
            name: "CapstanTemplate",
            dependencies: ["CapstanModel", "CapstanRegex", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: settings),
        .target(name: "CapstanRegex", swiftSettings: settings),
        .target(name: "CapstanCEL", dependencies: ["CapstanModel", "CapstanRegex"], swiftSettings: settings),
        .target(name: "CapstanCluster", dependencies: ["CapstanModel"], swiftSettings: settings),
        .target(name: "CapstanDiff", dependencies: ["CapstanModel", "CapstanCluster"], swiftSettings: settings),

        // MARK: YAML (libyaml) and the fleet snapshot built from it
        .target(name: "CapstanYAML", dependencies: ["CapstanModel", "CYAML"], swiftSettings: settings),
        .target(name: "CapstanFleet", dependencies: ["CapstanModel", "CapstanYAML"], swiftSettings: settings),

        // MARK: Render → policy → plan
        .target(
            name: "CapstanTopology",
            dependencies: [
                "CapstanModel", "CapstanYAML", "CapstanTemplate", "CapstanCEL", "CapstanFleet", "CapstanPolicy", "CapstanRegex",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: settings),
        .target(
            name: "CapstanPolicy", dependencies: ["CapstanModel", "CapstanCEL", "CapstanYAML", "CapstanFleet"],
            swiftSettings: settings),
        .target(
            name: "CapstanPlan",
            dependencies: [
                "CapstanModel", "CapstanFleet", "CapstanTopology", "CapstanDiff", "CapstanPolicy", "CapstanYAML", "CapstanCluster",
            ],
            swiftSettings: settings),

        // MARK: Edges — Git, the embedded management cluster, HTTP
        .target(
            name: "CapstanGit",
            dependencies: ["CapstanModel", "CapstanFleet", "CGit2", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: settings),
        .target(
            name: "CapstanStore",
            dependencies: ["CapstanModel", "CapstanCluster", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: settings),
        .target(name: "CapstanProviders", dependencies: ["CapstanModel", "CapstanCluster"], swiftSettings: settings),
        .target(name: "CapstanCurl", dependencies: ["CCurl"], swiftSettings: settings),

        // MARK: The loop, its server, the executable
        .target(
            name: "CapstanReconciler",
            dependencies: [
                "CapstanModel", "CapstanYAML", "CapstanFleet", "CapstanTopology", "CapstanDiff", "CapstanPolicy", "CapstanCluster",
                "CapstanPlan", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings),
        .target(
            name: "CapstanServer",
            dependencies: [
                "CapstanModel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: settings),
        .executableTarget(
            name: "capstan",
            dependencies: [
                "CapstanModel", "CapstanYAML", "CapstanFleet", "CapstanTemplate", "CapstanCEL", "CapstanTopology",
                "CapstanDiff", "CapstanPolicy", "CapstanPlan", "CapstanGit", "CapstanCluster", "CapstanStore",
                "CapstanProviders", "CapstanReconciler", "CapstanServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: settings),

        // MARK: Benchmarks (run with `make bench`; release build)
        .executableTarget(
            name: "CapstanBench",
            dependencies: [
                "CapstanModel", "CapstanYAML", "CapstanFleet", "CapstanTemplate", "CapstanCEL", "CapstanTopology",
                "CapstanDiff", "CapstanPolicy", "CapstanPlan", "CapstanGit", "CapstanCluster", "CapstanStore", "CapstanProviders",
                "CapstanReconciler", "CYAML",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/CapstanBench",
            swiftSettings: settings),

        // MARK: Test support and tests
        .target(
            name: "CapstanTesting",
            dependencies: ["CapstanModel", "CapstanYAML", "CapstanFleet", "CapstanCluster", "CapstanCurl"],
            swiftSettings: settings),
        .testTarget(name: "CapstanModelTests", dependencies: ["CapstanModel", "CapstanTesting"], swiftSettings: settings),
        .testTarget(name: "CapstanRegexTests", dependencies: ["CapstanRegex"], swiftSettings: settings),
        .testTarget(name: "CapstanYAMLTests", dependencies: ["CapstanYAML", "CapstanTesting"], swiftSettings: settings),
        .testTarget(name: "CapstanTemplateTests", dependencies: ["CapstanTemplate", "CapstanTesting"], swiftSettings: settings),
        .testTarget(
            name: "CapstanCELTests", dependencies: ["CapstanCEL", "CapstanTesting"], exclude: ["Conformance"],
            swiftSettings: settings),
        .testTarget(name: "CapstanFleetTests", dependencies: ["CapstanFleet", "CapstanTesting"], swiftSettings: settings),
        .testTarget(
            name: "CapstanTopologyTests", dependencies: ["CapstanTopology", "CapstanTesting"], exclude: ["Fixtures", "Golden"],
            swiftSettings: settings),
        .testTarget(
            name: "CapstanDiffTests", dependencies: ["CapstanDiff", "CapstanCluster", "CapstanModel", "CapstanYAML", "CapstanTesting"],
            swiftSettings: settings),
        .testTarget(
            name: "CapstanPolicyTests",
            dependencies: ["CapstanPolicy", "CapstanCEL", "CapstanModel", "CapstanYAML", "CapstanFleet", "CapstanTesting"],
            swiftSettings: settings),
        .testTarget(
            name: "CapstanPlanTests",
            dependencies: [
                "CapstanPlan", "CapstanDiff", "CapstanTopology", "CapstanFleet", "CapstanPolicy", "CapstanCluster", "CapstanStore",
                "CapstanProviders", "CapstanYAML", "CapstanModel", "CapstanTesting",
            ],
            exclude: ["Golden"], swiftSettings: settings),
        .testTarget(name: "CapstanGitTests", dependencies: ["CapstanGit", "CapstanTesting"], swiftSettings: settings),
        .testTarget(name: "CapstanClusterTests", dependencies: ["CapstanCluster", "CapstanStore", "CapstanTesting"], swiftSettings: settings),
        .testTarget(
            name: "CapstanProvidersTests", dependencies: ["CapstanProviders", "CapstanCluster", "CapstanStore", "CapstanTesting"],
            exclude: ["Golden"], swiftSettings: settings),
        .testTarget(
            name: "CapstanReconcilerTests",
            dependencies: [
                "CapstanReconciler", "CapstanTesting", "CapstanProviders", "CapstanCluster", "CapstanFleet", "CapstanModel", "CapstanYAML",
            ],
            swiftSettings: settings),
        .testTarget(
            name: "CapstanServerTests",
            dependencies: [
                "CapstanServer", "CapstanTesting", "CapstanCurl", "CapstanModel",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: settings),
        .testTarget(name: "CapstanCurlTests", dependencies: ["CapstanCurl", "CapstanTesting"], swiftSettings: settings),
        .testTarget(name: "CapstanCLITests", dependencies: ["CapstanTesting"], swiftSettings: settings),
    ]
)
