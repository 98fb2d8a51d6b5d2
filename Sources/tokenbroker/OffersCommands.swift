public import ArgumentParser
import BrokerCore
import ControlPlane
import Foundation

extension TokenBroker {
    struct Offers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List offers with their current prices.", subcommands: [List.self])
    }
}

extension TokenBroker.Offers {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List offers with their current prices.")

        @OptionGroup var catalogue: CatalogueOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var daemon: DaemonOptions

        @Option(help: "Only offers of this model.")
        var model: String?

        @Option(help: "Only offers of this provider.")
        var provider: String?

        @Option(help: "Sort by cost (input + output per Mtok), quality, or name.")
        var sort: OfferSort = .name

        func run() async throws {
            let listings: [OfferListing]
            if catalogue.offline {
                let catalogue = try self.catalogue.loadCatalogue()
                let table = RoutingTable(catalogue: catalogue, at: self.catalogue.date)
                listings = OfferListing.listings(catalogue: catalogue, table: table, model: model, provider: provider, sort: sort)
            } else {
                listings = try await daemon.call { client throws(ControlClientError) in
                    try await client.get(
                        "/v1/offers", query: [("model", model), ("provider", provider), ("sort", sort.rawValue)], as: [OfferListing].self)
                }
            }
            if output.json {
                try JSONOutput.print(listings)
                return
            }
            var text = TextTable(
                ["offer", "input", "cached", "output", "quality", "context", "since", "source"], rightAligned: [1, 2, 3, 4, 5])
            for listing in listings {
                text.append([
                    listing.id.description, listing.inputUSDPerMtok ?? "?", listing.cachedInputUSDPerMtok ?? "-",
                    listing.outputUSDPerMtok ?? "?", listing.quality.map(String.init) ?? "-",
                    listing.effectiveContext.map(String.init) ?? "-", String(listing.priceEffectiveAt?.prefix(10) ?? "-"),
                    listing.source ?? "-",
                ])
            }
            print(text.render())
            print("\(listings.count) offers · prices in USD per million tokens · ? unknown, 0 explicitly free")
        }
    }
}

extension OfferSort: ExpressibleByArgument {}
