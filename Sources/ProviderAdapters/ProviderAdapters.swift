public import BrokerCore

/// The adapters by wire format.
///
/// ```swift
/// let adapter = ProviderAdapters.adapter(for: provider.wireFormat)
/// let request = try adapter.encode(openAIBody: body, upstreamModel: "claude-sonnet-4-5",
///                                  stream: false, endpoint: endpoint)
/// ```
public enum ProviderAdapters {
    public static func adapter(for format: WireFormat) -> any ProviderAdapter {
        switch format {
        case .openai: OpenAICompatibleAdapter()
        case .anthropic: AnthropicAdapter()
        case .gemini: GeminiAdapter()
        }
    }
}
