import BrokerCore
import Yams

/// `Providers/policies.yaml`: the named policies a client selects with the `model` field.
enum PoliciesFile {
    static func parse(_ root: YAMLField) throws(ProviderFileError) -> [Policy] {
        _ = try root.mapping(allowed: ["policies"])
        return try parse(list: try root.required("policies"))
    }

    /// A list of policies, as under `policies:` here or in a replay workload.
    static func parse(list: YAMLField) throws(ProviderFileError) -> [Policy] {
        var policies: [Policy] = []
        var seen: Set<String> = []
        for entry in try list.list() {
            _ = try entry.mapping(allowed: [
                "id", "description", "min_quality", "capabilities", "data_class", "providers", "regions", "max_cost_usd",
                "switching_threshold_percent", "cached_prompt_percent", "expected_output_tokens",
            ])
            let idField = try entry.required("id")
            let id = try idField.nonEmptyString()
            guard !id.contains("/") else { throw idField.error("a policy name cannot contain \"/\" (it would read as provider/model)") }
            guard seen.insert(id).inserted else { throw idField.error("policy \"\(id)\" is defined twice") }
            let providers = try entry.optional("providers")?.strings()
            let regions = try entry.optional("regions")?.strings()
            policies.append(
                Policy(
                    id: id, description: try entry.optional("description")?.string() ?? "",
                    minQuality: try entry.optional("min_quality")?.int(in: 0...10_000),
                    requiredCapabilities: try entry.optional("capabilities")?.capabilities() ?? [],
                    dataClass: try entry.optional("data_class")?.choice(DataClass.self) ?? .internal,
                    allowedProviders: providers.map(Set.init), allowedRegions: regions.map(Set.init),
                    maxCostPerRequest: try entry.optional("max_cost_usd")?.money(),
                    switchingThresholdBasisPoints: try entry.optional("switching_threshold_percent")?.basisPoints(max: 1_000_000) ?? 0,
                    cachedPromptBasisPoints: try entry.optional("cached_prompt_percent")?.basisPoints() ?? 0,
                    expectedOutputTokens: try entry.optional("expected_output_tokens")?.int(in: 1...10_000_000) ?? 512))
        }
        return policies
    }
}
