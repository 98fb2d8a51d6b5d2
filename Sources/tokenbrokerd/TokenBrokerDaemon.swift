import ArgumentParser
import BrokerStore
import Foundation
import PriceFeeds

/// `tokenbrokerd`. This build loads and syncs the catalogue; the OpenAI-compatible gateway
/// and the control socket are added by the gateway and control-plane issues.
@main
struct TokenBrokerDaemon: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenbrokerd",
        abstract: "The TokenBroker daemon (this build: catalogue sync into the SQLite store).")

    @Option(help: "The provider catalogue directory.")
    var providers = ProcessInfo.processInfo.environment["TOKENBROKER_PROVIDERS"] ?? "Providers"

    @Option(help: "The SQLite database.")
    var db = ProcessInfo.processInfo.environment["TOKENBROKER_DB"] ?? "var/tokenbroker.sqlite"

    @Flag(help: "Only validate the provider files; write nothing.")
    var check = false

    func run() throws {
        let catalogue: BrokerCore.Catalogue
        do {
            catalogue = try ProviderCatalogueLoader.load(directory: URL(fileURLWithPath: providers))
        } catch {
            throw failure("\(error)")
        }
        print(
            "catalogue: \(catalogue.providers.count) providers, \(catalogue.models.count) models, "
                + "\(catalogue.offers.count) offers, \(catalogue.policies.count) policies (\(providers))")
        if check { return }
        do {
            // Held until exit: a second daemon on the same state refuses to start.
            let lock = try StateLock(path: db + ".lock")
            defer { withExtendedLifetime(lock) {} }
            let store = try SQLiteStore(path: db)
            let report = try store.syncCatalogue(catalogue, at: Date())
            print(
                "store: \(db): \(report.priceVersionsAppended) price versions appended, "
                    + "\(report.priceVersionsUnchanged) unchanged")
        } catch {
            throw failure("\(error)")
        }
        print("tokenbrokerd: the HTTP gateway is not part of this build yet; the catalogue is synced.")
    }

    func failure(_ message: String) -> some Error {
        FileHandle.standardError.write(Data("tokenbrokerd: \(message)\n".utf8))
        return ExitCode.failure
    }
}

import BrokerCore
