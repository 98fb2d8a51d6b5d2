import BrokerCore
import Foundation

/// A small hand-priced catalogue the router tests reason about.
enum Fixtures {
    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    static func price(_ input: String?, _ output: String?, cached: String? = nil, tiers: [LongContextTier] = []) -> PriceVersion {
        PriceVersion(
            input: mtok(input), cachedInput: mtok(cached), output: mtok(output), longContextTiers: tiers,
            effectiveAt: now.addingTimeInterval(-86_400), source: "test")
    }

    static func mtok(_ text: String?) -> Price {
        guard let text else { return .unknown }
        return Price(nanoUSDPerMtok: TokenPrice(usdPerMtok: text)!.nanoUSDPerMtok)
    }

    static func provider(_ id: String, region: String = "us", maxDataClass: DataClass = .confidential, residency: Residency = .cloud) -> Provider {
        Provider(
            id: id, wireFormat: .openai, baseURL: "https://\(id).example/v1", credentials: .environment("KEY"),
            region: region, residency: residency, dataHandling: DataHandling(maxDataClass: maxDataClass))
    }

    static func model(_ id: String, quality: Int?, capabilities: Capabilities = [.tools, .streaming, .jsonSchema], context: Int = 128_000, effective: Int? = nil) -> Model {
        Model(
            id: id, family: id, quality: quality.map { QualityScore(score: $0, source: "test") },
            capabilities: capabilities, advertisedContext: context, effectiveContext: effective, maxOutputTokens: 16_384)
    }

    static func offer(_ provider: String, _ model: String, _ price: PriceVersion?) -> PricedOffer {
        PricedOffer(offer: Offer(id: OfferID(provider: provider, model: model)), price: price)
    }

    /// Three hosts of one open model, a frontier model, a vision model and an unpriced one.
    static func catalogue(policies: [Policy] = []) -> Catalogue {
        Catalogue(
            providers: [provider("alpha"), provider("beta", region: "eu"), provider("gamma", maxDataClass: .internal), provider("delta")],
            models: [
                model("open-70b", quality: 1300),
                model("frontier", quality: 1450, capabilities: [.tools, .vision, .streaming, .jsonSchema, .reasoning]),
                model("seer", quality: 1350, capabilities: [.vision, .streaming]),
                model("mystery", quality: 1400),
                model("unscored", quality: nil),
            ],
            offers: [
                offer("alpha", "open-70b", price("0.90", "0.90")),
                offer("beta", "open-70b", price("0.60", "0.80")),
                offer("gamma", "open-70b", price("0.50", "0.70")),
                offer("alpha", "frontier", price("3", "15", cached: "0.30")),
                offer("delta", "seer", price("1", "4")),
                offer("delta", "mystery", price(nil, "2")),
                offer("delta", "unscored", price("0.01", "0.01")),
            ],
            policies: policies)
    }

    static func profile(model: String = "auto", prompt: Int = 1_000, maxTokens: Int? = nil, capabilities: Capabilities = []) -> RequestProfile {
        RequestProfile(model: model, capabilities: capabilities, estimatedPromptTokens: prompt, maxOutputTokens: maxTokens)
    }
}
