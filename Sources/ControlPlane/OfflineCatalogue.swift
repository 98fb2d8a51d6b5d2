public import BrokerCore
import BrokerStore
public import Foundation
import PriceFeeds

/// The catalogue for commands run with `--offline`: the provider files synced into a store —
/// the database when one is named (with its imported price history), else one in memory —
/// and read back as of `date`, so `--at` prices with the versions in force then either way
/// (the files alone carried each price from its date on, whatever `--at` said).
public enum OfflineCatalogue {
    public static func load(providers directory: URL, database: String?, at date: Date) throws -> Catalogue {
        let files = try ProviderCatalogueLoader.load(directory: directory)
        let store: any CatalogueStore = try database.map { try SQLiteStore(path: $0) } ?? InMemoryStore()
        _ = try store.syncCatalogue(files, at: date)
        return try store.catalogue(at: date)
    }
}
