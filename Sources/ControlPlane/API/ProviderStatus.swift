/// One provider as `tokenbroker providers list|show` prints it.
public struct ProviderStatus: Codable, Sendable, Equatable {
    /// `enabled`, `disabled` or `draining` (set by an operator); `unavailable` (no credentials);
    /// `off` (disabled in its provider file).
    public var state: String
    public var id: String
    public var name: String
    public var wireFormat: String
    public var baseURL: String
    public var region: String
    public var offers: Int
    /// Offers whose circuit breaker is open now.
    public var openCircuits: [String]
    public var creditUSD: String?
    /// Why the provider is out of routing, when it is.
    public var reason: String?
    public var demo: Bool
    /// Upstream calls under way (streams until they end): a drained provider is done at 0.
    public var inFlight: Int

    public init(
        state: String, id: String, name: String, wireFormat: String, baseURL: String, region: String, offers: Int,
        openCircuits: [String], creditUSD: String?, reason: String?, demo: Bool, inFlight: Int = 0
    ) {
        self.state = state
        self.id = id
        self.name = name
        self.wireFormat = wireFormat
        self.baseURL = baseURL
        self.region = region
        self.offers = offers
        self.openCircuits = openCircuits
        self.creditUSD = creditUSD
        self.reason = reason
        self.demo = demo
        self.inFlight = inFlight
    }

    enum CodingKeys: String, CodingKey {
        case state, id, name, region, offers, reason, demo
        case wireFormat = "wire_format"
        case baseURL = "base_url"
        case openCircuits = "open_circuits"
        case creditUSD = "credit_usd"
        case inFlight = "in_flight"
    }
}
