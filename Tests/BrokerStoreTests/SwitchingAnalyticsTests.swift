import BrokerCore
import BrokerStore
import Foundation
import Testing

/// Every switching measure on a small hand-computed decision log in a real SQLite file.
///
/// Two streams over five days, one decision a day at 01:00. Hosts `a` and `b` sell `m`;
/// a costs 1 USD/Mtok throughout, b costs 2, cuts to 0.5 on day 2 and goes back to 2 on
/// day 4. Each decision is 1,000 prompt tokens: 0.001 USD (10⁶ nano) at a, 5·10⁵ at b's cut.
///
/// | day | t1/p (s1)      | t2/p (s2) |
/// | --- | -------------- | --------- |
/// | 0   | a              | a         |
/// | 1   | a              | a         |
/// | 2   | b (switch)     | a         |
/// | 3   | b              | a         |
/// | 4   | a (switch back)| a         |
@Suite struct SwitchingAnalyticsTests {
    static let day: TimeInterval = 86_400
    static let start = Date(timeIntervalSince1970: 1_750_032_000)  // a midnight UTC
    static let a = OfferID(provider: "a", model: "m")
    static let b = OfferID(provider: "b", model: "m")

    static func at(_ day: Int, hour: Int = 0) -> Date { start.addingTimeInterval(Double(day) * Self.day + Double(hour) * 3_600) }

    static func version(_ usd: String, day: Int) -> PriceVersion {
        PriceVersion(input: .perMtok(TokenPrice(usdPerMtok: usd)!), output: .perMtok(TokenPrice(usdPerMtok: usd)!), effectiveAt: at(day), source: "test")
    }

    static func makeStore() throws -> SQLiteStore {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tokenbroker-switching-\(UUID().uuidString)")
        let store = try SQLiteStore(path: directory.appendingPathComponent("replay.sqlite").path)
        let model = Model(id: "m", family: "m", advertisedContext: 100_000, maxOutputTokens: 10_000)
        _ = try store.importPrices(
            PriceBatch(
                models: [model], offers: [Offer(id: a), Offer(id: b)],
                versions: [(a, version("1", day: 0)), (b, version("2", day: 0)), (b, version("0.5", day: 2)), (b, version("2", day: 4))]))
        let s1: [OfferID] = [a, a, b, b, a]
        var records: [DecisionRecord] = []
        for (tenant, offers) in [("t1", s1), ("t2", [a, a, a, a, a])] {
            var previous: String?
            for (day, offer) in offers.enumerated() {
                let cheap = offer == b
                records.append(
                    DecisionRecord(
                        id: "\(tenant)-\(day)", at: at(day, hour: 1), tenant: tenant, policy: "p", target: "p", chosen: offer,
                        expectedCost: Money(nanoUSD: cheap ? 500_000 : 1_000_000), priceEffectiveAt: at(cheap ? 2 : 0),
                        promptTokensEstimate: 1_000, outputTokensEstimate: 0, previousProvider: previous,
                        switched: previous != nil && previous != offer.provider))
                previous = offer.provider
            }
        }
        try store.recordDecisions(records)
        return store
    }

    @Test func switchRateIsSwitchesOverDecisions() throws {
        let store = try Self.makeStore()
        let rates = try store.switchRates(SwitchingFilter())
        #expect(rates.map(\.streamKey) == [nil, "t1/p", "t2/p"])
        #expect(rates.map(\.decisions) == [10, 5, 5])
        #expect(rates.map(\.switches) == [2, 2, 0])
        #expect(rates.map(\.rateBasisPoints) == [2_000, 4_000, 0])
        #expect(try store.switchRates(SwitchingFilter(tenant: "t2")).first?.switches == 0)
        #expect(try store.switchRates(SwitchingFilter(tenantSuffix: "1")).first?.decisions == 5)
        #expect(try store.switchRates(SwitchingFilter(since: Self.at(2), until: Self.at(4))).first?.decisions == 4)
    }

