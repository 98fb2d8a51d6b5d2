import ExactJSON
/// Reads OpenAI's `usage` object, also as the compatible servers fill it.
enum OpenAIUsage {
    /// Nil for a missing or `null` usage; a usage with wrong member types is malformed.
    ///
    /// Cached tokens come from `prompt_tokens_details.cached_tokens` (OpenAI, vLLM, Groq) or
    /// DeepSeek's `prompt_cache_hit_tokens`.
    static func read(_ value: JSON?) throws(JSONShapeError) -> Usage? {
        guard let value, !value.isNull else { return nil }
        guard let usage = value.objectValue else { throw JSONShapeError(description: "`usage` must be an object") }
        let prompt = try usage.optionalTokenCount("prompt_tokens") ?? 0
        let completion = try usage.optionalTokenCount("completion_tokens") ?? 0
        let details = try usage.optionalObject("prompt_tokens_details")
        let deepSeekCached = try usage.optionalTokenCount("prompt_cache_hit_tokens")
        let cached = try details?.optionalTokenCount("cached_tokens") ?? deepSeekCached ?? 0
        return Usage(promptTokens: prompt, completionTokens: completion, cachedPromptTokens: cached)
    }
}
