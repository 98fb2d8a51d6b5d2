import BrokerCore
import BrokerStore
import Foundation
import Testing

/// The same behaviour from both stores: each test runs against a real SQLite file and the
/// in-memory store.
@Suite struct StoreTests {
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case sqlite, memory
        var testDescription: String { rawValue }
    }

    static let day: TimeInterval = 86_400
    static let start = Date(timeIntervalSince1970: 1_780_000_000)

    static func makeStore(_ kind: Kind) throws -> any CatalogueStore {
        switch kind {
        case .memory: return InMemoryStore()
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tokenbroker-store-\(UUID().uuidString)")
            return try SQLiteStore(path: directory.appendingPathComponent("broker.sqlite").path)
        }
    }

    static func version(_ input: Int64?, _ output: Int64?, at date: Date, source: String = "test") -> PriceVersion {
        PriceVersion(
            input: Price(nanoUSDPerMtok: input), output: Price(nanoUSDPerMtok: output),
            longContextTiers: [LongContextTier(aboveTokens: 200_000, input: Price(nanoUSDPerMtok: 7), output: .unknown)],
            effectiveAt: date, source: source)
    }

    static func catalogue(price: PriceVersion) -> Catalogue {
        Catalogue(
            providers: [
                Provider(
                    id: "acme", wireFormat: .anthropic, baseURL: "https://acme.example", credentials: .environment("ACME_KEY"),
                    region: "eu", dataHandling: DataHandling(retentionDays: 30, maxDataClass: .confidential))
            ],
            models: [
                Model(
                    id: "m1", family: "m", quality: QualityScore(score: 1400, source: "arena"), capabilities: [.tools, .vision],
                    advertisedContext: 200_000, effectiveContext: 150_000, maxOutputTokens: 8_192)
            ],
            offers: [PricedOffer(offer: Offer(id: OfferID(provider: "acme", model: "m1"), upstreamModel: "m1-2026"), price: price)],
            policies: [Policy(id: "auto", allowedProviders: ["acme"], maxCostPerRequest: Money(usd: "0.5"), switchingThresholdBasisPoints: 1_000)])
    }

    @Test(arguments: Kind.allCases)
    func syncRoundTripsTheCatalogueAndAppendsOnlyChangedPrices(kind: Kind) throws {
        let store = try Self.makeStore(kind)
        let first = Self.version(3_000_000_000, 15_000_000_000, at: Self.start)
        let report = try store.syncCatalogue(Self.catalogue(price: first), at: Self.start)
        #expect(report.providers == 1 && report.models == 1 && report.offers == 1 && report.policies == 1)
        #expect(report.priceVersionsAppended == 1)

        // Same prices, later date and other source: nothing appended.
        let again = try store.syncCatalogue(
            Self.catalogue(price: Self.version(3_000_000_000, 15_000_000_000, at: Self.start + Self.day, source: "x")),
            at: Self.start + Self.day)
        #expect(again.priceVersionsAppended == 0 && again.priceVersionsUnchanged == 1)

        // A real change: appended, and the old one stays in force for earlier dates.
        let cut = Self.version(1_000_000_000, 5_000_000_000, at: Self.start + 2 * Self.day)
        #expect(try store.syncCatalogue(Self.catalogue(price: cut), at: Self.start + 2 * Self.day).priceVersionsAppended == 1)

        let before = try store.catalogue(at: Self.start + Self.day)
        #expect(before.offers.first?.price == first)
        let after = try store.catalogue(at: Self.start + 3 * Self.day)
        #expect(after.offers.first?.price == cut)
        #expect(try store.catalogue(at: Self.start - Self.day).offers.first?.price == nil)

        let original = Self.catalogue(price: first)
        #expect(after.providers == original.providers)
        #expect(after.models == original.models)
        #expect(after.offers.first?.offer == original.offers.first?.offer)
        #expect(after.policies == original.policies)
        #expect(try store.priceHistory(PriceHistoryFilter(offer: OfferID("acme/m1"))).map(\.version) == [first, cut])
    }

    @Test(arguments: Kind.allCases)
    func unknownZeroAndKnownPricesSurviveTheRoundTrip(kind: Kind) throws {
        let store = try Self.makeStore(kind)
        let version = PriceVersion(
            input: .unknown, cachedInput: .free, output: Price(nanoUSDPerMtok: 1), effectiveAt: Self.start, source: "t")
        _ = try store.syncCatalogue(Self.catalogue(price: version), at: Self.start)
        let stored = try #require(try store.catalogue(at: Self.start).offers.first?.price)
        #expect(stored.input == .unknown)
        #expect(stored.cachedInput == .free)
        #expect(stored.output == Price(nanoUSDPerMtok: 1))
    }

    @Test(arguments: Kind.allCases)
    func importsAreIdempotentAndNeverOverwriteCuratedModels(kind: Kind) throws {
        let store = try Self.makeStore(kind)
        _ = try store.syncCatalogue(Self.catalogue(price: Self.version(3, 15, at: Self.start)), at: Self.start)
        let imported = Model(id: "m1", family: "other", advertisedContext: 1, maxOutputTokens: 1)
        let newModel = Model(id: "m2", family: "m", advertisedContext: 8_000, maxOutputTokens: 1_000)
        let batch = PriceBatch(
            models: [imported, newModel],
            offers: [Offer(id: OfferID(provider: "bedrock", model: "m2")), Offer(id: OfferID(provider: "acme", model: "m1"), upstreamModel: "zzz")],
            versions: [
                (OfferID(provider: "bedrock", model: "m2"), Self.version(10, 40, at: Self.start)),
                (OfferID(provider: "bedrock", model: "m2"), Self.version(2, 8, at: Self.start + Self.day)),
            ])
        let first = try store.importPrices(batch)
        #expect(first.modelsAdded == 1 && first.offersAdded == 1 && first.priceVersionsAppended == 2)
        let second = try store.importPrices(batch)
        #expect(second.modelsAdded == 0 && second.offersAdded == 0)
        #expect(second.priceVersionsAppended == 0 && second.priceVersionsUnchanged == 2)
        // A later snapshot repeating the price in force appends nothing; a changed one does.
        let snapshot = PriceBatch(models: [], offers: [], versions: [
            (OfferID(provider: "bedrock", model: "m2"), Self.version(2, 8, at: Self.start + 5 * Self.day)),
            (OfferID(provider: "acme", model: "m1"), Self.version(3, 16, at: Self.start + 5 * Self.day)),
        ])
        let third = try store.importPrices(snapshot)
        #expect(third.priceVersionsAppended == 1 && third.priceVersionsUnchanged == 1)
        let catalogue = try store.catalogue(at: Self.start + 2 * Self.day)
        #expect(catalogue.models["m1"]?.family == "m")
        #expect(catalogue.offers.first { $0.id == OfferID("acme/m1") }?.offer.upstreamModel == "m1-2026")
        #expect(catalogue.offers.first { $0.id == OfferID("bedrock/m2") }?.price?.input == Price(nanoUSDPerMtok: 2))
        #expect(try store.priceHistory(PriceHistoryFilter(model: "m2", since: Self.start + Self.day)).count == 1)
    }

    /// A provider file lists its provider's routed offers: an offer taken out of it, or one an
    /// import added, no longer routes after the next sync; its prices stay.
    @Test(arguments: Kind.allCases)
    func anOfferNoLongerInItsProviderFileIsDisabledAtTheNextSync(kind: Kind) throws {
        let store = try Self.makeStore(kind)
        let withOffer = Self.catalogue(price: Self.version(3, 15, at: Self.start))
        _ = try store.syncCatalogue(withOffer, at: Self.start)
        _ = try store.importPrices(PriceBatch(
            models: [], offers: [Offer(id: OfferID("acme/m9")!), Offer(id: OfferID("elsewhere/m1")!)],
            versions: [(OfferID("acme/m9")!, Self.version(1, 1, at: Self.start))]))
        func enabled(_ id: String) throws -> Bool? {
            try store.catalogue(at: Self.start + Self.day).offers.first { $0.id == OfferID(id) }?.offer.enabled
        }
        _ = try store.syncCatalogue(withOffer, at: Self.start + 1)
        #expect(try enabled("acme/m1") == true)
        #expect(try enabled("acme/m9") == false)
        #expect(try enabled("elsewhere/m1") == true)  // no file for its provider: the provider is what stays out
        var without = withOffer
        without.offers = []
        _ = try store.syncCatalogue(without, at: Self.start + 2)
        #expect(try enabled("acme/m1") == false)
        #expect(try store.priceHistory(PriceHistoryFilter(model: "m1")).isEmpty == false)
        _ = try store.syncCatalogue(withOffer, at: Self.start + 3)
        #expect(try enabled("acme/m1") == true)
    }

    @Test(arguments: Kind.allCases)
    func pricesSetAppendsForKnownOffersOnly(kind: Kind) throws {
        let store = try Self.makeStore(kind)
        _ = try store.syncCatalogue(Self.catalogue(price: Self.version(3, 15, at: Self.start)), at: Self.start)
        #expect(try store.appendPriceVersion(Self.version(3, 15, at: Self.start + 10), for: OfferID("acme/m1")!) == false)
        #expect(try store.appendPriceVersion(Self.version(2, 15, at: Self.start + 10), for: OfferID("acme/m1")!) == true)
        #expect(throws: StoreError.self) {
            try store.appendPriceVersion(Self.version(1, 1, at: Self.start), for: OfferID("acme/nope")!)
        }
    }

    @Test(arguments: Kind.allCases)
    func keysAreStoredByHashAndRevoked(kind: Kind) throws {
        let store = try Self.makeStore(kind)
        let key = APIKeyRecord(
            id: "k1", tenant: "finance", keyHash: "ab12", budget: Money(usd: "25"), budgetPeriod: .month, policy: "bulk",
            createdAt: Self.start)
        try store.createKey(key)
        #expect(try store.key(hash: "ab12") == key)
        #expect(try store.key(hash: "nope") == nil)
        #expect(throws: StoreError.self) { try store.createKey(key) }
        #expect(try store.revokeKey(id: "k1", at: Self.start + 5) == true)
        #expect(try store.revokeKey(id: "k9", at: Self.start) == false)
        #expect(try store.keys().first?.revokedAt == Self.start + 5)
    }

    @Test(arguments: Kind.allCases)
    func decisionsAreLoggedFilteredAndRememberEachStreamsProvider(kind: Kind) throws {
        let store = try Self.makeStore(kind)
        func record(_ id: String, _ minutes: Double, tenant: String, provider: String?) -> DecisionRecord {
            DecisionRecord(
                id: id, at: Self.start + minutes * 60, tenant: tenant, policy: "auto", target: "auto",
                chosen: provider.map { OfferID(provider: $0, model: "m") }, expectedCost: Money(usd: "0.001"),
                priceEffectiveAt: Self.start, promptTokensEstimate: 100, outputTokensEstimate: 50,
                candidates: ["\(provider ?? "-")/m=0.001"], exclusions: ["quality": 2], attempts: ["x:ok"],
                actualCost: minutes == 2 ? Money(usd: "0.002") : nil, latencyMilliseconds: 12)
        }
        let records = [
            record("d1", 0, tenant: "a", provider: "p1"), record("d2", 1, tenant: "a", provider: "p2"),
            record("d3", 2, tenant: "b", provider: "p1"), record("d4", 3, tenant: "a", provider: nil),
        ]
        try store.recordDecisions(records)
        let listed = try store.decisions(DecisionFilter())
        #expect(listed.map(\.id) == ["d4", "d3", "d2", "d1"])
        #expect(listed.first { $0.id == "d3" } == records[2])
        #expect(listed.first { $0.id == "d3" }?.spend == Money(usd: "0.002"))
        #expect(try store.decisions(DecisionFilter(since: Self.start + 60, tenant: "a", limit: 10)).map(\.id) == ["d4", "d2"])
        #expect(try store.decisions(DecisionFilter(limit: 1)).count == 1)
        #expect(try store.latestProviders() == ["a/auto": "p2", "b/auto": "p1"])
        #expect(throws: StoreError.self) { try store.recordDecisions([records[0]]) }
        // Spend is the actual cost where known, else the expected cost, of decisions that chose
        // an offer: a: d1 + d2 (d4 chose none), b: d3.
        #expect(try store.spend(tenant: "a", since: Self.start) == Money(usd: "0.002"))
        #expect(try store.spend(tenant: "b", since: Self.start) == Money(usd: "0.002"))
        #expect(try store.spend(tenant: "a", since: Self.start + 30) == Money(usd: "0.001"))
    }

    /// SQLite sums whole hours from the rollup and the partial first hour from the decisions:
    /// both parts, their edges, and what they leave out.
    @Test(arguments: Kind.allCases)
    func spendCountsEveryServedDecisionSinceADateAcrossHourEdges(kind: Kind) throws {
        let store = try Self.makeStore(kind)
        let hour = Date(timeIntervalSince1970: 1_780_002_000)  // on an hour
        func record(_ id: String, _ seconds: TimeInterval, tenant: String = "a", usd: String, served: Bool = true) -> DecisionRecord {
            DecisionRecord(
                id: id, at: hour + seconds, tenant: tenant, policy: "auto", target: "auto",
                chosen: served ? OfferID(provider: "p1", model: "m") : nil, expectedCost: Money(usd: usd),
                priceEffectiveAt: Self.start, promptTokensEstimate: 100, outputTokensEstimate: 50,
                candidates: [], exclusions: [:], attempts: [], actualCost: nil, latencyMilliseconds: 1)
        }
        try store.recordDecisions([
            record("before", 1_799, usd: "1"), record("at-since", 1_800, usd: "2"), record("hour-end", 3_599.999, usd: "4"),
            record("next-hour", 3_600, usd: "8"), record("later", 5 * 3_600 + 10, usd: "16"),
            record("unserved", 2_000, usd: "32", served: false), record("other-tenant", 4_000, tenant: "b", usd: "64"),
        ])
        // Recorded in a second commit, so the rollup's upsert adds to an existing hour.
        try store.recordDecisions([record("same-hour", 5 * 3_600 + 20, usd: "128")])
        #expect(try store.spend(tenant: "a", since: hour + 1_800) == Money(usd: "158"))
        #expect(try store.spend(tenant: "a", since: hour + 3_600) == Money(usd: "152"))
        #expect(try store.spend(tenant: "a", since: hour) == Money(usd: "159"))
        #expect(try store.spend(tenant: "a", since: hour + 3_599.999) == Money(usd: "156"))
        #expect(try store.spend(tenant: "b", since: hour) == Money(usd: "64"))
        #expect(try store.spend(tenant: "a", since: hour + 6 * 3_600) == .zero)
        #expect(try store.spend(tenant: "nobody", since: hour) == .zero)
    }

    @Test(arguments: Kind.allCases)
    func decisionTextsSurviveTheLogWithQuotesSlashesAndControlCharacters(kind: Kind) throws {
        let store = try Self.makeStore(kind)
        let odd = "acc\"ounts/fireworks\\models\n\u{1}é"
        let record = DecisionRecord(
            id: "d", at: Self.start, tenant: "t", policy: "auto", target: "auto",
            chosen: OfferID(provider: "p", model: odd), expectedCost: nil, priceEffectiveAt: nil,
            promptTokensEstimate: 1, outputTokensEstimate: 1, candidates: ["p/\(odd)=0.1", ""],
            exclusions: ["quality": 3, odd: 1], attempts: ["p/\(odd):503"])
        try store.recordDecisions([record])
        #expect(try store.decisions(DecisionFilter()) == [record])
    }

    @Test(arguments: Kind.allCases)
    func providerModesAreSetReplacedAndCleared(kind: Kind) throws {
        let store = try Self.makeStore(kind)
        #expect(try store.providerModes().isEmpty)
        try store.setProviderMode("acme", "draining", at: Self.start)
        try store.setProviderMode("beta", "disabled", at: Self.start)
        try store.setProviderMode("acme", "disabled", at: Self.start + 60)
        #expect(try store.providerModes() == ["acme": "disabled", "beta": "disabled"])
        try store.setProviderMode("beta", nil, at: Self.start + 120)
        #expect(try store.providerModes() == ["acme": "disabled"])
    }

    @Test(arguments: Kind.allCases)
    func creditsAreSetPerProvider(kind: Kind) throws {
        let store = try Self.makeStore(kind)
        try store.setCredit(Credit(provider: "acme", remaining: Money(usd: "100")!, expiresAt: Self.start))
        try store.setCredit(Credit(provider: "acme", remaining: Money(usd: "40")!))
        #expect(try store.credits() == [Credit(provider: "acme", remaining: Money(usd: "40")!)])
    }

    @Test func sqliteFileReopensWithItsDataInWALMode() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tokenbroker-reopen-\(UUID().uuidString)")
        let path = directory.appendingPathComponent("nested/broker.sqlite").path
        do {
            let store = try SQLiteStore(path: path)
            _ = try store.syncCatalogue(Self.catalogue(price: Self.version(3, 15, at: Self.start)), at: Self.start)
        }
        let reopened = try SQLiteStore(path: path)
        #expect(try reopened.catalogue(at: Self.start).offers.count == 1)
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func sqliteRefusesAPathItCannotCreate() {
        #expect(throws: StoreError.self) { try SQLiteStore(path: "/proc/no-such-dir/broker.sqlite") }
    }
}