    @Test func churnIsSpendServedByAnotherProviderThanLastPeriods() throws {
        let churn = try Self.makeStore().churn(SwitchingFilter(period: .day))
        #expect(churn.map(\.start) == (0..<5).map { Self.at($0) })
        #expect(churn.map(\.spendNanoUSD) == [2_000_000, 2_000_000, 1_500_000, 1_500_000, 2_000_000])
        #expect(churn.map(\.churnedSpendNanoUSD) == [0, 0, 500_000, 0, 1_000_000])
        #expect(churn.map(\.spendChurnBasisPoints) == [0, 0, 3_333, 0, 5_000])
        #expect(churn.map(\.requestChurnBasisPoints) == [0, 0, 5_000, 0, 5_000])
    }

    /// A window starting at day 2 compares day 2 with day 1, outside it: t1 moved to b then.
    /// (It read as all new, 0% churn, while `switches` listed the move.)
    @Test func theWindowsFirstPeriodIsComparedWithTheOneBefore() throws {
        let store = try Self.makeStore()
        let churn = try store.churn(SwitchingFilter(since: Self.at(2), period: .day))
        #expect(churn.map(\.start) == (2..<5).map { Self.at($0) })
        #expect(churn.map(\.churnedSpendNanoUSD) == [500_000, 0, 1_000_000])
        // Mid-period: the day's decisions before `since` are outside the sums, not the comparison.
        let late = try store.churn(SwitchingFilter(since: Self.at(2, hour: 12), period: .day))
        #expect(late.map(\.start) == (3..<5).map { Self.at($0) })
        #expect(late.map(\.churnedSpendNanoUSD) == [0, 1_000_000])
        let hours = try store.churn(SwitchingFilter(since: Self.at(2, hour: 1), period: .hour))
        #expect(hours.first?.churnedSpendNanoUSD == 0, "hour 1 of day 2 follows an hour without decisions: new")
    }

