public import BrokerStore

extension PriceImport {
    /// The import as one store transaction: models and offers the store lacks, and every
    /// price version (re-importing the same file appends nothing). Offers it adds do not
    /// route: they are price history; the provider files say what routes.
    public var batch: PriceBatch {
        var models: [String: Int] = [:]
        var modelList: [BrokerCore.Model] = []
        for offer in offers where models[offer.model.id] == nil {
            models[offer.model.id] = modelList.count
            modelList.append(offer.model)
        }
        var seenOffers: Set<OfferID> = []
        let offerList = offers.compactMap { imported -> Offer? in
            seenOffers.insert(imported.id).inserted ? Offer(id: imported.id, enabled: false) : nil
        }
        return PriceBatch(models: modelList, offers: offerList, versions: offers.map { ($0.id, $0.price) })
    }

    /// Writes the import in one transaction; on any error the store is unchanged.
    public func write(to store: any CatalogueStore) throws -> ImportReport {
        try store.importPrices(batch)
    }
}

import BrokerCore
