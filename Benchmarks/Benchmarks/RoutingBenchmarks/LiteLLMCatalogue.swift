import BrokerCore
import Foundation
import PriceFeeds

/// The real LiteLLM catalogue (`../shared/data/litellm_model_prices.json`, or the file named
/// by `TOKENBROKER_LITELLM`) as a routable catalogue: every provider it names becomes an
/// enabled provider, so each of its ~2,270 priced chat offers competes.
enum LiteLLMCatalogue {
    static func load(at date: Date) -> Catalogue? {
        let path = ProcessInfo.processInfo.environment["TOKENBROKER_LITELLM"]
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../../shared/data/litellm_model_prices.json").standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: path) else {
            print("skipping the LiteLLM benchmarks: \(path) not found (set TOKENBROKER_LITELLM)")
            return nil
        }
        do {
            let parsed = try LiteLLMImporter(effectiveAt: date).parse(contentsOf: URL(fileURLWithPath: path))
            let providers = Set(parsed.offers.map(\.id.provider)).map {
                Provider(
                    id: $0, wireFormat: .openai, baseURL: "https://\($0).example", region: "us",
                    dataHandling: DataHandling(maxDataClass: .confidential))
            }
            var models: [String: Model] = [:]
            for offer in parsed.offers { models[offer.model.id] = offer.model }
            return Catalogue(
                providers: providers, models: Array(models.values),
                offers: parsed.offers.map { PricedOffer(offer: Offer(id: $0.id), price: $0.price) })
        } catch {
            print("skipping the LiteLLM benchmarks: \(error)")
            return nil
        }
    }
}
