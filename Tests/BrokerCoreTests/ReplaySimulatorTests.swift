import BrokerCore
import Foundation
import Testing

/// Hand-computed timelines through the real router: two hosts `a` and `b` sell model `m`.
@Suite struct ReplaySimulatorTests {
    static let day: TimeInterval = 86_400
    static let start = Date(timeIntervalSince1970: 1_750_032_000)  // a midnight UTC

    static func at(_ day: Int) -> Date { start.addingTimeInterval(Double(day) * Self.day) }

    /// Prices in USD per Mtok for input and output alike.
    static func version(_ usd: String, day: Int) -> PriceVersion {
        let price = Price.perMtok(TokenPrice(usdPerMtok: usd)!)
        return PriceVersion(input: price, output: price, effectiveAt: at(day), source: "test")
    }

    static func timeline(_ versions: [String: [PriceVersion]]) -> MarketTimeline {
        let providers = ["a", "b"].map { Provider(id: $0, wireFormat: .openai, baseURL: "test:", region: "us") }
        let model = Model(id: "m", family: "m", quality: QualityScore(score: 1_400, source: "test"), advertisedContext: 100_000, maxOutputTokens: 10_000)
        return MarketTimeline(
            providers: providers, models: [model],
            versions: Dictionary(uniqueKeysWithValues: versions.map { (OfferID(provider: $0.key, model: "m"), $0.value) }),
            policies: [Policy(id: "auto")])
    }

    /// The provider each step's first request went to, and whether it was held, per threshold.
    static func replay(_ timeline: MarketTimeline, thresholds: [Int], days: Int) throws -> [Int: [(provider: String?, held: Bool)]] {
        let workload = Workload(
            name: "test", streams: [WorkloadStream(tenant: "t", model: "auto", promptTokens: 1_000, maxTokens: 100, requestsPerDay: 4)],
            end: at(days - 1))
        var result: [Int: [(String?, Bool)]] = [:]
        try ReplaySimulator(timeline: timeline, workload: workload, thresholds: thresholds).run { batch in
            #expect(batch.requestCount == 4)
            let first = batch.parts[0].decision
            var held = false
            if case .held = first.hysteresis { held = true }
            result[batch.thresholdBasisPoints, default: []].append((first.chosen?.offer.provider, held))
        }
        return result
    }

    @Test func aCutMovesTheStreamOnTheDayItTakesEffect() throws {
        let market = Self.timeline(["a": [Self.version("1", day: 0)], "b": [Self.version("2", day: 0), Self.version("0.5", day: 2)]])
        let runs = try Self.replay(market, thresholds: [0], days: 4)
        #expect(runs[0]!.map(\.provider) == ["a", "a", "b", "b"])
    }

    @Test func aReversedCutMovesTheStreamBack() throws {
        let market = Self.timeline([
            "a": [Self.version("1", day: 0)], "b": [Self.version("2", day: 0), Self.version("0.5", day: 1), Self.version("2", day: 3)],
        ])
        let runs = try Self.replay(market, thresholds: [0], days: 5)
        #expect(runs[0]!.map(\.provider) == ["a", "b", "b", "a", "a"])
    }

    @Test func aTieStaysWithTheIncumbent() throws {
        // Day 0: b is cheaper and wins; day 1: a matches b exactly. A tie never switches.
        let market = Self.timeline(["a": [Self.version("2", day: 0), Self.version("1", day: 1)], "b": [Self.version("1", day: 0)]])
        let runs = try Self.replay(market, thresholds: [0], days: 3)
        #expect(runs[0]!.map(\.provider) == ["b", "b", "b"])
        #expect(runs[0]!.map(\.held) == [false, true, true])
    }

    @Test func hysteresisHoldsBelowTheThresholdAndReleasesAbove() throws {
        // b cuts 20% on day 1 (below 25%: held at 25, moves at 0 and 10), then 50% on day 3 (everyone moves).
        let market = Self.timeline(["a": [Self.version("1", day: 0)], "b": [Self.version("2", day: 0), Self.version("0.8", day: 1), Self.version("0.5", day: 3)]])
        let runs = try Self.replay(market, thresholds: [0, 1_000, 2_500], days: 4)
        #expect(runs[0]!.map(\.provider) == ["a", "b", "b", "b"])
        #expect(runs[1_000]!.map(\.provider) == ["a", "b", "b", "b"])
        #expect(runs[2_500]!.map(\.provider) == ["a", "a", "a", "b"])
        #expect(runs[2_500]!.map(\.held) == [false, true, true, false])
    }

    @Test func theCatalogueAtADateHasTheVersionInForce() {
        let market = Self.timeline(["a": [Self.version("1", day: 0), Self.version("3", day: 5)]])
        #expect(market.catalogue(at: Self.at(4)).offers.first?.price?.input == .perMtok(TokenPrice(usdPerMtok: "1")!))
        #expect(market.catalogue(at: Self.at(5)).offers.first?.price?.input == .perMtok(TokenPrice(usdPerMtok: "3")!))
        #expect(market.catalogue(at: Self.at(-1)).offers.isEmpty)
        #expect(market.moves().map(\.depthBasisPoints) == [20_000])
    }
}
