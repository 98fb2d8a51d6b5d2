public import BrokerCore
import Foundation

/// One row of `tokenbroker offers list`; prices are decimal strings of USD per Mtok, absent when unknown.
public struct OfferListing: Codable, Sendable, Equatable {
    public var id: OfferID
    public var inputUSDPerMtok: String?
    public var cachedInputUSDPerMtok: String?
    public var outputUSDPerMtok: String?
    public var quality: Int?
    public var effectiveContext: Int?
    public var priceEffectiveAt: String?
    public var source: String?
    public var selfHosted: Bool
    public var enabled: Bool
    public let costKey: Int64

    public init(id: OfferID, offer: Offer?, model: Model?, price: PriceVersion?, selfHosted: Bool) {
        self.id = id
        inputUSDPerMtok = price?.input.usdPerMtokString
        cachedInputUSDPerMtok = price?.cachedInput.usdPerMtokString
        outputUSDPerMtok = price?.output.usdPerMtokString
        quality = model?.quality?.score
        effectiveContext = model.map { min($0.effectiveContext, offer?.contextLimit ?? Int.max) }
        priceEffectiveAt = price?.effectiveAt.formatted(.iso8601)
        source = price?.source
        self.selfHosted = selfHosted
        enabled = offer?.enabled ?? false
        if let input = price?.input.nanoUSDPerMtok, let output = price?.output.nanoUSDPerMtok {
            costKey = input.addingReportingOverflow(output).partialValue
        } else {
            costKey = Int64.max
        }
    }

    enum CodingKeys: String, CodingKey {
        case provider, model, quality, source, enabled
        case inputUSDPerMtok = "input_usd_per_mtok"
        case cachedInputUSDPerMtok = "cached_input_usd_per_mtok"
        case outputUSDPerMtok = "output_usd_per_mtok"
        case effectiveContext = "effective_context"
        case priceEffectiveAt = "price_effective_at"
        case selfHosted = "self_hosted"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = OfferID(
            provider: try container.decode(String.self, forKey: .provider), model: try container.decode(String.self, forKey: .model))
        inputUSDPerMtok = try container.decodeIfPresent(String.self, forKey: .inputUSDPerMtok)
        cachedInputUSDPerMtok = try container.decodeIfPresent(String.self, forKey: .cachedInputUSDPerMtok)
        outputUSDPerMtok = try container.decodeIfPresent(String.self, forKey: .outputUSDPerMtok)
        quality = try container.decodeIfPresent(Int.self, forKey: .quality)
        effectiveContext = try container.decodeIfPresent(Int.self, forKey: .effectiveContext)
        priceEffectiveAt = try container.decodeIfPresent(String.self, forKey: .priceEffectiveAt)
        source = try container.decodeIfPresent(String.self, forKey: .source)
        selfHosted = try container.decode(Bool.self, forKey: .selfHosted)
        enabled = try container.decode(Bool.self, forKey: .enabled)
        let input = inputUSDPerMtok.flatMap { TokenPrice(usdPerMtok: $0) }?.nanoUSDPerMtok
        let output = outputUSDPerMtok.flatMap { TokenPrice(usdPerMtok: $0) }?.nanoUSDPerMtok
        if let input, let output { costKey = input.addingReportingOverflow(output).partialValue } else { costKey = Int64.max }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.provider, forKey: .provider)
        try container.encode(id.model, forKey: .model)
        try container.encodeIfPresent(inputUSDPerMtok, forKey: .inputUSDPerMtok)
        try container.encodeIfPresent(cachedInputUSDPerMtok, forKey: .cachedInputUSDPerMtok)
        try container.encodeIfPresent(outputUSDPerMtok, forKey: .outputUSDPerMtok)
        try container.encodeIfPresent(quality, forKey: .quality)
        try container.encodeIfPresent(effectiveContext, forKey: .effectiveContext)
        try container.encodeIfPresent(priceEffectiveAt, forKey: .priceEffectiveAt)
        try container.encodeIfPresent(source, forKey: .source)
        try container.encode(selfHosted, forKey: .selfHosted)
        try container.encode(enabled, forKey: .enabled)
    }
}
