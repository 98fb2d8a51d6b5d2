import BrokerCore
import ExactJSON
public import struct Foundation.Data
public import struct Foundation.Date

/// Reads OpenRouter's model list (`GET https://openrouter.ai/api/v1/models`) into priced
/// chat offers.
///
/// OpenRouter is the host that sells these offers, so an id such as `openai/gpt-4o` becomes
/// the offer `openrouter/openai/gpt-4o` (provider `openrouter`, model `openai/gpt-4o`) and
/// never collides with the direct `openai/gpt-4o`; a variant suffix stays part of the
/// model (`meta-llama/llama-3.3-70b-instruct:free`). Prices are
/// strings in USD per token; `"-1"` marks variable pricing (e.g. `openrouter/auto`) and
/// reads as unknown. Models that produce no text, or have neither a prompt nor a
/// completion price, are counted in ``PriceImport/skipped``.
public struct OpenRouterImporter: PriceImporter {
    public static let format = PriceImportFormat.openrouter
    /// The provider id of every imported offer.
    public static let provider = "openrouter"

    /// The date every imported price version takes effect: the list is a snapshot of now.
    public var effectiveAt: Date

    public init(effectiveAt: Date) {
        self.effectiveAt = effectiveAt
    }

    public func parse(_ data: Data, source: String) throws(ImportError) -> PriceImport {
        let root = try JSONFields(PriceFileJSON.parse(data, file: source), file: source, path: "$")
        guard let list = root.node("data") else { throw root.error("data", "missing: expected the list of models") }
        guard case .array(let items) = list else { throw root.error("data", "expected an array, found \(list.kindName)") }
        var result = PriceImport(format: Self.format, source: source)
        for (index, item) in items.enumerated() {
            let path = "$.data[\(index)]"
            let id = try JSONFields(item, file: source, path: path).string("id")
            let entry = try JSONFields(item, file: source, path: path, subject: id)
            guard let id else { throw entry.error("id", "missing: every model needs an id") }
            switch try offer(id: id, entry: entry, source: source) {
            case .imported(let offer): result.offers.append(offer)
            case .skipped(let reason): result.skip(reason)
            }
        }
        return result
    }

    func offer(id: String, entry: JSONFields, source: String) throws(ImportError) -> EntryOutcome {
        guard OfferID(id) != nil else { return .skipped("id without a vendor prefix") }
        let offerID = OfferID(provider: Self.provider, model: id)
        let architecture = try entry.object("architecture")
        if let outputs = try architecture?.strings("output_modalities"), !outputs.contains("text") {
            return .skipped("output " + outputs.joined(separator: "+"))
        }
        guard let pricing = try entry.object("pricing") else { return .skipped("no token price") }
        let input = try price(pricing, "prompt")
        let output = try price(pricing, "completion")
        guard input.isKnown || output.isKnown else {
            let variable = [try pricing.decimalText("prompt"), try pricing.decimalText("completion")]
                .contains { $0.map(Self.isVariable) == true }
            return .skipped(variable ? "variable pricing" : "no token price")
        }
        let version = PriceVersion(
            input: input, cachedInput: try price(pricing, "input_cache_read"), output: output,
            effectiveAt: effectiveAt, source: source)
        return .imported(
            ImportedOffer(id: offerID, model: try model(offerID.model, entry, architecture), price: version))
    }

    /// Context from the model's `context_length`; the top provider's limits, when smaller,
    /// are what a request can actually count on. No `max_completion_tokens` means output is
    /// bounded only by the context.
    func model(_ id: String, _ entry: JSONFields, _ architecture: JSONFields?) throws(ImportError) -> Model {
        let topProvider = try entry.object("top_provider")
        let topContext = try topProvider?.count("context_length")
        let context = try entry.count("context_length") ?? topContext ?? 0
        let effective = min(context, topContext ?? context)
        let maxOutput = try topProvider?.count("max_completion_tokens") ?? effective

        // OpenRouter streams every chat model.
        var capabilities: Capabilities = [.streaming]
        let parameters = Set(try entry.strings("supported_parameters") ?? [])
        if parameters.contains("tools") { capabilities.insert(.tools) }
        // `response_format` alone may mean JSON mode only; `structured_outputs` is schema support.
        if parameters.contains("structured_outputs") { capabilities.insert(.jsonSchema) }
        if parameters.contains("reasoning") || parameters.contains("include_reasoning") {
            capabilities.insert(.reasoning)
        }
        if try architecture?.strings("input_modalities")?.contains("image") == true { capabilities.insert(.vision) }
        return Model(
            id: id, family: id, capabilities: capabilities, advertisedContext: context,
            effectiveContext: effective, maxOutputTokens: maxOutput)
    }

    /// `"-1"` is OpenRouter's "priced per request by the routed model": unknown here.
    func price(_ pricing: JSONFields, _ key: String) throws(ImportError) -> Price {
        if let text = try pricing.decimalText(key), Self.isVariable(text) { return .unknown }
        return try pricing.price(key, unit: .usdPerToken)
    }

    static func isVariable(_ text: String) -> Bool {
        ExactDecimal.parse(text, scale: 18) == -1_000_000_000_000_000_000
    }
}
