public import struct Foundation.Date

/// Synthetic traffic for a replay: streams of identical requests at a daily volume, plus
/// any policies the streams use that the catalogue does not define.
public struct Workload: Sendable, Hashable {
    public var name: String
    public var streams: [WorkloadStream]
    /// Policies added to (or replacing) the catalogue's for this workload.
    public var policies: [Policy]
    /// The replay's first and last day; nil: the history's.
    public var start: Date?
    public var end: Date?

    public init(name: String, streams: [WorkloadStream], policies: [Policy] = [], start: Date? = nil, end: Date? = nil) {
        self.name = name
        self.streams = streams
        self.policies = policies
        self.start = start
        self.end = end
    }

    /// Requests per day over all streams.
    public var requestsPerDay: Int { streams.map(\.requestsPerDay).reduce(0, +) }
}

/// One tenant sending one shape of request under one `model` field (a policy, a model id
/// or `provider/model`): a *stream* in the design's sense, keyed `tenant/model`.
public struct WorkloadStream: Sendable, Hashable {
    public var tenant: String
    /// What the requests put in `model`.
    public var model: String
    public var promptTokens: Int
    /// `max_tokens`, if the requests set it.
    public var maxTokens: Int?
    public var capabilities: Capabilities
    public var requestsPerDay: Int

    public init(tenant: String, model: String, promptTokens: Int, maxTokens: Int? = nil, capabilities: Capabilities = [], requestsPerDay: Int) {
        self.tenant = tenant
        self.model = model
        self.promptTokens = promptTokens
        self.maxTokens = maxTokens
        self.capabilities = capabilities
        self.requestsPerDay = requestsPerDay
    }

    public var streamKey: String { "\(tenant)/\(model)" }

    public var profile: RequestProfile {
        RequestProfile(model: model, capabilities: capabilities, estimatedPromptTokens: promptTokens, maxOutputTokens: maxTokens)
    }
}