    @Test func retentionAndTheLoyaltyIndex() throws {
        let store = try Self.makeStore()
        let retention = try store.retention(SwitchingFilter(period: .day))
        let a = retention.filter { $0.provider == "a" }
        #expect(a.map(\.start) == (1..<5).map { Self.at($0) })
        #expect(a.map(\.retentionBasisPoints) == [10_000, 5_000, 10_000, 10_000])
        let b = retention.filter { $0.provider == "b" }
        #expect(b.map(\.retentionBasisPoints) == [10_000, 0])
        let loyalty = try store.loyalty(SwitchingFilter(period: .day))
        #expect(loyalty == [
            LoyaltyIndex(provider: "a", periods: 4, meanRetentionBasisPoints: 8_750),
            LoyaltyIndex(provider: "b", periods: 2, meanRetentionBasisPoints: 5_000),
        ])
    }

    @Test func concentrationIsTheHHIOfEachPeriod() throws {
        let points = try Self.makeStore().concentration(SwitchingFilter(period: .day))
        #expect(points.map(\.hhi) == [10_000, 10_000, 5_556, 5_556, 10_000])
        #expect(points.map(\.providers) == [1, 1, 2, 2, 1])
        // The five days are Monday to Friday of one week: a 8·10⁶, b 10⁶ → (8/9)² + (1/9)² = 65/81.
        #expect(try Self.makeStore().concentration(SwitchingFilter(period: .week)).map(\.hhi) == [8_025])
    }

    @Test func timeToSwitchRunsFromThePriceEventBehindIt() throws {
        let events = try Self.makeStore().switchEvents(SwitchingFilter())
        #expect(events.map(\.to) == [Self.b, Self.a])
        #expect(events.map(\.from) == [Self.a, Self.b])
        // To b: b's cut took effect at day 2, 00:00. Back to a: a's price is old, but b's raise is day 4.
        #expect(events.map(\.eventAt) == [Self.at(2), Self.at(4)])
        #expect(events.map(\.lagSeconds) == [3_600, 3_600])
    }

    @Test func costOfLoyaltyPricesTheFirstOfferAtEachDecision() throws {
        let costs = try Self.makeStore().loyaltyCosts(SwitchingFilter())
        #expect(costs.map(\.streamKey) == ["t1/p", "t2/p"])
        #expect(costs.map(\.firstOffer) == [Self.a, Self.a])
        #expect(costs.map(\.actualNanoUSD) == [4_000_000, 5_000_000])
        #expect(costs.map(\.loyalNanoUSD) == [5_000_000, 5_000_000])
        #expect(costs.map(\.extraNanoUSD) == [1_000_000, 0])
        #expect(costs.map(\.pricedDecisions) == [5, 5])
    }

    @Test func trafficAroundAPriceEvent() throws {
        let traffic = try Self.makeStore().eventTraffic(offer: Self.b, at: Self.at(2), window: 2 * Self.day, filter: SwitchingFilter())
        #expect(traffic.requestsBefore == 0)
        #expect(traffic.requestsAfter == 2)
        #expect(traffic.spendAfterNanoUSD == 1_000_000)
        #expect(traffic.switchesIn == 1)
        #expect(traffic.streamsIn == ["t1/p"])
        #expect(traffic.firstArrivalAt == Self.at(2, hour: 1))
    }

    /// A stream that never moved costs what it would have cost, whatever its billed usage
    /// (the provider's counts, not the estimate) or the rounding of each decision's cost.
    @Test func aStreamThatNeverMovedHasNoCostOfLoyalty() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tokenbroker-loyalty-\(UUID().uuidString)")
        let store = try SQLiteStore(path: directory.appendingPathComponent("live.sqlite").path)
        let odd = OfferID(provider: "c", model: "m")
        _ = try store.importPrices(
            PriceBatch(
                models: [Model(id: "m", family: "m", advertisedContext: 100_000, maxOutputTokens: 10_000)], offers: [Offer(id: odd), Offer(id: Self.b)],
                versions: [(odd, Self.version("0.123456789", day: 0)), (Self.b, Self.version("9", day: 0))]))
        var records: [DecisionRecord] = []
        for index in 0..<7 {
            // Estimated 10 + 256 tokens; the provider reported 26 + 16 and was billed for them
            // (0.123456789 USD/Mtok × 42 = 5.185 nano, stored as 5).
            var record = DecisionRecord(
                id: "c-\(index)", at: Self.at(0, hour: index), tenant: "t", policy: "p", target: "p", chosen: odd,
                expectedCost: Money(nanoUSD: 33), priceEffectiveAt: Self.at(0), promptTokensEstimate: 10, outputTokensEstimate: 256,
                previousProvider: index == 0 ? nil : "c", switched: false)
            record.actualPromptTokens = 26
            record.actualOutputTokens = 16
            record.actualCost = Money(nanoUSD: 5)
            records.append(record)
        }
        // Another stream moves to b for one decision: priced at its first offer for its billed tokens.
        var moved = DecisionRecord(
            id: "d-0", at: Self.at(0, hour: 1), tenant: "u", policy: "p", target: "p", chosen: odd, expectedCost: Money(nanoUSD: 5),
            priceEffectiveAt: Self.at(0), promptTokensEstimate: 26, outputTokensEstimate: 16, switched: false)
        records.append(moved)
        moved.id = "d-1"
        moved.at = Self.at(0, hour: 2)
        moved.chosen = Self.b
        moved.previousProvider = "c"
        moved.switched = true
        moved.actualPromptTokens = 1_000_000
        moved.actualOutputTokens = 0
        moved.actualCost = Money(nanoUSD: 9_000_000_000)
        records.append(moved)
        try store.recordDecisions(records)
        for filter in [SwitchingFilter(), SwitchingFilter(since: Self.at(0, hour: 2))] {
            let costs = try store.loyaltyCosts(filter)
            let stayed = try #require(costs.first { $0.streamKey == "t/p" })
            #expect(stayed.loyalNanoUSD == stayed.actualNanoUSD)
            #expect(stayed.extraNanoUSD == 0)
        }
        let costs = try store.loyaltyCosts(SwitchingFilter())
        let mover = try #require(costs.first { $0.streamKey == "u/p" })
        #expect(mover.actualNanoUSD == 9_000_000_005)
        // 5 for the decision that stayed, 123,456,789 for the million tokens at c.
        #expect(mover.loyalNanoUSD == 123_456_794)
    }
}
