// swift-tools-version: 6.1
// TokenBroker: a price-aware LLM gateway. Layers (dependency direction: down only) are
// described in docs/ARCHITECTURE.md; BrokerCore is pure and has no dependencies.

import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "TokenBroker",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tokenbrokerd", targets: ["tokenbrokerd"]),
        .executable(name: "tokenbroker", targets: ["tokenbroker"]),
        .executable(name: "tokenbroker-mock", targets: ["tokenbroker-mock"]),
        .library(name: "BrokerCore", targets: ["BrokerCore"]),
        .library(name: "BrokerStore", targets: ["BrokerStore"]),
        .library(name: "PriceFeeds", targets: ["PriceFeeds"]),
        .library(name: "ControlPlane", targets: ["ControlPlane"]),
        .library(name: "CurlTransport", targets: ["CurlTransport"]),
        .library(name: "BrokerFixtures", targets: ["BrokerFixtures"]),
        .library(name: "ProviderAdapters", targets: ["ProviderAdapters"]),
        .library(name: "Gateway", targets: ["Gateway"]),
        .library(name: "MockProvider", targets: ["MockProvider"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // traits: [] keeps Hummingbird's optional transports (TLS, HTTP/2) out of the build.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // SHA-256 of tenant API keys (only hashes are stored).
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        // Pure: catalogue, money, requirements, pricing, router. No I/O, time passed in.
        // ExactJSON (itself pure, no dependencies) reads request bodies.
        .target(name: "BrokerCore", dependencies: ["ExactJSON"], swiftSettings: strictSettings),
        // SQLite catalogue, price history and decision log behind the CatalogueStore protocol.
        .target(
            name: "BrokerStore",
            dependencies: [
                "BrokerCore", "ExactJSON", .product(name: "GRDB", package: "GRDB.swift"),
                // The system SQLite GRDB links, for the replay's bulk insert (raw sqlite3_bind_*).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings),
        // libcurl, through typed wrappers of its variadic functions (Debian: libcurl4-openssl-dev).
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // Asynchronous HTTP on libcurl's multi interface: upstream providers, feeds, the CLI's socket client.
        .target(name: "CurlTransport", dependencies: ["CCurl"], swiftSettings: strictSettings),
        // Provider YAML files and the LiteLLM / OpenRouter / price-history importers.
        .target(
            name: "PriceFeeds",
            dependencies: ["BrokerCore", "BrokerStore", "ExactJSON", .product(name: "Yams", package: "Yams")],
            swiftSettings: strictSettings),
        // The control plane: the API's JSON contracts (shared by the daemon and the CLI), CLI views
        // and the socket client.
        .target(
            name: "ControlPlane",
            dependencies: ["BrokerCore", "BrokerStore", "PriceFeeds", "CurlTransport"],
            swiftSettings: strictSettings),
        // Wire formats: OpenAI-compatible, Anthropic Messages, Gemini; pure encode/decode, no I/O.
        // Exact JSON: member order and number text survive (money never passes through a Double).
        .target(name: "ExactJSON", swiftSettings: strictSettings),
        .target(name: "ProviderAdapters", dependencies: ["BrokerCore", "ExactJSON"], swiftSettings: strictSettings),
        // The gateway: the OpenAI-compatible HTTP front, routing, failover, keys, metrics and
        // the daemon's services; calls providers through adapters and the transport.
        .target(
            name: "Gateway",
            dependencies: [
                "BrokerCore", "BrokerStore", "CurlTransport", "ProviderAdapters", "PriceFeeds", "ExactJSON", "ControlPlane",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings),
        .executableTarget(
            name: "tokenbroker",
            dependencies: [
                "BrokerCore", "BrokerStore", "PriceFeeds", "ControlPlane", "CurlTransport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings),
        .executableTarget(
            name: "tokenbrokerd",
            dependencies: [
                "BrokerCore", "BrokerStore", "PriceFeeds", "Gateway",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings),
        // The mock upstream provider (OpenAI, Anthropic, Gemini wire formats) for tests,
        // demos and benchmarks. It shares no code with the product on purpose: it stands in
        // for the providers, so it must not inherit the gateway's reading of their formats.
        .target(
            name: "MockProvider",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings),
        .executableTarget(
            name: "tokenbroker-mock",
            dependencies: [
                "MockProvider",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: strictSettings),
        // Test support shared by tests and benchmarks: synthetic catalogues, child processes.
        .target(name: "BrokerFixtures", dependencies: ["BrokerCore"], swiftSettings: strictSettings),
        .testTarget(name: "BrokerCoreTests", dependencies: ["BrokerCore", "BrokerFixtures"], swiftSettings: strictSettings),
        .testTarget(
            name: "BrokerStoreTests", dependencies: ["BrokerStore", "PriceFeeds"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "Gateway", "CurlTransport", "ProviderAdapters", "BrokerFixtures", "BrokerCore", "BrokerStore", "ExactJSON",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: strictSettings),
        .testTarget(name: "CurlTransportTests", dependencies: ["CurlTransport", "BrokerFixtures"], swiftSettings: strictSettings),
        .testTarget(
            name: "ControlPlaneTests", dependencies: ["ControlPlane", "BrokerCore", "BrokerStore", "BrokerFixtures", "CurlTransport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "PriceFeedsTests", dependencies: ["PriceFeeds", "ExactJSON"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings),
        .testTarget(
            name: "ProviderAdaptersTests", dependencies: ["ProviderAdapters", "BrokerCore", "ExactJSON"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings),
        .testTarget(
            name: "MockProviderTests",
            dependencies: [
                "MockProvider", "BrokerFixtures",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings),
    ],
    swiftLanguageModes: [.v6]
)
