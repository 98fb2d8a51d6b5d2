import BrokerCore
import Foundation
import Yams

/// One `Providers/<provider>.yaml`: the provider and its offers with sourced, dated prices.
enum ProviderFile {
    static func parse(
        _ root: YAMLField, expectedID: String, models: [String: Model]
    ) throws(ProviderFileError) -> (provider: Provider, offers: [PricedOffer]) {
        _ = try root.mapping(allowed: [
            "id", "name", "wire_format", "base_url", "credentials", "region", "residency", "data_handling", "prices",
            "self_hosted", "offers", "enabled",
        ])
        let idField = try root.required("id")
        let id = try idField.nonEmptyString()
        guard id == expectedID else { throw idField.error("id \"\(id)\" must match the file name (\(expectedID).yaml)") }
        guard !id.contains("/") else { throw idField.error("a provider id cannot contain \"/\"") }
        let residency = try root.optional("residency")?.choice(Residency.self) ?? .cloud
        let provider = Provider(
            id: id, displayName: try root.optional("name")?.nonEmptyString() ?? id,
            wireFormat: try root.required("wire_format").choice(WireFormat.self),
            baseURL: try baseURL(root.required("base_url")), credentials: try credentials(root.optional("credentials")),
            region: try root.required("region").nonEmptyString(), residency: residency,
            dataHandling: try dataHandling(root.optional("data_handling"), residency: residency),
            enabled: try root.optional("enabled")?.bool() ?? true)

        var defaultSource: String?
        var defaultAsOf: Date?
        if let prices = root.optional("prices") {
            _ = try prices.mapping(allowed: ["source", "as_of"])
            defaultSource = try prices.optional("source")?.nonEmptyString()
            defaultAsOf = try prices.optional("as_of")?.date()
        }
        let hardware = try root.optional("self_hosted").map { field throws(ProviderFileError) in
            guard residency == .local else { throw field.error("self_hosted pricing needs residency: local") }
            return try SelfHostedFile.parse(field)
        }

        var offers: [PricedOffer] = []
        var seen: Set<String> = []
        for entry in try root.required("offers").list() {
            let modelField = try entry.required("model")
            let modelID = try modelField.nonEmptyString()
            guard let model = models[modelID] else {
                throw modelField.error("unknown model \"\(modelID)\": add it to \(ProviderCatalogueLoader.modelsFile) first")
            }
            guard seen.insert(modelID).inserted else { throw modelField.error("\(id) offers \"\(modelID)\" twice") }
            offers.append(
                try offer(
                    entry, id: OfferID(provider: id, model: modelID), model: model, hardware: hardware,
                    defaultSource: defaultSource, defaultAsOf: defaultAsOf))
        }
        return (provider, offers)
    }

    static func offer(
        _ entry: YAMLField, id: OfferID, model: Model, hardware: SelfHostedFile.Hardware?, defaultSource: String?,
        defaultAsOf: Date?
    ) throws(ProviderFileError) -> PricedOffer {
        let priceKeys: Set<String> = ["input", "cached_input", "output", "long_context", "source", "as_of"]
        let throughputKeys: Set<String> = ["input_tokens_per_second", "output_tokens_per_second"]
        let common: Set<String> = ["model", "upstream_model", "context_limit", "capabilities", "enabled"]
        _ = try entry.mapping(allowed: common.union(hardware == nil ? priceKeys : throughputKeys.union(["source", "as_of"])))

        let contextField = entry.optional("context_limit")
        let contextLimit = try contextField?.int(in: 1...100_000_000)
        let capabilities = try entry.optional("capabilities")?.capabilities()
        if let capabilities, let field = entry.optional("capabilities"), !capabilities.isSubset(of: model.capabilities) {
            let extra = capabilities.subtracting(model.capabilities).names.joined(separator: ", ")
            throw field.error("a host cannot add capabilities the model lacks (\(extra))")
        }
        let offer = Offer(
            id: id, upstreamModel: try entry.optional("upstream_model")?.nonEmptyString(), contextLimit: contextLimit,
            capabilities: capabilities, enabled: try entry.optional("enabled")?.bool() ?? true)

        // A self-hosted price is derived, not quoted: its source is the cost model, dated from purchase.
        let source = try entry.optional("source")?.nonEmptyString() ?? defaultSource
            ?? hardware.map { _ in "self-hosted hardware cost (\(entry.file))" }
        let asOf = try entry.optional("as_of")?.date() ?? defaultAsOf ?? hardware?.purchased
        guard let source else { throw entry.error("no price source: set prices.source for the file or source for the offer") }
        guard let asOf else { throw entry.error("no price date: set prices.as_of for the file or as_of for the offer") }

        if let hardware {
            let cost = SelfHostedCost(
                hardwareCost: hardware.cost, purchasedAt: hardware.purchased, depreciation: hardware.depreciation,
                powerWatts: hardware.powerWatts, electricityPerKWh: hardware.electricity,
                utilisationBasisPoints: hardware.utilisation,
                inputTokensPerSecond: try entry.required("input_tokens_per_second").int(in: 1...100_000_000),
                outputTokensPerSecond: try entry.required("output_tokens_per_second").int(in: 1...100_000_000))
            return PricedOffer(offer: offer, price: cost.priceVersion(at: asOf, source: source), selfHosted: cost)
        }

        var tiers: [LongContextTier] = []
        if let tierList = entry.optional("long_context") {
            for tier in try tierList.list() {
                _ = try tier.mapping(allowed: ["above_tokens", "input", "cached_input", "output"])
                tiers.append(
                    LongContextTier(
                        aboveTokens: try tier.required("above_tokens").int(in: 1...100_000_000),
                        input: try tier.required("input").price(),
                        cachedInput: try tier.optional("cached_input")?.price() ?? .unknown,
                        output: try tier.required("output").price()))
            }
        }
        let version = PriceVersion(
            input: try entry.optional("input")?.price() ?? .unknown,
            cachedInput: try entry.optional("cached_input")?.price() ?? .unknown,
            output: try entry.optional("output")?.price() ?? .unknown, longContextTiers: tiers, effectiveAt: asOf,
            source: source)
        return PricedOffer(offer: offer, price: version)
    }

