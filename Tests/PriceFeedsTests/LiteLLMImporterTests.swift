import BrokerCore
import Foundation
import Testing

@testable import PriceFeeds

@Suite struct LiteLLMImporterTests {
    let importedAt = day("2026-07-24")
    var importer: LiteLLMImporter { LiteLLMImporter(effectiveAt: importedAt) }

    // MARK: The fixture

    @Test func fixtureImportsChatCompletionResponsesAndModeless() throws {
        let result = try importer.parse(contentsOf: Fixture.url("litellm_snippet.json"))
        #expect(result.format == .litellm)
        #expect(result.source == "litellm_snippet.json")
        // File order, not key order.
        #expect(result.offers.map(\.id.description) == [
            "openai/gpt-4o", "vertex_ai-language-models/gemini-2.5-pro", "xai/xai/grok-4-1-fast",
            "gemini/gemini/gemini-exp-1206", "openai/o1-pro", "fireworks_ai/fireworks-ai-default",
            "text-completion-codestral/text-completion-codestral/codestral-2405-wild",
        ])
        #expect(result.skipped == [
            "sample_spec": 1, "mode embedding": 1, "mode image_generation": 1, "no token price": 1,
        ])
    }

    @Test func gpt4oPricesAreExact() throws {
        let result = try importer.parse(contentsOf: Fixture.url("litellm_snippet.json"))
        let offer = try #require(result.offer("openai", "gpt-4o"))
        #expect(offer.price.input == mtok("2.50"))
        #expect(offer.price.output == mtok("10.00"))
        #expect(offer.price.cachedInput == mtok("1.25"))
        #expect(offer.price.longContextTiers.isEmpty)
        #expect(offer.price.effectiveAt == importedAt)
        #expect(offer.price.source == "litellm_snippet.json")
        #expect(offer.change == nil)
        #expect(offer.model.id == "gpt-4o")
        #expect(offer.model.family == "gpt-4o")
        #expect(offer.model.quality == nil)
        #expect(offer.model.capabilities == [.tools, .vision, .jsonSchema, .streaming])
        #expect(offer.model.advertisedContext == 128_000)
        #expect(offer.model.effectiveContext == 128_000)
        #expect(offer.model.maxOutputTokens == 16_384)
    }

    @Test func longContextTierAbove200k() throws {
        let result = try importer.parse(contentsOf: Fixture.url("litellm_snippet.json"))
        let price = try #require(result.offer("vertex_ai-language-models", "gemini-2.5-pro")).price
        #expect(price.input == mtok("1.25"))
        #expect(price.output == mtok("10"))
        #expect(price.cachedInput == mtok("0.125"))
        #expect(price.longContextTiers == [
            LongContextTier(aboveTokens: 200_000, input: mtok("2.5"), cachedInput: mtok("0.25"), output: mtok("15"))
        ])
        #expect(price.tier(forPromptTokens: 200_001)?.aboveTokens == 200_000)
        #expect(price.tier(forPromptTokens: 200_000) == nil)
    }

    /// grok-4-1-fast has no cached price above 128k: the tier keeps the base cached price.
    @Test func tierPartsNotGivenKeepTheBasePrice() throws {
        let result = try importer.parse(contentsOf: Fixture.url("litellm_snippet.json"))
        let offer = try #require(result.offer("xai", "xai/grok-4-1-fast"))
        #expect(offer.price.longContextTiers == [
            LongContextTier(aboveTokens: 128_000, input: mtok("0.4"), cachedInput: mtok("0.05"), output: mtok("1"))
        ])
        // Token limits written as floats (2000000.0) are whole numbers all the same.
        #expect(offer.model.advertisedContext == 2_000_000)
        #expect(offer.model.maxOutputTokens == 2_000_000)
        #expect(offer.model.capabilities.contains(.reasoning))
    }

    @Test func zeroIsFreeAndMissingIsUnknown() throws {
        let result = try importer.parse(contentsOf: Fixture.url("litellm_snippet.json"))
        let free = try #require(result.offer("gemini", "gemini/gemini-exp-1206")).price
        #expect(free.input == .free)
        #expect(free.output == .free)
        #expect(free.cachedInput == .unknown)
        // A pricing band with no mode and no context: imported, but with context 0 it fits nothing.
        let band = try #require(result.offer("fireworks_ai", "fireworks-ai-default"))
        #expect(band.price.input == .free)
        #expect(band.model.capabilities == [])
        #expect(band.model.advertisedContext == 0)
    }

    @Test func valuesAsStringsIntsAndFloats() throws {
        let result = try importer.parse(contentsOf: Fixture.url("litellm_snippet.json"))
        let offer = try #require(result.offer("text-completion-codestral", "text-completion-codestral/codestral-2405-wild"))
        #expect(offer.price.input == mtok("1"))  // "1e-06"
        #expect(offer.price.output == mtok("3000000"))  // 3 USD per token, an int
        #expect(offer.price.cachedInput == .free)
        #expect(offer.model.advertisedContext == 32_000)  // "32000"
        #expect(offer.model.maxOutputTokens == 8_191)  // 8191.0
        #expect(offer.model.capabilities == [])  // completion mode: no streaming claimed
    }

    @Test func responsesModeIsImportedWithoutStreaming() throws {
        let result = try importer.parse(contentsOf: Fixture.url("litellm_snippet.json"))
        let offer = try #require(result.offer("openai", "o1-pro"))
        #expect(offer.price.input == mtok("150"))
        #expect(offer.price.output == mtok("600"))
        #expect(!offer.model.capabilities.contains(.streaming))
        #expect(offer.model.capabilities.contains(.tools))
    }

    @Test func floatNoiseRoundsToTheNanoDollar() throws {
        let json = #"{"m": {"litellm_provider": "p", "mode": "chat", "input_cost_per_token": 2.9999900000000002e-06}}"#
        let offer = try #require(try importer.parse(bytes(json), source: "t.json").offers.first)
        #expect(offer.price.input == mtok("2.99999"))
        #expect(offer.price.output == .unknown)
    }

    @Test func allTierThresholds() throws {
        let json = """
            {"m": {"litellm_provider": "p", "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06,
                   "input_cost_per_token_above_512k_tokens": 4e-06, "output_cost_per_token_above_128k_tokens": 3e-06,
                   "input_cost_per_token_above_256k_tokens": 3e-06, "input_cost_per_token_above_272k_tokens_priority": 9e-06,
                   "cache_creation_input_token_cost_above_200k_tokens": 9e-06}}
            """
        let tiers = try #require(try importer.parse(bytes(json), source: "t.json").offers.first).price.longContextTiers
        #expect(tiers.map(\.aboveTokens) == [128_000, 256_000, 512_000])
        #expect(tiers.map(\.input) == [mtok("1"), mtok("3"), mtok("4")])
        // Output is priced above 128k only: higher tiers carry that price up, as LiteLLM does.
        #expect(tiers.map(\.output) == [mtok("3"), mtok("3"), mtok("3")])
    }

    // MARK: The real file

    @Test(.enabled(if: SharedData.isAvailable, "needs ../shared/data (not in a fresh clone)"))
    func sharedFile() throws {
        let result = try importer.parse(contentsOf: SharedData.url("litellm_model_prices.json"))
        #expect(result.offers.count == 2_272)
        #expect(result.skipped == [
            "sample_spec": 1, "no token price": 143, "mode image_generation": 209, "mode embedding": 124,
            "mode audio_transcription": 62, "mode image_edit": 31, "mode realtime": 28, "mode audio_speech": 27,
            "mode rerank": 25, "mode video_generation": 25, "mode search": 18, "mode ocr": 13,
            "mode moderation": 5, "mode vector_store": 1,
        ])
        #expect(result.offers.count + result.skipped.values.reduce(0, +) == 2_984)
        #expect(result.offers.first?.id == OfferID(provider: "bedrock", model: "ai21.j2-mid-v1"))
        #expect(result.offers.last?.id == OfferID(provider: "darkbloom", model: "darkbloom/gpt-oss-20b"))
        #expect(Set(result.offers.map(\.id.provider)).count == 87)
        #expect(result.offers.filter { !$0.price.longContextTiers.isEmpty }.count == 110)
        #expect(result.offers.filter { $0.price.input == .free && $0.price.output == .free }.count == 84)
        #expect(result.offers.filter { $0.model.capabilities.contains(.streaming) }.count == 2_174)

        let gpt4o = try #require(result.offer("openai", "gpt-4o")).price
        #expect([gpt4o.input, gpt4o.output, gpt4o.cachedInput] == [mtok("2.50"), mtok("10.00"), mtok("1.25")])

        let gemini = try #require(result.offer("gemini", "gemini/gemini-2.5-pro")).price
        #expect(gemini.longContextTiers == [
            LongContextTier(aboveTokens: 200_000, input: mtok("2.5"), cachedInput: mtok("0.25"), output: mtok("15"))
        ])
        let gpt54 = try #require(result.offer("openai", "gpt-5.4")).price
        #expect(gpt54.longContextTiers == [
            LongContextTier(aboveTokens: 272_000, input: mtok("5"), cachedInput: mtok("0.5"), output: mtok("22.5"))
        ])
        let o3 = try #require(result.offer("openai", "o3"))
        #expect([o3.price.input, o3.price.output] == [mtok("2"), mtok("8")])
        #expect(o3.model.advertisedContext == 200_000)
    }

    // MARK: Errors: the whole file is rejected, naming where

    @Test func priceOfTheWrongTypeNamesKeyAndField() throws {
        let json = #"{"gpt-4o": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": {"usd": 1}}}"#
        let error = try #require(throws: ImportError.self) { try importer.parse(bytes(json), source: "bad.json") }
        #expect(error.location == .jsonPath(#"$["gpt-4o"].input_cost_per_token"#))
        #expect(error.description == #"bad.json: at $["gpt-4o"].input_cost_per_token: expected a number, found an object"#)
    }

    @Test func nonNumericStringPrice() throws {
        let json = """
            {"a": {"litellm_provider": "p", "input_cost_per_token": 1e-06},
             "b": {"litellm_provider": "p", "output_cost_per_token": "cheap"}}
            """
        let error = try #require(throws: ImportError.self) { try importer.parse(bytes(json), source: "bad.json") }
        #expect(error.location == .jsonPath("$.b.output_cost_per_token"))
        #expect(error.reason.contains("\"cheap\""))
    }

    @Test func negativePriceAndFractionalLimitAndWrongFlag() throws {
        let cases: [(String, String)] = [
            (#"{"m": {"litellm_provider": "p", "input_cost_per_token": -1e-06}}"#, "$.m.input_cost_per_token"),
            (#"{"m": {"litellm_provider": "p", "input_cost_per_token": 1, "max_tokens": 1.5}}"#, "$.m.max_tokens"),
            (#"{"m": {"litellm_provider": "p", "input_cost_per_token": 1, "supports_vision": "yes"}}"#, "$.m.supports_vision"),
            (#"{"m": {"litellm_provider": 7, "input_cost_per_token": 1}}"#, "$.m.litellm_provider"),
            (#"{"m": ["not", "an", "object"]}"#, "$.m"),
        ]
        for (json, path) in cases {
            let error = try #require(throws: ImportError.self) { try importer.parse(bytes(json), source: "x.json") }
            #expect(error.location == .jsonPath(path), "\(json)")
        }
    }

    @Test func malformedJSONNamesLineAndColumn() throws {
        let json = "{\n  \"gpt-4o\": {\"mode\": \"chat\"}\n  \"o3\": {}\n}"
        let error = try #require(throws: ImportError.self) { try importer.parse(bytes(json), source: "bad.json") }
        #expect(error.location == .text(line: 3, column: 3))
        #expect(error.description == "bad.json: line 3, column 3: expected ',' or '}'")
    }

    @Test func topLevelMustBeAnObject() throws {
        let error = try #require(throws: ImportError.self) { try importer.parse(bytes("[1, 2]"), source: "a.json") }
        #expect(error.location == .jsonPath("$"))
    }

    @Test func emptyFile() throws {
        for text in ["", " \n\t "] {
            let error = try #require(throws: ImportError.self) { try importer.parse(bytes(text), source: "empty.json") }
            #expect(error.description == "empty.json: empty file")
        }
    }

    @Test func unreadableFile() throws {
        let url = URL(fileURLWithPath: "/nonexistent/prices.json")
        let error = try #require(throws: ImportError.self) { try importer.parse(contentsOf: url) }
        #expect(error.file == "prices.json")
        #expect(error.location == .file)
    }
}
