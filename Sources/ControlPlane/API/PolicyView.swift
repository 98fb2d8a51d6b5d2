public import BrokerCore

/// A routing policy (`tokenbroker policies list|show`).
public struct PolicyView: Codable, Sendable, Equatable {
    public var id: String
    public var description: String
    public var minQuality: Int?
    public var capabilities: [String]
    public var dataClass: String
    public var allowedProviders: [String]?
    public var allowedRegions: [String]?
    public var maxCostPerRequestUSD: String?
    public var switchingThresholdPercent: String
    public var cachedPromptPercent: String
    public var expectedOutputTokens: Int

    public init(_ policy: Policy) {
        id = policy.id
        description = policy.description
        minQuality = policy.minQuality
        capabilities = policy.requiredCapabilities.names
        dataClass = policy.dataClass.rawValue
        allowedProviders = policy.allowedProviders?.sorted()
        allowedRegions = policy.allowedRegions?.sorted()
        maxCostPerRequestUSD = policy.maxCostPerRequest?.decimalString()
        switchingThresholdPercent = Percent.string(basisPoints: policy.switchingThresholdBasisPoints)
        cachedPromptPercent = Percent.string(basisPoints: policy.cachedPromptBasisPoints)
        expectedOutputTokens = policy.expectedOutputTokens
    }

    enum CodingKeys: String, CodingKey {
        case id, description, capabilities
        case minQuality = "min_quality"
        case dataClass = "data_class"
        case allowedProviders = "allowed_providers"
        case allowedRegions = "allowed_regions"
        case maxCostPerRequestUSD = "max_cost_per_request_usd"
        case switchingThresholdPercent = "switching_threshold_percent"
        case cachedPromptPercent = "cached_prompt_percent"
        case expectedOutputTokens = "expected_output_tokens"
    }
}

/// `PUT /v1/credits/{provider}` (`tokenbroker credits set`) and the credits listing.
public struct CreditView: Codable, Sendable, Equatable {
    public var provider: String
    public var remainingUSD: String
    public var expiresAt: String?

    public init(provider: String, remainingUSD: String, expiresAt: String?) {
        self.provider = provider
        self.remainingUSD = remainingUSD
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case provider
        case remainingUSD = "remaining_usd"
        case expiresAt = "expires_at"
    }
}

/// The answer to `POST /v1/reload` and to provider state changes: what happened, in one line.
public struct ActionResult: Codable, Sendable, Equatable {
    public var ok: Bool
    public var message: String

    public init(ok: Bool, message: String) {
        self.ok = ok
        self.message = message
    }
}
