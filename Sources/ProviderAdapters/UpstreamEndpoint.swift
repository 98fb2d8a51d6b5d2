/// Where a provider is reached and with which key. The adapters only put the key into
/// headers; it never appears in a URL, an error message or a log line they produce.
public struct UpstreamEndpoint: Sendable {
    /// The API root, e.g. `https://api.anthropic.com/v1`; a trailing `/` is tolerated.
    public var baseURL: String
    /// The secret; nil for self-hosted servers that take none (vLLM, Ollama, llama.cpp).
    public var apiKey: String?

    public init(baseURL: String, apiKey: String? = nil) {
        self.baseURL = baseURL
        self.apiKey = apiKey
    }

    /// `baseURL` joined to `path` with exactly one `/` between them.
    func url(_ path: String) -> String {
        var base = Substring(baseURL)
        while base.hasSuffix("/") { base = base.dropLast() }
        return path.hasPrefix("/") ? "\(base)\(path)" : "\(base)/\(path)"
    }
}
