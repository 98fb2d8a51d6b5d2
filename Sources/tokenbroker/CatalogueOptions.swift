import ArgumentParser
import BrokerCore
import ControlPlane
import Foundation
import PriceFeeds

/// Where commands find the catalogue.
struct CatalogueOptions: ParsableArguments {
    @Flag(help: "Work on the provider files (and --db) directly, without a running daemon.")
    var offline = false

    @Option(help: "The provider catalogue directory (default: $TOKENBROKER_PROVIDERS or ./Providers).")
    var providers: String?

    @Option(help: "A TokenBroker SQLite database to sync the provider files into and read prices from.")
    var db: String?

    @Option(help: "Price the catalogue as of this time (ISO 8601 or YYYY-MM-DD; default now).")
    var at: String?

    func validate() throws {
        if !offline, providers != nil || db != nil || at != nil {
            throw ValidationError("--providers, --db and --at work on files: add --offline (without it the command asks the running daemon)")
        }
        if let at, DateParsing.date(at) == nil {
            throw ValidationError("--at: not a date (ISO 8601 or YYYY-MM-DD): \(at)")
        }
    }

    var date: Date { at.flatMap(DateParsing.date) ?? Date() }

    var providersDirectory: URL {
        URL(fileURLWithPath: providers ?? ProcessInfo.processInfo.environment["TOKENBROKER_PROVIDERS"] ?? "Providers")
    }

    func loadCatalogue() throws -> Catalogue {
        do {
            return try OfflineCatalogue.load(providers: providersDirectory, database: db, at: date)
        } catch {
            throw CommandFailure(description: "\(error)")
        }
    }
}

/// `--json` for scripts.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON instead of a table.")
    var json = false
}

enum JSONOutput {
    static func print(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
