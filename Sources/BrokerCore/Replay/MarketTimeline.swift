public import struct Foundation.Date

/// A market over time: who sells which model, and every offer's dated price versions.
/// `catalogue(at:)` gives the catalogue as it stood on any date, for the router.
public struct MarketTimeline: Sendable {
    public var providers: [Provider]
    public var models: [Model]
    /// Each offer's versions, oldest first.
    public var versions: [OfferID: [PriceVersion]]
    public var policies: [Policy]

    public init(providers: [Provider], models: [Model], versions: [OfferID: [PriceVersion]], policies: [Policy]) {
        self.providers = providers
        self.models = models
        self.versions = versions.mapValues { $0.sorted { $0.effectiveAt < $1.effectiveAt } }
        self.policies = policies
    }

    /// The first and last dates a price takes effect.
    public var span: ClosedRange<Date>? {
        let dates = versions.values.flatMap { $0.map(\.effectiveAt) }
        guard let first = dates.min(), let last = dates.max() else { return nil }
        return first...last
    }

    /// Every date on which some offer's price changes, ascending.
    public var changeDates: [Date] {
        Array(Set(versions.values.flatMap { $0.map(\.effectiveAt) })).sorted()
    }

    /// The offers on sale at `date`, each with the version in force then.
    public func catalogue(at date: Date) -> Catalogue {
        var offers: [PricedOffer] = []
        for (id, list) in versions {
            guard let version = list.last(where: { $0.effectiveAt <= date }) else { continue }
            offers.append(PricedOffer(offer: Offer(id: id), price: version))
        }
        return Catalogue(providers: providers, models: models, offers: offers, policies: policies)
    }

    /// A copy with some policies added or replaced.
    public func adding(policies extra: [Policy]) -> MarketTimeline {
        let replaced = Set(extra.map(\.id))
        var copy = self
        copy.policies = policies.filter { !replaced.contains($0.id) } + extra
        return copy
    }

    /// Every price move in the timeline (both sides known, blended price changed).
    public func moves(flags: (OfferID, Date) -> Set<String> = { _, _ in [] }) -> [PriceMove] {
        let quality = Dictionary(models.map { ($0.id, $0.quality?.score) }, uniquingKeysWith: { first, _ in first })
        var result: [PriceMove] = []
        for (id, list) in versions {
            for (old, new) in zip(list, list.dropFirst()) {
                if let move = PriceMove(
                    offer: id, model: id.model, quality: quality[id.model] ?? nil, from: old, to: new,
                    flags: flags(id, new.effectiveAt))
                {
                    result.append(move)
                }
            }
        }
        return result.sorted { ($0.at, $0.offer) < ($1.at, $1.offer) }
    }
}
