extension RoutingTable {
    /// The price version `id` is routed with (derived from hardware cost for self-hosted offers).
    public func priceVersion(of id: OfferID) -> PriceVersion? {
        offerIndex[id].flatMap { priceVersions[Int($0)] }
    }
}
