public import BrokerCore
public import Foundation

/// The catalogue as the gateway routes it at one moment: the compiled routing table, how
/// each provider is called, prepaid credits. Immutable; a reload or refresh builds a new one
/// and swaps it in whole, so a request sees one consistent catalogue from start to end.
public final class BrokerSnapshot: Sendable {
    public let catalogue: Catalogue
    public let table: RoutingTable
    public let upstreams: [String: ProviderUpstream]
    public let offers: [OfferID: Offer]
    /// Usable credit per provider when the snapshot was built.
    public let credits: [String: Money]
    /// Providers that cannot be called (no credentials and no demo overlay), with why.
    public let unavailable: [String: String]
    /// Offers routing can send a request to: routable, of a provider that can be called. The
    /// figure `/readyz`, `status` and the logs report (a daemon without credentials or demo
    /// overlay has offers in its table and none it can call).
    public let callableOfferCount: Int
    public let builtAt: Date

    public init(catalogue: Catalogue, at date: Date, environment: [String: String], demoUpstream: String?, credits: [Credit]) {
        self.catalogue = catalogue
        self.table = RoutingTable(catalogue: catalogue, at: date)
        var upstreams: [String: ProviderUpstream] = [:]
        var unavailable: [String: String] = [:]
        for provider in catalogue.providers.values {
            let upstream = ProviderUpstream.resolve(provider, environment: environment, demoUpstream: demoUpstream)
            upstreams[provider.id] = upstream
            if let reason = upstream.unavailableReason { unavailable[provider.id] = reason }
        }
        self.upstreams = upstreams
        self.unavailable = unavailable
        self.callableOfferCount = table.routableOfferCount(excluding: Set(unavailable.keys))
        self.offers = Dictionary(catalogue.offers.map { ($0.id, $0.offer) }, uniquingKeysWith: { first, _ in first })
        self.credits = RoutingContext.credits(credits, at: date)
        self.builtAt = date
    }

    /// Offers a client can name: every model with at least one offer, sorted.
    public var routableModels: [String] {
        Array(Set(catalogue.offers.filter { $0.offer.enabled }.map(\.id.model))).sorted()
    }
}
