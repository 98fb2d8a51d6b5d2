public import struct Foundation.Date

/// An offer's prices, valid from `effectiveAt` until the offer's next version.
///
/// Versions are append-only: a price change is a new version, never an edit, so past
/// decisions can always be re-priced with the prices that were in force.
public struct PriceVersion: Sendable, Hashable {
    public var input: Price
    /// Price of prompt tokens served from the provider's cache; unknown means "charged as input".
    public var cachedInput: Price
    public var output: Price
    /// Higher (or lower) prices that apply to the whole request once its prompt exceeds a
    /// threshold, e.g. Gemini 2.5 Pro above 200k tokens. Sorted by threshold, ascending.
    public var longContextTiers: [LongContextTier]
    public var effectiveAt: Date
    /// Where the price was read: a URL, a file, `litellm 2026-07-24`, `operator`.
    public var source: String

    public init(
        input: Price, cachedInput: Price = .unknown, output: Price,
        longContextTiers: [LongContextTier] = [], effectiveAt: Date, source: String
    ) {
        self.input = input
        self.cachedInput = cachedInput
        self.output = output
        self.longContextTiers = longContextTiers.sorted { $0.aboveTokens < $1.aboveTokens }
        self.effectiveAt = effectiveAt
        self.source = source
    }

    /// True when the prices (not the date or source) are the same: loading the catalogue
    /// appends a version only when this is false.
    public func hasSamePrices(as other: PriceVersion) -> Bool {
        input == other.input && cachedInput == other.cachedInput && output == other.output
            && longContextTiers == other.longContextTiers
    }

    /// The tier in force for a prompt of `promptTokens`, if any: the highest threshold crossed.
    public func tier(forPromptTokens promptTokens: Int) -> LongContextTier? {
        longContextTiers.last { promptTokens > $0.aboveTokens }
    }
}

/// Prices that replace the base prices when the prompt is longer than `aboveTokens`.
public struct LongContextTier: Sendable, Hashable {
    public var aboveTokens: Int
    public var input: Price
    public var cachedInput: Price
    public var output: Price

    public init(aboveTokens: Int, input: Price, cachedInput: Price = .unknown, output: Price) {
        self.aboveTokens = aboveTokens
        self.input = input
        self.cachedInput = cachedInput
        self.output = output
    }
}
