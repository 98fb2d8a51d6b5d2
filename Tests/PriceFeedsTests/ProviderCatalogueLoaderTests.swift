import BrokerCore
import Foundation
import PriceFeeds
import Testing

@Suite struct ProviderCatalogueLoaderTests {
    static let models = """
        quality_source: "LMArena test"
        models:
          - id: open-70b
            family: llama
            quality: 1320
            arena_name: open-70b-instruct
            capabilities: [tools, streaming, json_schema]
            context: 131072
            effective_context: 65536
            max_output: 8192
          - id: tiny
            capabilities: [streaming]
            context: 8192
            max_output: 2048
        """

    static let policies = """
        policies:
          - id: auto
            description: cheapest adequate
          - id: sticky
            min_quality: 1300
            capabilities: [tools]
            data_class: confidential
            providers: [hostco]
            max_cost_usd: 0.25
            switching_threshold_percent: 12.5
            cached_prompt_percent: 40
            expected_output_tokens: 300
        """

    static let hostco = """
        id: hostco
        name: Host Co
        wire_format: openai
        base_url: https://api.hostco.example/v1
        credentials:
          env: HOSTCO_API_KEY
        region: us
        data_handling:
          retention_days: 0
          trains_on_data: false
          max_data_class: confidential
        prices:
          source: https://hostco.example/pricing
          as_of: 2026-07-24
        offers:
          - model: open-70b
            upstream_model: meta/open-70b-turbo
            input: 0.88
            cached_input: 0.44
            output: "0.88"
            long_context:
              - above_tokens: 32000
                input: 1.76
                output: 1.76
          - model: tiny
            input: 0
            output: 0
            source: https://hostco.example/free-tier
            as_of: 2026-01-01
            capabilities: [streaming]
        """

    static let local = """
        id: basement
        wire_format: openai
        base_url: http://127.0.0.1:8000/v1
        region: onprem
        residency: local
        prices:
          source: "own hardware, measured 2026-06"
          as_of: 2026-07-01
        self_hosted:
          hardware_usd: 32000
          purchased: 2026-01-15
          depreciation:
            method: straight_line
            life_months: 36
            residual_percent: 20
          power_watts: 1400
          electricity_usd_per_kwh: 0.15
          utilisation_percent: 50
        offers:
          - model: open-70b
            input_tokens_per_second: 4000
            output_tokens_per_second: 1000
        """

    func load(models: String = Self.models, policies: String? = Self.policies, providers: [(String, String)]) throws(ProviderFileError) -> Catalogue {
        try ProviderCatalogueLoader.parse(
            models: (models, "models.yaml"), policies: policies.map { ($0, "policies.yaml") },
            providers: providers.map { ProviderCatalogueLoader.ProviderSource(fileName: $0.0, text: $0.1) })
    }

    @Test func readsEveryFieldExactly() throws {
        let catalogue = try load(providers: [("hostco.yaml", Self.hostco), ("basement.yaml", Self.local)])
        let model = try #require(catalogue.models["open-70b"])
        #expect(model.quality == QualityScore(score: 1320, source: "LMArena test: open-70b-instruct"))
        #expect(model.capabilities == [.tools, .streaming, .jsonSchema])
        #expect(model.advertisedContext == 131_072 && model.effectiveContext == 65_536 && model.maxOutputTokens == 8_192)
        #expect(catalogue.models["tiny"]?.quality == nil)
        #expect(catalogue.models["tiny"]?.effectiveContext == 8_192)

        let provider = try #require(catalogue.providers["hostco"])
        #expect(provider.displayName == "Host Co")
        #expect(provider.credentials == .environment("HOSTCO_API_KEY"))
        #expect(provider.dataHandling == DataHandling(retentionDays: 0, trainsOnData: false, maxDataClass: .confidential))
        #expect(catalogue.providers["basement"]?.dataHandling.maxDataClass == .restricted)

        let open = try #require(catalogue.offers.first { $0.id == OfferID("hostco/open-70b") })
        #expect(open.offer.upstreamModel == "meta/open-70b-turbo")
        #expect(open.price?.input == .perMtok(TokenPrice(usdPerMtok: "0.88")!))
        #expect(open.price?.cachedInput == .perMtok(TokenPrice(usdPerMtok: "0.44")!))
        #expect(open.price?.longContextTiers.first?.aboveTokens == 32_000)
        #expect(open.price?.source == "https://hostco.example/pricing")
        #expect(open.price?.effectiveAt == DateParsing.date("2026-07-24"))

        let free = try #require(catalogue.offers.first { $0.id == OfferID("hostco/tiny") })
        #expect(free.price?.input == .free && free.price?.output == .free)
        #expect(free.price?.source == "https://hostco.example/free-tier")
        #expect(free.offer.capabilities == [.streaming])

        let selfHosted = try #require(catalogue.offers.first { $0.id == OfferID("basement/open-70b") })
        #expect(selfHosted.selfHosted?.depreciation == .straightLine(lifeMonths: 36, residualBasisPoints: 2_000))
        #expect(selfHosted.price?.output.isKnown == true)

        let sticky = try #require(catalogue.policies["sticky"])
        #expect(sticky.switchingThresholdBasisPoints == 1_250)
        #expect(sticky.cachedPromptBasisPoints == 4_000)
        #expect(sticky.maxCostPerRequest == Money(usd: "0.25"))
        #expect(sticky.allowedProviders == ["hostco"])
        #expect(sticky.dataClass == .confidential)
    }

