import BrokerCore
import Foundation
import Testing

@testable import PriceFeeds

@Suite struct OpenRouterImporterTests {
    let fetchedAt = day("2026-07-24")
    var importer: OpenRouterImporter { OpenRouterImporter(effectiveAt: fetchedAt) }

    func fixture() throws -> PriceImport {
        try importer.parse(contentsOf: Fixture.url("openrouter_models.json"))
    }

    @Test func fixtureOffersInFileOrder() throws {
        let result = try fixture()
        #expect(result.format == .openrouter)
        #expect(result.offers.map(\.id.description) == [
            "openrouter/openai/gpt-4o", "openrouter/anthropic/claude-sonnet-4",
            "openrouter/meta-llama/llama-3.3-70b-instruct:free", "openrouter/google/gemini-2.5-flash-image",
        ])
        #expect(result.skipped == ["variable pricing": 1])
    }

    @Test func pricesAreStringsPerToken() throws {
        let offer = try #require(try fixture().offer("openrouter", "openai/gpt-4o"))
        #expect(offer.price.input == mtok("2.5"))
        #expect(offer.price.output == mtok("10"))
        #expect(offer.price.cachedInput == mtok("1.25"))
        #expect(offer.price.longContextTiers.isEmpty)
        #expect(offer.price.effectiveAt == fetchedAt)
        #expect(offer.price.source == "openrouter_models.json")
        #expect(offer.model.id == "openai/gpt-4o")
        #expect(offer.model.capabilities == [.tools, .vision, .jsonSchema, .streaming])
        #expect(offer.model.advertisedContext == 128_000)
        #expect(offer.model.maxOutputTokens == 16_384)
    }

    @Test func topProviderLimitsAreTheEffectiveContext() throws {
        let offer = try #require(try fixture().offer("openrouter", "anthropic/claude-sonnet-4"))
        #expect(offer.model.advertisedContext == 1_000_000)
        #expect(offer.model.effectiveContext == 200_000)
        #expect(offer.model.maxOutputTokens == 64_000)
        // `reasoning` but not `structured_outputs`.
        #expect(offer.model.capabilities == [.tools, .vision, .streaming, .reasoning])
        #expect(offer.price.cachedInput == mtok("0.3"))
    }

    @Test func freeVariantHasExplicitZeroPrices() throws {
        let offer = try #require(try fixture().offer("openrouter", "meta-llama/llama-3.3-70b-instruct:free"))
        #expect(offer.price.input == .free)
        #expect(offer.price.output == .free)
        #expect(offer.price.cachedInput == .unknown)
        #expect(offer.model.effectiveContext == 65_536)
        // No max_completion_tokens: output is bounded by the context alone.
        #expect(offer.model.maxOutputTokens == 65_536)
        #expect(!offer.model.capabilities.contains(.vision))
    }

    @Test func minusOneIsUnknownNotNegative() throws {
        let json = """
            {"data": [{"id": "acme/half-variable", "context_length": 8192,
                       "pricing": {"prompt": "0.000001", "completion": "-1"}}]}
            """
        let offer = try #require(try importer.parse(bytes(json), source: "t.json").offers.first)
        #expect(offer.price.input == mtok("1"))
        #expect(offer.price.output == .unknown)
    }

    @Test func skipsModelsWithoutTextOutputOrPriceOrVendor() throws {
        let json = """
            {"data": [
              {"id": "acme/painter", "architecture": {"output_modalities": ["image"]},
               "pricing": {"prompt": "0.000001", "completion": "0.000002"}},
              {"id": "acme/unpriced", "pricing": {"image": "0.01"}},
              {"id": "acme/no-pricing"},
              {"id": "lonely", "pricing": {"prompt": "0.000001", "completion": "0.000002"}}
            ]}
            """
        let result = try importer.parse(bytes(json), source: "t.json")
        #expect(result.offers.isEmpty)
        #expect(result.skipped == ["output image": 1, "no token price": 2, "id without a vendor prefix": 1])
    }

    // MARK: Errors

    @Test func priceOfTheWrongTypeNamesTheModel() throws {
        let json = """
            {"data": [{"id": "openai/gpt-4o", "pricing": {"prompt": "0.0000025", "completion": "0.00001"}},
                      {"id": "openai/o3", "pricing": {"prompt": ["0.000002"], "completion": "0.000008"}}]}
            """
        let error = try #require(throws: ImportError.self) { try importer.parse(bytes(json), source: "models.json") }
        #expect(error.location == .jsonPath("$.data[1].pricing.prompt"))
        #expect(error.description == "models.json: at $.data[1].pricing.prompt: openai/o3: expected a number, found an array")
    }

    @Test func shapeErrors() throws {
        let cases: [(String, ImportError.Location)] = [
            (#"{"models": []}"#, .jsonPath("$.data")),
            (#"{"data": {}}"#, .jsonPath("$.data")),
            (#"{"data": [{"name": "no id"}]}"#, .jsonPath("$.data[0].id")),
            (#"{"data": [{"id": "a/b", "pricing": {"prompt": "free"}}]}"#, .jsonPath("$.data[0].pricing.prompt")),
            (#"{"data": [{"id": "a/b", "pricing": {"prompt": "-2"}}]}"#, .jsonPath("$.data[0].pricing.prompt")),
            (#"{"data": [{"id": "a/b", "pricing": {"prompt": "0"}, "supported_parameters": [1]}]}"#,
             .jsonPath("$.data[0].supported_parameters[0]")),
            (#"{"data": [1]"#, .text(line: 1, column: 13)),
        ]
        for (json, location) in cases {
            let error = try #require(throws: ImportError.self) { try importer.parse(bytes(json), source: "m.json") }
            #expect(error.location == location, "\(json)")
        }
    }

    @Test func emptyFile() throws {
        let error = try #require(throws: ImportError.self) { try importer.parse(Data(), source: "models.json") }
        #expect(error.description == "models.json: empty file")
    }
}
