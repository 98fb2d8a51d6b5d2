import ArgumentParser
import BrokerCore
import BrokerStore
import ControlPlane
import Foundation
import PriceFeeds

extension TokenBroker {
    struct Prices: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set, import and show dated prices.", subcommands: [Set.self, History.self, Import.self])
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

        @OptionGroup var daemon: DaemonOptions

        func validate() throws {
            guard PriceImportFormat(rawValue: format) != nil else {
                throw ValidationError("--format must be one of: \(PriceImportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() async throws {
            let format = PriceImportFormat(rawValue: format)!
            let summary: ImportSummary
            if catalogue.offline {
                // Parsed before the store is opened: opening it syncs the provider files into it,
                // and a rejected file must leave the store as it was.
                let parsed: PriceImport
                do {
                    parsed = try format.importer(effectiveAt: catalogue.date).parse(contentsOf: URL(fileURLWithPath: file))
                } catch {
                    throw CommandFailure(description: "\(error)")
                }
                let store = try catalogue.openStore()
                do {
                    summary = ImportSummary(parsed: parsed, report: try parsed.write(to: store))
                } catch {
                    throw CommandFailure(description: "\(error)")
                }
            } else {
                // The daemon may not be able to read the operator's file: send its bytes.
                let data: Data
                do {
                    data = try LocalFile.data(file)
                } catch {
                    throw CommandFailure(description: "\(file): \(error)")
                }
                let source = URL(fileURLWithPath: file).lastPathComponent
                summary = try await daemon.call { client throws(ControlClientError) in
                    try await client.send(
                        "POST", "/v1/prices/import", query: [("format", format.rawValue), ("source", source)], bytes: data,
                        as: ImportSummary.self)
                }
            }
            let skipped = summary.skipped.values.reduce(0, +)
            if output.json {
                try JSONOutput.print(summary)
            } else {
                print(
                    "\(file): \(summary.entriesRead) priced entries read, \(skipped) skipped; "
                        + "\(summary.priceVersionsAppended) price versions appended, \(summary.priceVersionsUnchanged) unchanged, "
                        + "\(summary.offersAdded) offers and \(summary.modelsAdded) models added")
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

        @OptionGroup var daemon: DaemonOptions

        func validate() throws {
            if let offer, OfferID(offer) == nil { throw ValidationError("the offer must be provider/model, not \(offer)") }
            if let since, TimeArgument.date(since, now: Date()) == nil {
                throw ValidationError("--since: not a time (ISO 8601, YYYY-MM-DD, or 24h, 7d, 30m): \(since)")
            }
        }

        func run() async throws {
            let rows: [PriceHistoryRow]
            if catalogue.offline {
                let store = try catalogue.openStore()
                let filter = PriceHistoryFilter(
                    offer: offer.flatMap { OfferID($0) }, model: model, since: since.flatMap { TimeArgument.date($0, now: Date()) })
                do {
                    rows = try store.priceHistory(filter).map(PriceHistoryRow.init)
                } catch {
                    throw CommandFailure(description: "\(error)")
                }
            } else {
                rows = try await daemon.call { client throws(ControlClientError) in
                    try await client.get(
                        "/v1/prices/history", query: [("offer", offer), ("model", model), ("since", TimeOption.absolute(since))],
                        as: [PriceHistoryRow].self)
                }
            }
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


extension TokenBroker.Prices {
    /// `tokenbroker prices set P/M --input X --output Y`: a new price version, in force for the next request.
    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Append a price version for an offer; the daemon routes with it from the next request.",
            discussion: "Prices are USD per million tokens, as exact decimals (0 means explicitly free).")

        @OptionGroup var daemon: DaemonOptions
        @OptionGroup var printing: OutputOptions

        @Argument(help: "The offer, provider/model.")
        var offer: String

        @Option(help: "USD per million input tokens.")
        var input: String

        @Option(name: .customLong("output"), help: "USD per million output tokens.")
        var outputPrice: String

        @Option(help: "USD per million cached input tokens.")
        var cached: String?

        @Option(help: "When the version takes effect (ISO 8601 or YYYY-MM-DD; default now).")
        var effectiveAt: String?

        @Option(help: "Where the price comes from (default: tokenbroker prices set).")
        var source: String?

        func validate() throws {
            guard OfferID(offer) != nil else { throw ValidationError("the offer must be provider/model, not \(offer)") }
            for (name, value) in [("--input", input), ("--output", outputPrice), ("--cached", cached)] {
                if let value, TokenPrice(usdPerMtok: value) == nil {
                    throw ValidationError("\(name): a non-negative decimal in USD per million tokens, not \(value)")
                }
            }
            if let effectiveAt, DateParsing.date(effectiveAt) == nil {
                throw ValidationError("--effective-at: not a time (ISO 8601 or YYYY-MM-DD): \(effectiveAt)")
            }
        }

        func run() async throws {
            let id = OfferID(offer)!
            let request = PriceSetRequest(
                provider: id.provider, model: id.model, inputUSDPerMtok: input, outputUSDPerMtok: outputPrice,
                cachedInputUSDPerMtok: cached, effectiveAt: effectiveAt.flatMap(DateParsing.date).map { $0.formatted(.iso8601) },
                source: source)
            let result = try await daemon.call { client throws(ControlClientError) in
                try await client.send("POST", "/v1/prices", json: request, as: PriceSetResult.self)
            }
            if printing.json { return try JSONOutput.print(result) }
            let version = result.version
            if result.appended {
                print(
                    "\(offer): input \(version.inputUSDPerMtok ?? "?"), cached \(version.cachedInputUSDPerMtok ?? "-"), "
                        + "output \(version.outputUSDPerMtok ?? "?") USD/Mtok from \(version.effectiveAt) (\(version.source))")
            } else {
                print("\(offer): unchanged, the version in force already has these prices")
            }
        }
    }
}
