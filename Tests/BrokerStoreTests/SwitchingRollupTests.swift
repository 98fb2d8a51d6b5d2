import BrokerCore
import BrokerStore
import Foundation
import Testing

/// The hourly rollup behind the period measures gives exactly what the decision log gives:
/// whether it was kept batch by batch (the daemon), built from repeats (the replay) or rebuilt
/// in one pass, and for windows that start and end inside an hour.
@Suite struct SwitchingRollupTests {
    static let start = Date(timeIntervalSince1970: 1_750_032_000)  // a midnight UTC
    static let providers = ["a", "b", "c"]

    /// Three days of decisions every 7 minutes (±), four streams over two tenants and two
    /// policies, providers changing now and then, some decisions with no offer.
    static func log() -> [DecisionRecord] {
        var generator = RollupGenerator(seed: 42)
        var current: [String: String] = [:]
        var records: [DecisionRecord] = []
        var at = start.addingTimeInterval(1_234.567)
        var number = 0
        while at < start.addingTimeInterval(3 * 86_400) {
            number += 1
            let tenant = "t\(generator.next() % 2)"
            let policy = "p\(generator.next() % 2)"
            let stream = "\(tenant)/\(policy)"
            let previous = current[stream]
            var provider = previous ?? providers[Int(generator.next() % 3)]
            if generator.next() % 10 == 0 { provider = providers[Int(generator.next() % 3)] }
            let none = generator.next() % 25 == 0
            if !none { current[stream] = provider }
            let cost = Money(nanoUSD: Int64(generator.next() % 4 + 1) * 250_000 + 1)
            records.append(
                DecisionRecord(
                    id: String(format: "d%06d", number), at: at, tenant: tenant, policy: policy, target: policy,
                    chosen: none ? nil : OfferID(provider: provider, model: "m"), expectedCost: none ? nil : cost,
                    priceEffectiveAt: nil, promptTokensEstimate: 1_000, outputTokensEstimate: 100, previousProvider: previous,
                    switched: !none && previous != nil && previous != provider,
                    heldByHysteresis: !none && generator.next() % 17 == 0,
                    actualCost: generator.next() % 3 == 0 ? Money(nanoUSD: Int64(generator.next() % 3) * 100_000) : nil))
            at = at.addingTimeInterval(Double(300 + generator.next() % 240) + 0.25)
        }
        return records
    }

    /// With price versions that change inside hours, so the cost of loyalty's intervals cut hours too.
    static func makeStore() throws -> SQLiteStore {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tokenbroker-rollup-\(UUID().uuidString)")
        let store = try SQLiteStore(path: directory.appendingPathComponent("decisions.sqlite").path)
        func version(_ usd: String, _ seconds: TimeInterval) -> PriceVersion {
            PriceVersion(
                input: .perMtok(TokenPrice(usdPerMtok: usd)!), output: .perMtok(TokenPrice(usdPerMtok: usd)!),
                effectiveAt: start.addingTimeInterval(seconds), source: "test")
        }
        let offers = providers.map { OfferID(provider: $0, model: "m") }
        _ = try store.importPrices(
            PriceBatch(
                models: [Model(id: "m", family: "m", advertisedContext: 100_000, maxOutputTokens: 10_000)],
                offers: offers.map { Offer(id: $0) },
                versions: [
                    (offers[0], version("1", -86_400)), (offers[0], version("0.8", 5 * 3_600 + 1_207)),
                    (offers[0], version("1.1", 50 * 3_600)), (offers[1], version("2", -86_400)),
                    (offers[1], version("0.5", 30 * 3_600 + 1)), (offers[2], version("1.5", 2 * 3_600 + 59)),
                ]))
        return store
    }

    struct Measures: Equatable {
        var rates: [SwitchRate]
        var churn: [ChurnPoint]
        var retention: [RetentionPoint]
        var spend: [ProviderSpend]
        var loyaltyCosts: [LoyaltyCost]

        /// Without churn's churned shares: a window's churn compares its first period with the
        /// one before it, which a log holding only the window's decisions does not have
        /// (`SwitchingAnalyticsTests.theWindowsFirstPeriodIsComparedWithTheOneBefore`).
        var windowOnly: Measures {
            var measures = self
            measures.churn = churn.map { ChurnPoint(start: $0.start, spendNanoUSD: $0.spendNanoUSD, churnedSpendNanoUSD: 0, requests: $0.requests, churnedRequests: 0) }
            return measures
        }
    }

