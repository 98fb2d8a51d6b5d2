import BrokerCore
import BrokerFixtures
import Foundation
import Testing

@Suite struct RouterTests {
    let table = RoutingTable(catalogue: Fixtures.catalogue(), at: Fixtures.now)

    func route(
        _ profile: RequestProfile = Fixtures.profile(), overrides: RequestOverrides = .init(),
        context: RoutingContext = RoutingContext(now: Fixtures.now), detail: RoutingDetail = .decision,
        in table: RoutingTable? = nil
    ) throws -> Decision {
        let table = table ?? self.table
        return Router.route(try table.query(for: profile, overrides: overrides), in: table, context: context, detail: detail)
    }

    func reason(_ decision: Decision, _ offer: String) -> ExclusionReason? {
        decision.excluded.first { $0.offer == OfferID(offer) }?.reason
    }

    @Test func choosesTheCheapestAdequateOfferAndRanksTheRest() throws {
        let decision = try route()
        // 1,000 prompt + 512 expected output tokens.
        #expect(decision.chosen?.offer == OfferID("delta/unscored"))
        #expect(decision.ranked.map(\.offer.description) == [
            "delta/unscored", "gamma/open-70b", "beta/open-70b", "alpha/open-70b", "delta/seer",
        ])
        #expect(decision.ranked[1].expectedCost == Money(usd: "0.0008584"))  // 1000×0.5 + 512×0.7 per Mtok
        #expect(decision.hysteresis == .none)
    }

    @Test func aQualityFloorExcludesWeakerAndUnscoredModels() throws {
        let decision = try route(overrides: RequestOverrides(minQuality: 1_320))
        #expect(decision.chosen?.offer == OfferID("delta/seer"))
        #expect(reason(decision, "delta/unscored") == .quality(required: 1_320, actual: nil))
        #expect(reason(decision, "gamma/open-70b") == .quality(required: 1_320, actual: 1_300))
    }

    @Test func missingCapabilitiesExclude() throws {
        let decision = try route(Fixtures.profile(capabilities: [.vision, .tools]))
        #expect(decision.chosen?.offer == OfferID("alpha/frontier"))
        #expect(reason(decision, "delta/seer") == .capability(missing: .tools))
        #expect(reason(decision, "gamma/open-70b") == .capability(missing: .vision))
    }

    @Test func contextIsCheckedAgainstTheEffectiveContext() throws {
        var catalogue = Fixtures.catalogue()
        catalogue.models["open-70b"] = Fixtures.model("open-70b", quality: 1300, context: 128_000, effective: 32_000)
        let table = RoutingTable(catalogue: catalogue, at: Fixtures.now)
        let decision = try route(Fixtures.profile(prompt: 40_000, maxTokens: 1_000), detail: .explain, in: table)
        #expect(reason(decision, "gamma/open-70b") == .context(needed: 41_000, effective: 32_000))
        #expect(reason(decision, "alpha/frontier") == nil)
        let tooLong = try route(Fixtures.profile(prompt: 1_000, maxTokens: 20_000), detail: .explain)
        #expect(reason(tooLong, "gamma/open-70b") == .outputLimit(requested: 20_000, limit: 16_384))
    }

    @Test func dataClassKeepsConfidentialDataAwayFromProvidersThatMayNotHoldIt() throws {
        let decision = try route(overrides: RequestOverrides(dataClass: .confidential), detail: .explain)
        #expect(reason(decision, "gamma/open-70b") == .dataClass(required: .confidential, allowed: .internal))
        #expect(decision.chosen?.offer == OfferID("delta/unscored"))
    }

    @Test func anUnknownPriceIsNeverCheapest() throws {
        let decision = try route(Fixtures.profile(model: "mystery"), detail: .explain)
        #expect(reason(decision, "delta/mystery") == .unknownPrice)
        #expect(decision.ranked.allSatisfy { $0.offer != OfferID("delta/mystery") })
    }

    @Test func circuitOpenAndDisabledOffersAreLeftOut() throws {
        var catalogue = Fixtures.catalogue()
        catalogue.offers[0].offer.enabled = false  // alpha/open-70b
        let table = RoutingTable(catalogue: catalogue, at: Fixtures.now)
        let context = RoutingContext(
            now: Fixtures.now, openCircuits: [OfferID("gamma/open-70b")!], disabledProviders: ["delta"])
        let decision = try route(context: context, detail: .explain, in: table)
        #expect(reason(decision, "alpha/open-70b") == .disabled)
        #expect(reason(decision, "gamma/open-70b") == .circuitOpen)
        #expect(reason(decision, "delta/unscored") == .disabled)
        #expect(decision.chosen?.offer == OfferID("beta/open-70b"))
    }

    @Test func policyAllowListsAndBudgetExclude() throws {
        let policy = Policy(
            id: "eu-only", allowedRegions: ["eu", "us"], maxCostPerRequest: Money(usd: "0.001"))
        var restricted = policy
        restricted.id = "alpha-only"
        restricted.allowedProviders = ["alpha"]
        restricted.allowedRegions = nil
        restricted.maxCostPerRequest = nil
        let table = RoutingTable(catalogue: Fixtures.catalogue(policies: [policy, restricted]), at: Fixtures.now)
        let budget = try route(Fixtures.profile(model: "eu-only", prompt: 1_000), detail: .explain, in: table)
        #expect(reason(budget, "alpha/frontier") == .overBudget(expected: Money(usd: "0.01068")!, limit: Money(usd: "0.001")!))
        let allowed = try route(Fixtures.profile(model: "alpha-only"), detail: .explain, in: table)
        #expect(reason(allowed, "beta/open-70b") == .providerNotAllowed)
        #expect(allowed.chosen?.offer == OfferID("alpha/open-70b"))
        let regions = Policy(id: "eu", allowedRegions: ["eu"])
        let euTable = RoutingTable(catalogue: Fixtures.catalogue(policies: [regions]), at: Fixtures.now)
        let eu = try route(Fixtures.profile(model: "eu"), detail: .explain, in: euTable)
        #expect(reason(eu, "gamma/open-70b") == .regionNotAllowed(region: "us"))
        #expect(eu.chosen?.offer == OfferID("beta/open-70b"))
    }

    @Test func modelFieldSemantics() throws {
        // A model id: quality at least that model's, its capabilities; another model may win.
        let byModel = try route(Fixtures.profile(model: "open-70b"))
        #expect(byModel.target == .model("open-70b"))
        #expect(byModel.chosen?.offer == OfferID("gamma/open-70b"))
        #expect(byModel.ranked.contains { $0.offer == OfferID("delta/unscored") } == false)
        // A model without a score competes only for requests that name it.
        let unscored = try route(Fixtures.profile(model: "unscored"))
        #expect(unscored.ranked.map(\.offer) == [OfferID("delta/unscored")])
        // provider/model pins one offer even when it is not the cheapest.
        let pinned = try route(Fixtures.profile(model: "alpha/open-70b"), detail: .explain)
        #expect(pinned.ranked.map(\.offer) == [OfferID("alpha/open-70b")])
        #expect(reason(pinned, "gamma/open-70b") == .notRequested)
        #expect(throws: ResolveError(model: "nope")) { try route(Fixtures.profile(model: "nope")) }
        #expect(throws: ResolveError(model: "alpha/nope")) { try route(Fixtures.profile(model: "alpha/nope")) }
    }

    @Test func tiesBreakByQualityThenOfferName() throws {
        let catalogue = Catalogue(
            providers: [Fixtures.provider("b"), Fixtures.provider("a"), Fixtures.provider("c")],
            models: [Fixtures.model("m", quality: 1300), Fixtures.model("better", quality: 1310)],
            offers: [
                Fixtures.offer("b", "m", Fixtures.price("1", "1")),
                Fixtures.offer("a", "m", Fixtures.price("1", "1")),
                Fixtures.offer("c", "better", Fixtures.price("1", "1")),
            ])
        let table = RoutingTable(catalogue: catalogue, at: Fixtures.now)
        let decision = try route(in: table)
        #expect(decision.ranked.map(\.offer.description) == ["c/better", "a/m", "b/m"])
    }

    @Test func manyTiedOffersStillRankByQualityThenName() throws {
        // 60 offers at three identical price points, including free ones, with shuffled qualities.
        var offers: [PricedOffer] = []
        var models: [Model] = []
        for index in 0..<60 {
            let name = "m\(String(format: "%02d", (index * 37) % 60))"
            let quality: Int? = index % 7 == 0 ? nil : 1_200 + (index * 13) % 50
            models.append(Fixtures.model(name, quality: quality))
            let price = ["0", "1", "2"][index % 3]
            offers.append(Fixtures.offer(["a", "b", "c"][index % 3], name, Fixtures.price(price, price)))
        }
        let catalogue = Catalogue(
            providers: [Fixtures.provider("a"), Fixtures.provider("b"), Fixtures.provider("c")], models: models, offers: offers)
        let table = RoutingTable(catalogue: catalogue, at: Fixtures.now)
        for keep in [1, 3, 25] {
            let fast = try route(detail: .decision(keep: keep), in: table)
            let full = try route(detail: .explain, in: table)
            #expect(fast.ranked == Array(full.ranked.prefix(keep)))
        }
    }

    @Test func creditMakesAnOfferFreeUntilItRunsOut() throws {
        let context = RoutingContext(now: Fixtures.now, credits: ["alpha": Money(usd: "1")!])
        let decision = try route(context: context)
        // alpha/open-70b costs nothing; alpha/frontier too, and it has the higher quality.
        #expect(decision.chosen?.offer == OfferID("alpha/frontier"))
        #expect(decision.chosen?.expectedCost == .zero)
        #expect(decision.chosen?.cost.list == Money(usd: "0.01068"))
        // Credit of 0.0006 takes alpha/open-70b (list 0.0013608) below gamma (0.0008584).
        let tiny = try route(
            overrides: RequestOverrides(minQuality: 1_300),
            context: RoutingContext(now: Fixtures.now, credits: ["alpha": Money(usd: "0.0006")!]))
        #expect(tiny.chosen?.offer == OfferID("alpha/open-70b"))
        #expect(tiny.chosen?.expectedCost == Money(usd: "0.0007608"))
        #expect(tiny.fallbacks.first?.offer == OfferID("gamma/open-70b"))
    }

    @Test func hysteresisHoldsBelowTheThresholdAndReleasesAboveIt() throws {
        // gamma costs 0.0008584, beta 0.0010096: gamma is 14.97% cheaper than beta.
        func decide(threshold: Int) throws -> Decision {
            let policy = Policy(id: "sticky", minQuality: 1_300, switchingThresholdBasisPoints: threshold)
            let table = RoutingTable(catalogue: Fixtures.catalogue(policies: [policy]), at: Fixtures.now)
            let context = RoutingContext(now: Fixtures.now, previousProvider: "beta")
            return try route(Fixtures.profile(model: "sticky"), context: context, in: table)
        }
        let held = try decide(threshold: 1_500)
        #expect(held.chosen?.offer == OfferID("beta/open-70b"))
        #expect(held.hysteresis == .held(previous: "beta", cheaper: OfferID("gamma/open-70b")!, savingBasisPoints: 1_497))
        #expect(held.fallbacks.first?.offer == OfferID("gamma/open-70b"))
        let released = try decide(threshold: 1_000)
        #expect(released.chosen?.offer == OfferID("gamma/open-70b"))
        #expect(released.hysteresis == .switched(from: "beta"))
        let free = try decide(threshold: 0)
        #expect(free.chosen?.offer == OfferID("gamma/open-70b"))
    }

    @Test func hysteresisLetsGoOfAProviderThatIsNoLongerAdequate() throws {
        let context = RoutingContext(now: Fixtures.now, previousProvider: "beta", disabledProviders: ["beta"])
        let decision = try route(context: context)
        #expect(decision.hysteresis == .switched(from: "beta"))
        #expect(decision.chosen?.offer == OfferID("delta/unscored"))
    }

    @Test func noAdequateOfferLeavesTheReasons() throws {
        let decision = try route(overrides: RequestOverrides(minQuality: 2_000), detail: .explain)
        #expect(decision.chosen == nil)
        #expect(decision.excluded.count == table.offerCount)
        #expect(decision.exclusionCounts["quality"] == 7)  // quality is checked before the price
        #expect(decision.exclusionCounts["unknown_price"] == nil)
    }

    @Test func decisionModeCountsExclusionsItDoesNotKeep() throws {
        // 60 offers too weak for the floor and one good one: decision mode keeps 32 exclusions
        // but counts all 60.
        var offers = (0..<60).map { Fixtures.offer("a", "weak\($0)", Fixtures.price("0.01", "0.01")) }
        offers.append(Fixtures.offer("a", "strong", Fixtures.price("5", "5")))
        let catalogue = Catalogue(
            providers: [Fixtures.provider("a")],
            models: (0..<60).map { Fixtures.model("weak\($0)", quality: 1_000) } + [Fixtures.model("strong", quality: 1_500)],
            offers: offers)
        let table = RoutingTable(catalogue: catalogue, at: Fixtures.now)
        let decision = try route(overrides: RequestOverrides(minQuality: 1_400), in: table)
        #expect(decision.chosen?.offer == OfferID("a/strong"))
        #expect(decision.excluded.count == Router.recordedExclusionLimit)
        #expect(decision.exclusionCounts == ["quality": 60])
    }

    @Test func decisionModeAgreesWithExplainModeOnRandomCatalogues() throws {
        var generator = SplitMix64(seed: 42)
        for round in 0..<40 {
            var catalogue = SyntheticCatalogue.make(offers: 300, seed: UInt64(round))
            // Thresholds from none to "never switch voluntarily" exercise the hysteresis scan.
            let threshold = [0, 500, 2_500, 10_000][round % 4]
            catalogue.policies["sticky"] = Policy(id: "sticky", switchingThresholdBasisPoints: threshold)
            let table = RoutingTable(catalogue: catalogue, at: Fixtures.now)
            for _ in 0..<10 {
                let prompt = Int(generator.next() % 200_000)
                let maxTokens = 1 + Int(generator.next() % 8_000)
                let floor = generator.next() % 2 == 0 ? nil : 1_100 + Int(generator.next() % 300)
                let credits: [String: Money] = generator.next() % 3 == 0 ? ["p3": Money(usd: "0.01")!] : [:]
                let context = RoutingContext(now: Fixtures.now, previousProvider: "p\(generator.next() % 5)", credits: credits)
                let profile = Fixtures.profile(model: generator.next() % 2 == 0 ? "auto" : "sticky", prompt: prompt, maxTokens: maxTokens)
                let overrides = RequestOverrides(minQuality: floor)
                let fast = try route(profile, overrides: overrides, context: context, detail: .decision(keep: 3), in: table)
                let full = try route(profile, overrides: overrides, context: context, detail: .explain, in: table)
                #expect(fast.chosen == full.chosen)
                #expect(fast.hysteresis == full.hysteresis)
                #expect(Array(fast.ranked.prefix(3)) == Array(full.ranked.prefix(3)))
                // The router's own arithmetic agrees with Pricing.cost for every candidate.
                for candidate in full.ranked {
                    let index = try #require(table.offerIDs.firstIndex(of: candidate.offer))
                    let version = try #require(table.priceVersions[index])
                    let credit = credits[candidate.offer.provider] ?? .zero
                    #expect(Pricing.cost(of: fast.mix, at: version, credit: credit) == candidate.cost)
                }
            }
        }
    }
}
