/// `POST /v1/route/explain`: the request to route as a dry run (`tokenbroker route explain`).
public struct RouteExplainRequest: Codable, Sendable, Equatable {
    public var policy: String?
    public var model: String?
    public var promptTokens: Int
    public var maxTokens: Int?
    public var tools: Bool
    public var vision: Bool
    public var jsonSchema: Bool
    public var stream: Bool
    public var dataClass: String?
    public var minQuality: Int?
    /// The stream whose last provider sets hysteresis (default: none, unless `previous_provider`).
    public var tenant: String?
    public var previousProvider: String?

    public init(
        policy: String? = nil, model: String? = nil, promptTokens: Int = 1_000, maxTokens: Int? = nil, tools: Bool = false,
        vision: Bool = false, jsonSchema: Bool = false, stream: Bool = false, dataClass: String? = nil, minQuality: Int? = nil,
        tenant: String? = nil, previousProvider: String? = nil
    ) {
        self.policy = policy
        self.model = model
        self.promptTokens = promptTokens
        self.maxTokens = maxTokens
        self.tools = tools
        self.vision = vision
        self.jsonSchema = jsonSchema
        self.stream = stream
        self.dataClass = dataClass
        self.minQuality = minQuality
        self.tenant = tenant
        self.previousProvider = previousProvider
    }

    enum CodingKeys: String, CodingKey {
        case policy, model, tools, vision, stream, tenant
        case promptTokens = "prompt_tokens"
        case maxTokens = "max_tokens"
        case jsonSchema = "json_schema"
        case dataClass = "data_class"
        case minQuality = "min_quality"
        case previousProvider = "previous_provider"
    }
}
