/// Tokens a provider reports for one request, in OpenAI's terms: `promptTokens` counts every
/// input token including the cached ones, and `cachedPromptTokens` is the cached subset, so
/// pricing can charge the cached share at its own rate.
public struct Usage: Sendable, Hashable {
    public var promptTokens: Int
    public var completionTokens: Int
    /// 0 when the provider does not report caching.
    public var cachedPromptTokens: Int

    public init(promptTokens: Int, completionTokens: Int, cachedPromptTokens: Int = 0) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.cachedPromptTokens = cachedPromptTokens
    }

    public var totalTokens: Int { promptTokens + completionTokens }
}
