/// Everything routing needs to know, as plain values: providers, models, offers with their
/// current price version, and policies. Built by the provider-file loader or read from the store.
public struct Catalogue: Sendable {
    public var providers: [String: Provider]
    public var models: [String: Model]
    public var offers: [PricedOffer]
    public var policies: [String: Policy]

    public init(
        providers: [Provider] = [], models: [Model] = [], offers: [PricedOffer] = [], policies: [Policy] = []
    ) {
        self.providers = Dictionary(providers.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        self.models = Dictionary(models.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        self.offers = offers
        self.policies = Dictionary(policies.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// The policy `auto` resolves to: the catalogue's own, else the built-in default.
    public var defaultPolicy: Policy { policies["auto"] ?? .auto }
}

/// An offer with the price version in force (nil: no price known at all) and, for
/// self-hosted offers, the hardware cost its price is derived from.
public struct PricedOffer: Sendable, Hashable {
    public var offer: Offer
    public var price: PriceVersion?
    public var selfHosted: SelfHostedCost?

    public init(offer: Offer, price: PriceVersion?, selfHosted: SelfHostedCost? = nil) {
        self.offer = offer
        self.price = price
        self.selfHosted = selfHosted
    }

    public var id: OfferID { offer.id }
}

/// Prepaid credit with a provider: offers of that provider cost nothing until it runs out.
public struct Credit: Sendable, Hashable {
    public var provider: String
    public var remaining: Money
    public var expiresAt: Date?

    public init(provider: String, remaining: Money, expiresAt: Date? = nil) {
        self.provider = provider
        self.remaining = remaining
        self.expiresAt = expiresAt
    }

    public func isUsable(at date: Date) -> Bool {
        remaining > .zero && (expiresAt.map { date < $0 } ?? true)
    }
}

public import struct Foundation.Date
