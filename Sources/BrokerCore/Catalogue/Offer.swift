/// A model sold by a provider. Routing chooses among offers.
public struct Offer: Sendable, Hashable, Identifiable {
    public var id: OfferID
    /// The name the provider's API expects, e.g. `Qwen/Qwen2.5-72B-Instruct-Turbo`.
    public var upstreamModel: String
    /// A host may serve less than the model's own context (nil: the model's).
    public var contextLimit: Int?
    /// A host may not expose every capability of the model (nil: the model's).
    public var capabilities: Capabilities?
    public var enabled: Bool

    public init(
        id: OfferID, upstreamModel: String? = nil, contextLimit: Int? = nil,
        capabilities: Capabilities? = nil, enabled: Bool = true
    ) {
        self.id = id
        self.upstreamModel = upstreamModel ?? id.model
        self.contextLimit = contextLimit
        self.capabilities = capabilities
        self.enabled = enabled
    }
}

/// `provider/model`: how offers are named in the CLI, the API and the decision log.
public struct OfferID: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public var provider: String
    public var model: String

    public init(provider: String, model: String) {
        self.provider = provider
        self.model = model
    }

    /// Splits at the first `/`: model ids may themselves contain slashes.
    public init?(_ text: some StringProtocol) {
        guard let slash = text.firstIndex(of: "/") else { return nil }
        let provider = text[..<slash]
        let model = text[text.index(after: slash)...]
        guard !provider.isEmpty, !model.isEmpty else { return nil }
        self.init(provider: String(provider), model: String(model))
    }

    public var description: String { "\(provider)/\(model)" }

    public static func < (lhs: OfferID, rhs: OfferID) -> Bool {
        (lhs.provider, lhs.model) < (rhs.provider, rhs.model)
    }
}
