// swift-tools-version: 6.1
// Micro-benchmarks (ordo-one/benchmark). A package of their own so `make test` never builds
// them: run `make bench`, or `swift package benchmark` in this directory.

import PackageDescription

let package = Package(
    name: "TokenBrokerBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "TokenBroker", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "RoutingBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "BrokerCore", package: "TokenBroker"),
                .product(name: "BrokerFixtures", package: "TokenBroker"),
                .product(name: "PriceFeeds", package: "TokenBroker"),
            ],
            path: "Benchmarks/RoutingBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
        // Load generator for Benchmarks/transport.sh (a plain executable, not a micro-benchmark).
        .executableTarget(
            name: "TransportLoad",
            dependencies: [.product(name: "CurlTransport", package: "TokenBroker")],
            path: "Benchmarks/TransportLoad"),
    ],
    swiftLanguageModes: [.v6]
)
