/// A named set of requirements and preferences a client selects with the `model` field
/// (`auto`, `frontier`, `bulk`, `confidential`, …).
public struct Policy: Sendable, Hashable, Identifiable {
    public var id: String
    public var description: String
    /// Offers whose model scores below this are not adequate; nil: no floor.
    public var minQuality: Int?
    public var requiredCapabilities: Capabilities
    public var dataClass: DataClass
    /// nil: any provider.
    public var allowedProviders: Set<String>?
    /// nil: any region.
    public var allowedRegions: Set<String>?
    public var maxCostPerRequest: Money?
    /// Hysteresis, in basis points: a stream leaves its previous provider only for an offer
    /// cheaper by more than this share (2,500 = 25%). 0 switches on any saving.
    public var switchingThresholdBasisPoints: Int
    /// Share of the prompt expected to be served from the provider's prompt cache, in basis points.
    public var cachedPromptBasisPoints: Int
    /// Output tokens priced when the request sets no `max_tokens`; also caps the estimate
    /// when it does, since most answers stop well before their limit.
    public var expectedOutputTokens: Int

    public init(
        id: String, description: String = "", minQuality: Int? = nil,
        requiredCapabilities: Capabilities = [], dataClass: DataClass = .internal,
        allowedProviders: Set<String>? = nil, allowedRegions: Set<String>? = nil,
        maxCostPerRequest: Money? = nil, switchingThresholdBasisPoints: Int = 0,
        cachedPromptBasisPoints: Int = 0, expectedOutputTokens: Int = 512
    ) {
        self.id = id
        self.description = description
        self.minQuality = minQuality
        self.requiredCapabilities = requiredCapabilities
        self.dataClass = dataClass
        self.allowedProviders = allowedProviders
        self.allowedRegions = allowedRegions
        self.maxCostPerRequest = maxCostPerRequest
        self.switchingThresholdBasisPoints = switchingThresholdBasisPoints
        self.cachedPromptBasisPoints = cachedPromptBasisPoints
        self.expectedOutputTokens = expectedOutputTokens
    }

    /// The policy `auto` names when the catalogue defines none.
    public static let auto = Policy(id: "auto", description: "cheapest offer that meets the request's needs")
}
