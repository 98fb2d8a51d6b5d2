import Benchmark
import BrokerCore
import BrokerFixtures
import Foundation

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        timeUnits: .nanoseconds, warmupIterations: 1_000, maxDuration: .seconds(3), maxIterations: 2_000_000)
    let now = Date(timeIntervalSince1970: 1_785_000_000)
    let synthetic = RoutingTable(catalogue: SyntheticCatalogue.make(offers: 100_000, seed: 7, effectiveAt: now), at: now)
    let chat = RequestProfile(capabilities: [.tools], estimatedPromptTokens: 1_800, maxOutputTokens: 600)
    Benchmark("route: 100k synthetic offers, tools, no floor") { benchmark in
        let query = try synthetic.query(for: chat)
        for _ in benchmark.scaledIterations {
            blackHole(Router.route(query, in: synthetic, context: RoutingContext(now: now)))
        }
    }
    Benchmark("route: 100k synthetic offers, quality floor 1400") { benchmark in
        let query = try synthetic.query(for: chat, overrides: RequestOverrides(minQuality: 1_400))
        for _ in benchmark.scaledIterations {
            blackHole(Router.route(query, in: synthetic, context: RoutingContext(now: now, previousProvider: "p3")))
        }
    }
    if let litellm = LiteLLMCatalogue.load(at: now) {
        let table = RoutingTable(catalogue: litellm, at: now)
        Benchmark("route: LiteLLM catalogue (\(table.offerCount) offers), auto") { benchmark in
            let query = try table.query(for: chat)
            for _ in benchmark.scaledIterations {
                blackHole(Router.route(query, in: table, context: RoutingContext(now: now)))
            }
        }
        Benchmark("route: LiteLLM catalogue, tools + vision + 100k prompt") { benchmark in
            let long = RequestProfile(capabilities: [.tools, .vision], estimatedPromptTokens: 100_000, maxOutputTokens: 2_000)
            let query = try table.query(for: long)
            for _ in benchmark.scaledIterations {
                blackHole(Router.route(query, in: table, context: RoutingContext(now: now, previousProvider: "openai")))
            }
        }
    }
}