    static func baseURL(_ field: YAMLField) throws(ProviderFileError) -> String {
        let text = try field.nonEmptyString()
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw field.error("not an http(s) URL: \"\(text)\"")
        }
        return text
    }

    static func credentials(_ field: YAMLField?) throws(ProviderFileError) -> CredentialReference {
        guard let field else { return .none }
        let mapping = try field.mapping(allowed: ["env", "file"])
        guard mapping.count == 1 else { throw field.error("give exactly one of env or file") }
        if let name = try field.optional("env")?.nonEmptyString() { return .environment(name) }
        if let path = try field.optional("file")?.nonEmptyString() { return .file(path) }
        throw field.error("give exactly one of env or file")
    }

    static func dataHandling(_ field: YAMLField?, residency: Residency) throws(ProviderFileError) -> DataHandling {
        // Hardware the enterprise owns can take anything; a cloud host only what its terms allow.
        let defaultClass: DataClass = residency == .local ? .restricted : .internal
        guard let field else { return DataHandling(maxDataClass: defaultClass) }
        _ = try field.mapping(allowed: ["retention_days", "trains_on_data", "max_data_class"])
        let maxClassField = field.optional("max_data_class")
        let maxClass = try maxClassField?.choice(DataClass.self) ?? defaultClass
        let trains = try field.optional("trains_on_data")?.bool() ?? false
        if let maxClassField, trains, maxClass > .public {
            throw maxClassField.error("a provider that trains on API data can only take public data")
        }
        if let maxClassField, maxClass == .restricted, residency != .local {
            throw maxClassField.error("restricted data must stay on local hardware (residency: local)")
        }
        return DataHandling(
            retentionDays: try field.optional("retention_days")?.int(in: 0...36_500), trainsOnData: trains,
            maxDataClass: maxClass)
    }
}

/// The `self_hosted` block of a local provider file.
enum SelfHostedFile {
    struct Hardware {
        var cost: Money
        var purchased: Date
        var depreciation: SelfHostedCost.Depreciation
        var powerWatts: Int
        var electricity: Money
        var utilisation: Int
    }

    static func parse(_ field: YAMLField) throws(ProviderFileError) -> Hardware {
        _ = try field.mapping(allowed: [
            "hardware_usd", "purchased", "depreciation", "power_watts", "electricity_usd_per_kwh", "utilisation_percent",
        ])
        let depreciationField = try field.required("depreciation")
        _ = try depreciationField.mapping(allowed: ["method", "annual_rate_percent", "life_months", "residual_percent"])
        let depreciation: SelfHostedCost.Depreciation
        switch try depreciationField.required("method").string() {
        case "declining_balance":
            depreciation = .decliningBalance(annualRateBasisPoints: try depreciationField.required("annual_rate_percent").basisPoints())
        case "straight_line":
            depreciation = .straightLine(
                lifeMonths: try depreciationField.required("life_months").int(in: 1...600),
                residualBasisPoints: try depreciationField.optional("residual_percent")?.basisPoints() ?? 0)
        case let other:
            throw try depreciationField.required("method").error("\"\(other)\" is not one of: declining_balance, straight_line")
        }
        let utilisationField = try field.required("utilisation_percent")
        let utilisation = try utilisationField.basisPoints()
        guard utilisation > 0 else { throw utilisationField.error("utilisation must be above 0%") }
        return Hardware(
            cost: try field.required("hardware_usd").money(), purchased: try field.required("purchased").date(),
            depreciation: depreciation, powerWatts: try field.required("power_watts").int(in: 0...10_000_000),
            electricity: try field.required("electricity_usd_per_kwh").money(), utilisation: utilisation)
    }
}
