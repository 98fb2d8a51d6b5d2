public import Foundation
public import PriceFeeds

/// Loads a price-history CSV as a replayable market, joined with the provider catalogue and,
/// when found, the LMArena ratings (`--arena`, else `leaderboard-text-style-control.json`
/// next to the history file).
public enum HistoryMarketLoader {
    public static let arenaFileName = "leaderboard-text-style-control.json"

    public static func load(history: URL, providers: URL, arena: URL?) throws -> HistoryMarket {
        let parsed = try PriceHistoryImporter().parse(contentsOf: history)
        let catalogue = try ProviderCatalogueLoader.load(directory: providers)
        let arenaURL = arena ?? history.deletingLastPathComponent().appendingPathComponent(arenaFileName)
        var ratings = ArenaRatings()
        if arena != nil || FileManager.default.fileExists(atPath: arenaURL.path) {
            ratings = try ArenaRatings(data: try Data(contentsOf: arenaURL), file: arenaURL.path)
        }
        return HistoryMarket(history: parsed, catalogue: catalogue, arena: ratings)
    }
}
