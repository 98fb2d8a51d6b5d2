/// The expected cost of one request on one offer, before and after prepaid credits.
public struct CostEstimate: Sendable, Hashable {
    /// At list prices.
    public var list: Money
    /// What the enterprise pays: list minus what remaining credit covers.
    public var effective: Money
    /// The long-context tier applied, if the prompt crossed one.
    public var tierAboveTokens: Int?

    public var coveredByCredit: Money { list - effective }
}

/// The token mix a request is priced for.
public struct TokenMix: Sendable, Hashable {
    public var promptTokens: Int
    /// The part of `promptTokens` expected to be read from the provider's cache.
    public var cachedPromptTokens: Int
    public var outputTokens: Int

    public init(promptTokens: Int, cachedPromptTokens: Int = 0, outputTokens: Int) {
        self.promptTokens = promptTokens
        self.cachedPromptTokens = min(cachedPromptTokens, promptTokens)
        self.outputTokens = outputTokens
    }
}

public enum Pricing {
    /// The expected cost of `mix` on a price version, or nil when a price it needs is unknown.
    ///
    /// Uncached prompt tokens at the input price, cached ones at the cached price (the input
    /// price when the cached price is unknown), output at the output price; when the prompt
    /// is longer than a long-context tier's threshold the tier's prices apply to the whole
    /// request, as every provider with such tiers bills it. Credits are subtracted last.
    public static func cost(of mix: TokenMix, at version: PriceVersion, credit: Money = .zero) -> CostEstimate? {
        let tier = version.tier(forPromptTokens: mix.promptTokens)
        let input = tier?.input ?? version.input
        let cachedCandidate = tier.map { $0.cachedInput } ?? version.cachedInput
        let cached = cachedCandidate.isKnown ? cachedCandidate : input
        let output = tier?.output ?? version.output
        let uncachedTokens = mix.promptTokens - mix.cachedPromptTokens
        guard let inputCost = input.cost(tokens: uncachedTokens),
            let cachedCost = cached.cost(tokens: mix.cachedPromptTokens),
            let outputCost = output.cost(tokens: mix.outputTokens)
        else { return nil }
        let list = inputCost + cachedCost + outputCost
        let effective = list > credit ? list - credit : .zero
        return CostEstimate(list: list, effective: effective, tierAboveTokens: tier?.aboveTokens)
    }
}
