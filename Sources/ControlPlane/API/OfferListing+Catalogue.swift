public import BrokerCore

/// How `offers list` orders its rows.
public enum OfferSort: String, Sendable, CaseIterable {
    case name, cost, quality
}

extension OfferListing {
    /// Every offer of the routing table with the price in force, filtered and sorted —
    /// the same rows offline (provider files) and from the daemon (its live snapshot).
    public static func listings(
        catalogue: Catalogue, table: RoutingTable, model: String? = nil, provider: String? = nil, sort: OfferSort = .name
    ) -> [OfferListing] {
        let priced = Dictionary(catalogue.offers.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var listings = zip(table.offerIDs, table.priceVersions).compactMap { id, version -> OfferListing? in
            if let model, id.model != model { return nil }
            if let provider, id.provider != provider { return nil }
            let offer = priced[id]
            return OfferListing(
                id: id, offer: offer?.offer, model: catalogue.models[id.model], price: version, selfHosted: offer?.selfHosted != nil)
        }
        switch sort {
        case .name: break
        case .quality: listings.sort { ($0.quality ?? Int.min, $1.id) > ($1.quality ?? Int.min, $0.id) }
        case .cost: listings.sort { ($0.costKey, $0.id) < ($1.costKey, $1.id) }
        }
        return listings
    }
}
