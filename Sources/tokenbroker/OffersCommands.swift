import ArgumentParser
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

        enum Sort: String, ExpressibleByArgument, CaseIterable {
            case cost, quality, name
        }

        @OptionGroup var catalogue: CatalogueOptions
        @OptionGroup var output: OutputOptions

        @Option(help: "Only offers of this model.")
        var model: String?

        @Option(help: "Only offers of this provider.")
        var provider: String?

        @Option(help: "Sort by cost (input + output per Mtok), quality, or name.")
        var sort: Sort = .name

        func run() async throws {
            let catalogue = try self.catalogue.loadCatalogue()
            let table = RoutingTable(catalogue: catalogue, at: self.catalogue.date)
            var listings = zip(table.offerIDs, table.priceVersions).compactMap { id, version -> OfferListing? in
                if let model, id.model != model { return nil }
                if let provider, id.provider != provider { return nil }
                let priced = catalogue.offers.first { $0.id == id }
                return OfferListing(
                    id: id, offer: priced?.offer, model: catalogue.models[id.model], price: version,
                    selfHosted: priced?.selfHosted != nil)
            }
            switch sort {
            case .name: break
            case .quality: listings.sort { ($0.quality ?? Int.min, $1.id) > ($1.quality ?? Int.min, $0.id) }
            case .cost: listings.sort { ($0.costKey, $0.id) < ($1.costKey, $1.id) }
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

/// One row of `tokenbroker offers list`; prices are decimal strings of USD per Mtok, absent when unknown.
struct OfferListing: Encodable {
    var id: OfferID
    var inputUSDPerMtok: String?
    var cachedInputUSDPerMtok: String?
    var outputUSDPerMtok: String?
    var quality: Int?
    var effectiveContext: Int?
    var priceEffectiveAt: String?
    var source: String?
    var selfHosted: Bool
    var enabled: Bool
    let costKey: Int64

    init(id: OfferID, offer: Offer?, model: Model?, price: PriceVersion?, selfHosted: Bool) {
        self.id = id
        inputUSDPerMtok = price?.input.usdPerMtokString
        cachedInputUSDPerMtok = price?.cachedInput.usdPerMtokString
        outputUSDPerMtok = price?.output.usdPerMtokString
        quality = model?.quality?.score
        effectiveContext = model.map { min($0.effectiveContext, offer?.contextLimit ?? Int.max) }
        priceEffectiveAt = price?.effectiveAt.formatted(.iso8601)
        source = price?.source
        self.selfHosted = selfHosted
        enabled = offer?.enabled ?? false
        if let input = price?.input.nanoUSDPerMtok, let output = price?.output.nanoUSDPerMtok {
            costKey = input.addingReportingOverflow(output).partialValue
        } else {
            costKey = Int64.max
        }
    }

    enum CodingKeys: String, CodingKey {
        case provider, model, quality, source, enabled
        case inputUSDPerMtok = "input_usd_per_mtok"
        case cachedInputUSDPerMtok = "cached_input_usd_per_mtok"
        case outputUSDPerMtok = "output_usd_per_mtok"
        case effectiveContext = "effective_context"
        case priceEffectiveAt = "price_effective_at"
        case selfHosted = "self_hosted"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.provider, forKey: .provider)
        try container.encode(id.model, forKey: .model)
        try container.encodeIfPresent(inputUSDPerMtok, forKey: .inputUSDPerMtok)
        try container.encodeIfPresent(cachedInputUSDPerMtok, forKey: .cachedInputUSDPerMtok)
        try container.encodeIfPresent(outputUSDPerMtok, forKey: .outputUSDPerMtok)
        try container.encodeIfPresent(quality, forKey: .quality)
        try container.encodeIfPresent(effectiveContext, forKey: .effectiveContext)
        try container.encodeIfPresent(priceEffectiveAt, forKey: .priceEffectiveAt)
        try container.encodeIfPresent(source, forKey: .source)
        try container.encode(selfHosted, forKey: .selfHosted)
        try container.encode(enabled, forKey: .enabled)
    }
}
