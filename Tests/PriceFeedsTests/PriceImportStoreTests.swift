import BrokerCore
import BrokerStore
import Foundation
import PriceFeeds
import Testing

/// Importers through the store: what a file adds, that re-importing adds nothing, and that
/// the history's dated versions price the catalogue as of any date.
@Suite struct PriceImportStoreTests {
    func sqliteStore() throws -> SQLiteStore {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("import-\(UUID().uuidString)/broker.sqlite").path
        return try SQLiteStore(path: path)
    }

    @Test func historyFixturePricesTheCatalogueAsOfEachDate() throws {
        let store = try sqliteStore()
        let history = try PriceHistoryImporter().parse(contentsOf: Fixture.url("price_history_snippet.csv"))
        let report = try history.write(to: store)
        #expect(report.priceVersionsAppended == history.offers.count)
        #expect(try history.write(to: store).priceVersionsAppended == 0)
        // What an import adds is price history, not routing: the provider files say what routes.
        #expect(try store.catalogue(at: Date()).offers.allSatisfy { !$0.offer.enabled })

        // Every offer's price at a date is the latest row observed on or before it.
        for (offer, versions) in history.versionsByOffer() {
            for version in versions {
                let priced = try store.catalogue(at: version.effectiveAt).offers.first { $0.id == offer }
                let inForce = versions.last { $0.effectiveAt <= version.effectiveAt }
                #expect(priced?.price?.hasSamePrices(as: inForce!) == true, "\(offer) at \(version.effectiveAt)")
            }
        }
    }

    @Test func litellmFixtureRoundTripsThroughTheStore() throws {
        let store = InMemoryStore()
        let importDate = day("2026-07-24")
        let parsed = try LiteLLMImporter(effectiveAt: importDate).parse(contentsOf: Fixture.url("litellm_snippet.json"))
        let report = try parsed.write(to: store)
        #expect(report.offersAdded == Set(parsed.offers.map(\.id)).count)
        let catalogue = try store.catalogue(at: importDate)
        for imported in parsed.offers {
            #expect(catalogue.offers.first { $0.id == imported.id }?.price == imported.price)
        }
    }

    @Test(.enabled(if: SharedData.isAvailable, "needs ../shared/data (not in a fresh clone)"))
    func realFilesImportIntoSQLite() throws {
        let store = try sqliteStore()
        let litellm = try LiteLLMImporter(effectiveAt: day("2026-07-24")).parse(contentsOf: SharedData.url("litellm_model_prices.json"))
        let first = try litellm.write(to: store)
        #expect(first.priceVersionsAppended == 2_272)
        let history = try PriceHistoryImporter().parse(contentsOf: SharedData.url("price_history.csv"))
        _ = try history.write(to: store)

        let o3 = try store.priceHistory(PriceHistoryFilter(offer: OfferID("openai/o3")))
        // History: 10/40, then 2/8 on 2025-06-11; the 2026-07-24 snapshot adds the cached price.
        #expect(o3.map(\.version.output.usdPerMtokString) == ["40", "8", "8"])
        #expect(o3.last?.version.cachedInput == mtok("0.5"))
        let before = try store.catalogue(at: day("2025-06-10")).offers.first { $0.id == OfferID("openai/o3") }
        #expect(before?.price?.input == mtok("10"))
        let after = try store.catalogue(at: day("2025-06-11")).offers.first { $0.id == OfferID("openai/o3") }
        #expect(after?.price?.input == mtok("2"))
        let gpt4o = try store.catalogue(at: day("2026-07-24")).offers.first { $0.id == OfferID("openai/gpt-4o") }
        #expect(gpt4o?.price?.input == mtok("2.50") && gpt4o?.price?.output == mtok("10.00"))
    }
}
