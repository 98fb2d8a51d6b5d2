import BrokerCore
import Foundation
import Testing

@Suite struct PricingTests {
    @Test func pricesPromptAndOutputAtTheirOwnRates() throws {
        let version = Fixtures.price("3", "15")
        let cost = try #require(Pricing.cost(of: TokenMix(promptTokens: 10_000, outputTokens: 1_000), at: version))
        // 10k × 3/Mtok + 1k × 15/Mtok = 0.03 + 0.015
        #expect(cost.list == Money(usd: "0.045"))
        #expect(cost.effective == cost.list)
        #expect(cost.tierAboveTokens == nil)
    }

    @Test func cachedShareUsesTheCachedPriceOrFallsBackToInput() throws {
        let mix = TokenMix(promptTokens: 10_000, cachedPromptTokens: 8_000, outputTokens: 0)
        let cached = try #require(Pricing.cost(of: mix, at: Fixtures.price("3", "15", cached: "0.30")))
        #expect(cached.list == Money(usd: "0.0084"))  // 2k × 3 + 8k × 0.3 per Mtok
        let uncachedPrice = try #require(Pricing.cost(of: mix, at: Fixtures.price("3", "15")))
        #expect(uncachedPrice.list == Money(usd: "0.03"))
    }

    @Test func longContextTierAppliesToTheWholeRequestAboveItsThreshold() throws {
        let tier = LongContextTier(aboveTokens: 200_000, input: Fixtures.mtok("2.50"), output: Fixtures.mtok("15"))
        let version = Fixtures.price("1.25", "10", tiers: [tier])
        let short = try #require(Pricing.cost(of: TokenMix(promptTokens: 200_000, outputTokens: 1_000), at: version))
        #expect(short.list == Money(usd: "0.26"))
        #expect(short.tierAboveTokens == nil)
        let long = try #require(Pricing.cost(of: TokenMix(promptTokens: 200_001, outputTokens: 1_000), at: version))
        #expect(long.list == Money(usd: "0.5150025"))
        #expect(long.tierAboveTokens == 200_000)
    }

    @Test func unknownPriceHasNoCostButFreeCostsNothing() {
        let mix = TokenMix(promptTokens: 100, outputTokens: 100)
        #expect(Pricing.cost(of: mix, at: Fixtures.price(nil, "1")) == nil)
        #expect(Pricing.cost(of: mix, at: Fixtures.price("0", "0"))?.list == .zero)
    }

    @Test func creditCoversCostUntilItRunsOut() throws {
        let version = Fixtures.price("1", "1")
        let mix = TokenMix(promptTokens: 1_000_000, outputTokens: 0)  // 1 USD
        let covered = try #require(Pricing.cost(of: mix, at: version, credit: Money(usd: "5")!))
        #expect(covered.effective == .zero)
        #expect(covered.coveredByCredit == Money(usd: "1"))
        let partly = try #require(Pricing.cost(of: mix, at: version, credit: Money(usd: "0.25")!))
        #expect(partly.effective == Money(usd: "0.75"))
    }

    @Test func creditsExpire() {
        let credit = Credit(provider: "alpha", remaining: Money(usd: "10")!, expiresAt: Fixtures.now)
        #expect(credit.isUsable(at: Fixtures.now.addingTimeInterval(-1)))
        #expect(!credit.isUsable(at: Fixtures.now))
        let pooled = RoutingContext.credits(
            [credit, Credit(provider: "alpha", remaining: Money(usd: "2")!), Credit(provider: "beta", remaining: .zero)],
            at: Fixtures.now)
        #expect(pooled == ["alpha": Money(usd: "2")!])
    }
}