    @Test func aMissingPriceIsUnknownNotZero() throws {
        let text = Self.hostco.replacingOccurrences(of: "    input: 0.88\n", with: "")
        let catalogue = try load(providers: [("hostco.yaml", text)])
        #expect(catalogue.offers.first { $0.id == OfferID("hostco/open-70b") }?.price?.input == .unknown)
    }

    struct BadCase: CustomTestStringConvertible, Sendable {
        var name: String
        var file: String
        var text: String
        var expected: String
        var testDescription: String { name }
    }

    static let badCases: [BadCase] = [
        BadCase(name: "syntax", file: "hostco.yaml", text: "id: hostco\noffers: [\n", expected: "hostco.yaml:3:1: YAML syntax"),
        BadCase(
            name: "bad price", file: "hostco.yaml", text: Self.hostco.replacingOccurrences(of: "input: 0.88", with: "input: cheap"),
            expected: "hostco.yaml:18:12: offers[0].input: not a non-negative decimal number of USD per Mtok up to 9223372036: \"cheap\""),
        BadCase(
            name: "negative price", file: "hostco.yaml", text: Self.hostco.replacingOccurrences(of: "output: \"0.88\"", with: "output: -1"),
            expected: "offers[0].output: not a non-negative decimal number"),
        BadCase(
            name: "price below the resolution", file: "hostco.yaml",
            text: Self.hostco.replacingOccurrences(of: "input: 0.88", with: "input: 0.0000000000000000001"),
            expected: "hostco.yaml:18:12: offers[0].input: \"0.0000000000000000001\" is below the catalogue's resolution of 1 nano-USD per Mtok: write 0 for free"),
        BadCase(
            name: "unknown field", file: "hostco.yaml", text: Self.hostco.replacingOccurrences(of: "region: us", with: "region: us\nregoin: eu"),
            expected: "hostco.yaml:8:9: regoin: unknown field"),
        BadCase(
            name: "unknown model", file: "hostco.yaml", text: Self.hostco.replacingOccurrences(of: "model: tiny", with: "model: huge"),
            expected: "offers[1].model: unknown model \"huge\""),
        BadCase(
            name: "id mismatch", file: "other.yaml", text: Self.hostco,
            expected: "other.yaml:1:5: id: id \"hostco\" must match the file name (other.yaml)"),
        BadCase(
            name: "missing field", file: "hostco.yaml", text: Self.hostco.replacingOccurrences(of: "wire_format: openai\n", with: ""),
            expected: "hostco.yaml:1:1: wire_format: required field is missing"),
        BadCase(
            name: "bad enum", file: "hostco.yaml", text: Self.hostco.replacingOccurrences(of: "wire_format: openai", with: "wire_format: soap"),
            expected: "wire_format: \"soap\" is not one of: openai, anthropic, gemini"),
        BadCase(
            name: "bad url", file: "hostco.yaml", text: Self.hostco.replacingOccurrences(of: "https://api.hostco.example/v1", with: "api.hostco"),
            expected: "base_url: not an http(s) URL"),
        BadCase(
            name: "cloud self-hosting", file: "basement.yaml", text: Self.local.replacingOccurrences(of: "residency: local", with: "residency: cloud"),
            expected: "self_hosted: self_hosted pricing needs residency: local"),
        BadCase(
            name: "bad date", file: "hostco.yaml", text: Self.hostco.replacingOccurrences(of: "as_of: 2026-07-24", with: "as_of: 2026-02-30"),
            expected: "prices.as_of: not a date"),
        BadCase(
            name: "duplicate offer", file: "hostco.yaml", text: Self.hostco.replacingOccurrences(of: "model: tiny", with: "model: open-70b"),
            expected: "hostco offers \"open-70b\" twice"),
        BadCase(
            name: "training provider with confidential data", file: "hostco.yaml",
            text: Self.hostco.replacingOccurrences(of: "trains_on_data: false", with: "trains_on_data: true"),
            expected: "a provider that trains on API data can only take public data"),
        BadCase(
            name: "host adds a capability", file: "hostco.yaml",
            text: Self.hostco.replacingOccurrences(of: "capabilities: [streaming]", with: "capabilities: [vision]"),
            expected: "a host cannot add capabilities the model lacks (vision)"),
    ]