    static func measures(_ store: SQLiteStore, _ filter: SwitchingFilter) throws -> Measures {
        Measures(
            rates: try store.switchRates(filter), churn: try store.churn(filter), retention: try store.retention(filter),
            spend: try store.spendByProvider(filter), loyaltyCosts: try store.loyaltyCosts(filter))
    }

    static let filters: [SwitchingFilter] = SwitchingPeriod.allCases.flatMap { period in
        [
            SwitchingFilter(period: period),
            SwitchingFilter(tenant: "t1", period: period),
            SwitchingFilter(policy: "p0", period: period),
            SwitchingFilter(tenantSuffix: "0", period: period),
            SwitchingFilter(streamKeys: ["t0/p1", "t1/p1"], period: period),
        ]
    }

    @Test func batchesRepeatsAndRebuildAgree() throws {
        let records = Self.log()
        #expect(records.count > 500)
        // The daemon's way: group commits of uneven sizes, so rollup rows are upserted many times.
        let daemon = try Self.makeStore()
        var index = 0
        var size = 1
        while index < records.count {
            try daemon.recordDecisions(Array(records[index..<min(records.count, index + size)]))
            index += size
            size = size % 37 + 5
        }
        // The replay's way: decisions identical but for id and time, written as one template each.
        let replay = try Self.makeStore()
        var batches: [RepeatedDecision] = []
        var templates: [DecisionRecord: Int] = [:]
        for record in records {
            var template = record
            template.id = ""
            template.at = Self.start
            if let index = templates[template] {
                batches[index].occurrences.append((record.id, record.at))
            } else {
                templates[template] = batches.count
                batches.append(RepeatedDecision(template: template, occurrences: [(record.id, record.at)]))
            }
        }
        #expect(batches.count < records.count)
        try replay.recordRepeatedDecisions(batches)
        for filter in Self.filters {
            let expected = try Self.measures(daemon, filter)
            #expect(!expected.churn.isEmpty)
            #expect(expected.loyaltyCosts.contains { $0.pricedDecisions > 0 && $0.loyalNanoUSD != $0.actualNanoUSD })
            #expect(try Self.measures(replay, filter) == expected)
        }
        let before = try Self.filters.map { try Self.measures(daemon, $0) }
        try daemon.rebuildDecisionRollup()
        #expect(try Self.filters.map { try Self.measures(daemon, $0) } == before)
        #expect(try daemon.decisions(DecisionFilter(limit: 10_000)) == replay.decisions(DecisionFilter(limit: 10_000)))
    }

    /// A window cut inside hours reads the edge hours from the decisions: the measures equal
    /// those of a log holding only the window's decisions (churn's sums too; its churned
    /// shares look one period further back).
    @Test func windowsInsideHoursAreExact() throws {
        let records = Self.log()
        let store = try Self.makeStore()
        try store.recordDecisions(records)
        let windows: [(Date?, Date?)] = [
            (Self.start.addingTimeInterval(5_400.5), nil),
            (nil, Self.start.addingTimeInterval(86_400 + 1_800)),
            (Self.start.addingTimeInterval(3_600 * 7 + 17), Self.start.addingTimeInterval(3_600 * 40 + 3_599)),
            (Self.start.addingTimeInterval(3_600 * 5), Self.start.addingTimeInterval(3_600 * 29)),  // whole hours
            (Self.start.addingTimeInterval(3_600 * 5 + 100), Self.start.addingTimeInterval(3_600 * 5 + 2_000)),  // within one hour
            (Self.start.addingTimeInterval(3_600 * 5 + 100), Self.start.addingTimeInterval(3_600 * 6 + 2_000)),  // across one boundary
        ]
        for (since, until) in windows {
            let inside = try Self.makeStore()
            try inside.recordDecisions(
                records.filter { record in
                    since.map { StoredMilliseconds.of(record.at) >= StoredMilliseconds.of($0) } ?? true
                        && until.map { StoredMilliseconds.of(record.at) < StoredMilliseconds.of($0) } ?? true
                })
            for period in SwitchingPeriod.allCases {
                for tenant in [nil, "t0"] {
                    let cut = SwitchingFilter(since: since, until: until, tenant: tenant, period: period)
                    let whole = SwitchingFilter(tenant: tenant, period: period)
                    #expect(try Self.measures(store, cut).windowOnly == Self.measures(inside, whole).windowOnly, "\(String(describing: since)) \(String(describing: until)) \(period)")
                }
            }
        }
    }
}

/// Milliseconds as the store keeps them (rounded), so the test's window matches the SQL's.
enum StoredMilliseconds {
    static func of(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1_000).rounded()) }
}

/// A small deterministic generator (RollupGenerator64).
struct RollupGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
