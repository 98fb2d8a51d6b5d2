import ArgumentParser
import BrokerCore
import BrokerStore
import ControlPlane
import Foundation
import PriceFeeds

extension TokenBroker {
    struct Prices: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import prices and show their history.", subcommands: [Import.self, History.self])
    }
}

/// The store offline price commands work on: `--db` is required, since that is where history lives.
extension CatalogueOptions {
    func openStore() throws -> SQLiteStore {
        guard let db else { throw ValidationError("--db is required: the price history lives in the database") }
        do {
            let store = try SQLiteStore(path: db)
            _ = try store.syncCatalogue(try ProviderCatalogueLoader.load(directory: providersDirectory), at: date)
            return store
        } catch {
            throw CommandFailure(description: "\(error)")
        }
    }
}

extension TokenBroker.Prices {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a LiteLLM, OpenRouter or price-history file as dated price versions.",
            discussion: "A bad file is rejected whole and the store is left unchanged.")

        @OptionGroup var catalogue: CatalogueOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: "The file to import.")
        var file: String

        @Option(help: "litellm, openrouter or history.")
        var format: String

        func validate() throws {
            guard PriceImportFormat(rawValue: format) != nil else {
                throw ValidationError("--format must be one of: \(PriceImportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() async throws {
            let format = PriceImportFormat(rawValue: format)!
            let store = try catalogue.openStore()
            let report: ImportReport
            let parsed: PriceImport
            do {
                parsed = try format.importer(effectiveAt: catalogue.date).parse(contentsOf: URL(fileURLWithPath: file))
                report = try parsed.write(to: store)
            } catch {
                throw CommandFailure(description: "\(error)")
            }
            let skipped = parsed.skipped.values.reduce(0, +)
            if output.json {
                try JSONOutput.print(ImportSummary(parsed: parsed, report: report))
            } else {
                print(
                    "\(file): \(parsed.offers.count) priced entries read, \(skipped) skipped; "
                        + "\(report.priceVersionsAppended) price versions appended, \(report.priceVersionsUnchanged) unchanged, "
                        + "\(report.offersAdded) offers and \(report.modelsAdded) models added")
            }
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show dated price versions, oldest first.")

        @OptionGroup var catalogue: CatalogueOptions
        @OptionGroup var output: OutputOptions

        @Argument(help: "An offer, provider/model.")
        var offer: String?

        @Option(help: "Every offer of this model.")
        var model: String?

        @Option(help: "Only versions effective from this date (ISO 8601, YYYY-MM-DD, or 24h / 7d ago).")
        var since: String?

        func validate() throws {
            if let offer, OfferID(offer) == nil { throw ValidationError("the offer must be provider/model, not \(offer)") }
            if let since, TimeArgument.date(since, now: Date()) == nil {
                throw ValidationError("--since: not a time (ISO 8601, YYYY-MM-DD, or 24h, 7d, 30m): \(since)")
            }
        }

        func run() async throws {
            let store = try catalogue.openStore()
            let filter = PriceHistoryFilter(
                offer: offer.flatMap { OfferID($0) }, model: model, since: since.flatMap { TimeArgument.date($0, now: Date()) })
            let entries: [PriceHistoryEntry]
            do {
                entries = try store.priceHistory(filter)
            } catch {
                throw CommandFailure(description: "\(error)")
            }
            let rows = entries.map(PriceHistoryRow.init)
            if output.json {
                try JSONOutput.print(rows)
                return
            }
            var table = TextTable(["effective", "offer", "input", "cached", "output", "source"], rightAligned: [2, 3, 4])
            for row in rows {
                table.append([
                    String(row.effectiveAt.prefix(10)), "\(row.provider)/\(row.model)", row.inputUSDPerMtok ?? "?",
                    row.cachedInputUSDPerMtok ?? "-", row.outputUSDPerMtok ?? "?", row.source,
                ])
            }
            print(table.render())
            print("\(rows.count) price versions · USD per million tokens · ? unknown")
        }
    }
}

struct ImportSummary: Encodable {
    var format: String
    var source: String
    var entriesRead: Int
    var skipped: [String: Int]
    var priceVersionsAppended: Int
    var priceVersionsUnchanged: Int
    var offersAdded: Int
    var modelsAdded: Int

    init(parsed: PriceImport, report: ImportReport) {
        format = parsed.format.rawValue
        source = parsed.source
        entriesRead = parsed.offers.count
        skipped = parsed.skipped
        priceVersionsAppended = report.priceVersionsAppended
        priceVersionsUnchanged = report.priceVersionsUnchanged
        offersAdded = report.offersAdded
        modelsAdded = report.modelsAdded
    }

    enum CodingKeys: String, CodingKey {
        case format, source, skipped
        case entriesRead = "entries_read"
        case priceVersionsAppended = "price_versions_appended"
        case priceVersionsUnchanged = "price_versions_unchanged"
        case offersAdded = "offers_added"
        case modelsAdded = "models_added"
    }
}

struct PriceHistoryRow: Encodable {
    var provider: String
    var model: String
    var effectiveAt: String
    var inputUSDPerMtok: String?
    var cachedInputUSDPerMtok: String?
    var outputUSDPerMtok: String?
    var source: String

    init(_ entry: PriceHistoryEntry) {
        provider = entry.offer.provider
        model = entry.offer.model
        effectiveAt = entry.version.effectiveAt.formatted(.iso8601)
        inputUSDPerMtok = entry.version.input.usdPerMtokString
        cachedInputUSDPerMtok = entry.version.cachedInput.usdPerMtokString
        outputUSDPerMtok = entry.version.output.usdPerMtokString
        source = entry.version.source
    }

    enum CodingKeys: String, CodingKey {
        case provider, model, source
        case effectiveAt = "effective_at"
        case inputUSDPerMtok = "input_usd_per_mtok"
        case cachedInputUSDPerMtok = "cached_input_usd_per_mtok"
        case outputUSDPerMtok = "output_usd_per_mtok"
    }
}