    @Test(arguments: badCases)
    func aMalformedFileNamesTheFileLineAndField(_ bad: BadCase) {
        do {
            _ = try load(providers: [(bad.file, bad.text)])
            Issue.record("loaded a malformed file")
        } catch {
            #expect(error.description.contains(bad.expected), "\(error.description)")
        }
    }

    @Test func malformedModelsAndPoliciesAreNamedToo() {
        #expect(throws: ProviderFileError.self) {
            try load(models: Self.models.replacingOccurrences(of: "context: 8192", with: "context: lots"), providers: [])
        }
        do {
            _ = try load(policies: Self.policies.replacingOccurrences(of: "data_class: confidential", with: "data_class: secret"), providers: [])
            Issue.record("loaded a malformed policy")
        } catch {
            #expect(error.description.hasPrefix("policies.yaml:7:17: policies[1].data_class: \"secret\" is not one of"))
        }
    }

    @Test func loadingADirectoryNeedsModelsAndReportsTheFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("providers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Self.hostco.write(to: directory.appendingPathComponent("hostco.yaml"), atomically: true, encoding: .utf8)
        #expect(throws: ProviderFileError.self) { try ProviderCatalogueLoader.load(directory: directory) }
        try Self.models.write(to: directory.appendingPathComponent("models.yaml"), atomically: true, encoding: .utf8)
        let catalogue = try ProviderCatalogueLoader.load(directory: directory)
        #expect(catalogue.offers.count == 2)
        #expect(catalogue.policies.isEmpty)
    }

    @Test func theBundledCatalogueLoadsAndRoutes() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Providers")
        let catalogue = try ProviderCatalogueLoader.load(directory: directory.standardizedFileURL)
        let expectedProviders: Set<String> = [
            "openai", "anthropic", "gemini", "dashscope", "deepseek", "mistral", "groq", "together", "fireworks", "local-vllm",
        ]
        #expect(expectedProviders.isSubset(of: Set(catalogue.providers.keys)))
        #expect(catalogue.policies["auto"] != nil)
        for offer in catalogue.offers {
            #expect(offer.price?.source.isEmpty == false, "\(offer.id) has no price source")
        }
        // The same open-weight model is sold by several hosts.
        let hostsPerModel = Dictionary(grouping: catalogue.offers, by: \.id.model).mapValues(\.count)
        #expect(hostsPerModel.values.contains { $0 >= 3 })
        #expect(catalogue.providers.values.contains { $0.residency == .local })
        #expect(catalogue.offers.contains { $0.selfHosted != nil })

        let table = RoutingTable(catalogue: catalogue, at: Date())
        let decision = Router.route(
            try table.query(for: RequestProfile(estimatedPromptTokens: 2_000)), in: table, context: RoutingContext(now: Date()))
        #expect(decision.chosen != nil)
    }
}
