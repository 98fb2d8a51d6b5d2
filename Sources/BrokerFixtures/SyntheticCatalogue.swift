public import BrokerCore
public import Foundation

/// A reproducible random number generator (SplitMix64) for synthetic catalogues.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random catalogues for the router's property tests and benchmarks: `offers` offers over
/// 10 providers (`p0`…`p9`) with random prices, long-context tiers, cached prices, quality
/// scores (a fifth unscored), contexts and a few unknown prices.
public enum SyntheticCatalogue {
    public static func make(offers: Int, seed: UInt64, effectiveAt: Date = Date(timeIntervalSince1970: 1_780_000_000)) -> Catalogue {
        var random = SplitMix64(seed: seed)
        let providers = (0..<10).map { index in
            Provider(
                id: "p\(index)", wireFormat: .openai, baseURL: "https://p\(index).example/v1", region: "us",
                dataHandling: DataHandling(maxDataClass: index % 4 == 0 ? .internal : .confidential))
        }
        let capabilitySets: [Capabilities] = [[.streaming], [.tools, .streaming], [.tools, .streaming, .jsonSchema], [.tools, .vision, .streaming, .jsonSchema]]
        var models: [Model] = []
        var priced: [PricedOffer] = []
        models.reserveCapacity(offers)
        priced.reserveCapacity(offers)
        for index in 0..<offers {
            let quality: Int? = random.next() % 5 == 0 ? nil : 1_100 + Int(random.next() % 400)
            let context = [8_192, 32_768, 128_000, 1_000_000][Int(random.next() % 4)]
            models.append(
                Model(
                    id: "m\(index)", family: "m\(index)", quality: quality.map { QualityScore(score: $0, source: "synthetic") },
                    capabilities: capabilitySets[Int(random.next() % 4)], advertisedContext: context, maxOutputTokens: 16_384))
            let input = Int64(random.next() % 20_000_000_000)
            let output = input + Int64(random.next() % 40_000_000_000)
            let tiers =
                random.next() % 4 == 0
                ? [LongContextTier(aboveTokens: 100_000, input: Price(nanoUSDPerMtok: input * 2), output: Price(nanoUSDPerMtok: output * 3 / 2))]
                : []
            let unknown = random.next() % 20 == 0
            let version = PriceVersion(
                input: unknown ? .unknown : Price(nanoUSDPerMtok: input),
                cachedInput: random.next() % 2 == 0 ? Price(nanoUSDPerMtok: input / 10) : .unknown,
                output: Price(nanoUSDPerMtok: output), longContextTiers: tiers, effectiveAt: effectiveAt, source: "synthetic")
            priced.append(PricedOffer(offer: Offer(id: OfferID(provider: "p\(random.next() % 10)", model: "m\(index)")), price: version))
        }
        return Catalogue(providers: providers, models: models, offers: priced)
    }
}
