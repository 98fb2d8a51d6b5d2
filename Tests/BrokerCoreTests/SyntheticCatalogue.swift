import BrokerCore
import Foundation

/// A reproducible random number generator for synthetic catalogues.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum SyntheticCatalogue {
    /// `offers` offers over 10 providers with random prices, tiers, qualities and contexts.
    static func make(offers: Int, seed: UInt64) -> Catalogue {
        var random = SplitMix64(seed: seed)
        let providers = (0..<10).map { Fixtures.provider("p\($0)", maxDataClass: $0 % 4 == 0 ? .internal : .confidential) }
        var models: [Model] = []
        var priced: [PricedOffer] = []
        for index in 0..<offers {
            let quality: Int? = random.next() % 5 == 0 ? nil : 1_100 + Int(random.next() % 400)
            let context = [8_192, 32_768, 128_000, 1_000_000][Int(random.next() % 4)]
            models.append(Fixtures.model("m\(index)", quality: quality, context: context))
            let input = Int64(random.next() % 20_000_000_000)
            let output = input + Int64(random.next() % 40_000_000_000)
            let tiers = random.next() % 4 == 0
                ? [LongContextTier(aboveTokens: 100_000, input: Price(nanoUSDPerMtok: input * 2), output: Price(nanoUSDPerMtok: output * 3 / 2))]
                : []
            let unknown = random.next() % 20 == 0
            let version = PriceVersion(
                input: unknown ? .unknown : Price(nanoUSDPerMtok: input),
                cachedInput: random.next() % 2 == 0 ? Price(nanoUSDPerMtok: input / 10) : .unknown,
                output: Price(nanoUSDPerMtok: output), longContextTiers: tiers,
                effectiveAt: Fixtures.now.addingTimeInterval(-3_600), source: "synthetic")
            priced.append(PricedOffer(offer: Offer(id: OfferID(provider: "p\(random.next() % 10)", model: "m\(index)")), price: version))
        }
        return Catalogue(providers: providers, models: models, offers: priced)
    }
}
