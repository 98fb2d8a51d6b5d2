public import BrokerCore
import BrokerStore
public import Foundation
import PriceFeeds

/// The catalogue for commands run with `--offline`: the provider files, and when a
/// database is named, the store they are synced into (with its imported price history).
public enum OfflineCatalogue {
    public static func load(providers directory: URL, database: String?, at date: Date) throws -> Catalogue {
        let files = try ProviderCatalogueLoader.load(directory: directory)
        guard let database else { return files }
        let store = try SQLiteStore(path: database)
        _ = try store.syncCatalogue(files, at: date)
        return try store.catalogue(at: date)
    }
}
