/// A company or host that sells offers: an endpoint, a wire format, credentials, a region
/// and data-handling terms. One file in `Providers/`.
public struct Provider: Sendable, Hashable, Identifiable {
    public var id: String
    public var displayName: String
    public var wireFormat: WireFormat
    public var baseURL: String
    public var credentials: CredentialReference
    public var region: String
    public var residency: Residency
    public var dataHandling: DataHandling
    public var enabled: Bool

    public init(
        id: String, displayName: String? = nil, wireFormat: WireFormat, baseURL: String,
        credentials: CredentialReference = .none, region: String, residency: Residency = .cloud,
        dataHandling: DataHandling = DataHandling(), enabled: Bool = true
    ) {
        self.id = id
        self.displayName = displayName ?? id
        self.wireFormat = wireFormat
        self.baseURL = baseURL
        self.credentials = credentials
        self.region = region
        self.residency = residency
        self.dataHandling = dataHandling
        self.enabled = enabled
    }
}

/// The HTTP dialect a provider speaks.
public enum WireFormat: String, Sendable, Hashable, CaseIterable, Codable {
    /// OpenAI chat completions; also DeepSeek, DashScope compatible mode, Mistral, Groq,
    /// Together, Fireworks, vLLM, Ollama and llama.cpp.
    case openai
    /// Anthropic Messages.
    case anthropic
    /// Google Gemini `generateContent`.
    case gemini
}

/// Where a provider's API key comes from. The catalogue holds only the reference, never the secret.
public enum CredentialReference: Sendable, Hashable {
    case none
    case environment(String)
    case file(String)
}

/// Whether tokens are bought from a cloud host or produced on the enterprise's own hardware.
public enum Residency: String, Sendable, Hashable, CaseIterable, Codable {
    case cloud
    case local
}

/// How sensitive a request's data is. Ordered: each class also requires everything the
/// classes below it require.
public enum DataClass: String, Sendable, Hashable, CaseIterable, Comparable, Codable {
    /// Anything may see it.
    case `public`
    /// Ordinary business data: no training on it.
    case `internal`
    /// Customer or regulated data: no training and bounded retention.
    case confidential
    /// Must not leave the enterprise's own hardware.
    case restricted

    var rank: Int {
        switch self {
        case .public: 0
        case .internal: 1
        case .confidential: 2
        case .restricted: 3
        }
    }

    public static func < (lhs: DataClass, rhs: DataClass) -> Bool { lhs.rank < rhs.rank }
}

/// A provider's data-retention terms, and the most sensitive data class it may receive.
public struct DataHandling: Sendable, Hashable {
    /// Days the provider keeps prompts and outputs; nil when its terms do not say.
    public var retentionDays: Int?
    public var trainsOnData: Bool
    public var maxDataClass: DataClass

    public init(retentionDays: Int? = nil, trainsOnData: Bool = false, maxDataClass: DataClass = .internal) {
        self.retentionDays = retentionDays
        self.trainsOnData = trainsOnData
        self.maxDataClass = maxDataClass
    }
}
