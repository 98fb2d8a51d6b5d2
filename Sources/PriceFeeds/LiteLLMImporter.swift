import BrokerCore
public import struct Foundation.Data
public import struct Foundation.Date

/// Reads LiteLLM's `model_prices_and_context_window.json` into priced chat offers.
///
/// Each top-level key is a model; entries whose `mode` is chat, completion, responses or
/// absent, and that have an input or output token price, become offers of
/// `litellm_provider`. Everything else is counted in ``PriceImport/skipped`` by reason.
///
/// ```swift
/// let prices = try LiteLLMImporter(effectiveAt: now).parse(data, source: "model_prices.json")
/// ```
public struct LiteLLMImporter: PriceImporter {
    public static let format = PriceImportFormat.litellm

    /// Modes that are text generation the gateway can route; absent means the same.
    static let importedModes: Set<String> = ["chat", "completion", "responses"]

    /// The date every imported price version takes effect: the file has no dates of its own.
    public var effectiveAt: Date

    public init(effectiveAt: Date) {
        self.effectiveAt = effectiveAt
    }

    public func parse(_ data: Data, source: String) throws(ImportError) -> PriceImport {
        let root = try JSONFields(PriceFileJSON.parse(data, file: source), file: source, path: "$")
        var result = PriceImport(format: Self.format, source: source)
        for (key, node) in root.members {
            // LiteLLM documents its fields in an entry of its own.
            if key == "sample_spec" {
                result.skip("sample_spec")
                continue
            }
            let entry = try JSONFields(node, file: source, path: JSONFields.memberPath("$", key))
            switch try offer(key: key, entry: entry, source: source) {
            case .imported(let offer): result.offers.append(offer)
            case .skipped(let reason): result.skip(reason)
            }
        }
        return result
    }

    func offer(key: String, entry: JSONFields, source: String) throws(ImportError) -> EntryOutcome {
        let mode = try entry.string("mode")
        if let mode, !Self.importedModes.contains(mode) { return .skipped("mode \(mode)") }
        let input = try entry.price("input_cost_per_token", unit: .usdPerToken)
        let output = try entry.price("output_cost_per_token", unit: .usdPerToken)
        guard input.isKnown || output.isKnown else { return .skipped("no token price") }
        guard let provider = try entry.string("litellm_provider"), !provider.isEmpty else {
            return .skipped("no litellm_provider")
        }
        let cachedInput = try entry.price("cache_read_input_token_cost", unit: .usdPerToken)
        let price = PriceVersion(
            input: input, cachedInput: cachedInput, output: output,
            longContextTiers: try tiers(entry, input: input, cachedInput: cachedInput, output: output),
            effectiveAt: effectiveAt, source: source)
        let model = Model(
            id: key, family: key, capabilities: try capabilities(entry, mode: mode),
            advertisedContext: try entry.firstCount("max_input_tokens", "max_tokens") ?? 0,
            maxOutputTokens: try entry.firstCount("max_output_tokens", "max_tokens") ?? 0)
        return .imported(ImportedOffer(id: OfferID(provider: provider, model: key), model: model, price: price))
    }

    func capabilities(_ entry: JSONFields, mode: String?) throws(ImportError) -> Capabilities {
        var capabilities: Capabilities = mode == "chat" ? [.streaming] : []
        let flags: [(String, Capabilities)] = [
            ("supports_function_calling", .tools), ("supports_vision", .vision),
            ("supports_response_schema", .jsonSchema), ("supports_reasoning", .reasoning),
        ]
        for (field, capability) in flags where try entry.bool(field) == true {
            capabilities.insert(capability)
        }
        return capabilities
    }

    /// Tiers in ascending order of threshold. LiteLLM prices each part (input, cached,
    /// output) at the highest threshold crossed that names that part, else at the base
    /// price; so a part a tier leaves out is carried up from the tier below it.
    func tiers(_ entry: JSONFields, input: Price, cachedInput: Price, output: Price) throws(ImportError)
        -> [LongContextTier]
    {
        var given: [Int: [TierPart: Price]] = [:]
        for (key, _) in entry.members {
            guard let (part, thousands) = TierPart.parse(key) else { continue }
            given[thousands * 1000, default: [:]][part] = try entry.price(key, unit: .usdPerToken)
        }
        var below = LongContextTier(aboveTokens: 0, input: input, cachedInput: cachedInput, output: output)
        var tiers: [LongContextTier] = []
        for (threshold, parts) in given.sorted(by: { $0.key < $1.key }) {
            let tier = LongContextTier(
                aboveTokens: threshold, input: parts[.input] ?? below.input,
                cachedInput: parts[.cachedInput] ?? below.cachedInput, output: parts[.output] ?? below.output)
            tiers.append(tier)
            below = tier
        }
        return tiers
    }

    /// The base prices a long-context tier replaces, as LiteLLM names them before the
    /// `_above_<N>k_tokens` suffix. Other suffixed prices (`…_tokens_priority`, per character,
    /// `cache_creation_…`) are not token tiers the catalogue models.
    enum TierPart: String, CaseIterable {
        case input = "input_cost_per_token"
        case cachedInput = "cache_read_input_token_cost"
        case output = "output_cost_per_token"

        /// `input_cost_per_token_above_200k_tokens` → (.input, 200); nil for any other field.
        static func parse(_ key: String) -> (TierPart, thousands: Int)? {
            for part in allCases {
                let prefix = part.rawValue + "_above_"
                guard key.hasPrefix(prefix), key.hasSuffix("k_tokens") else { continue }
                let number = key.dropFirst(prefix.count).dropLast("k_tokens".count)
                guard !number.isEmpty, number.count <= 6, number.allSatisfy({ $0.isASCII && $0.isNumber }),
                    let thousands = Int(number), thousands > 0
                else { continue }
                return (part, thousands)
            }
            return nil
        }
    }
}
