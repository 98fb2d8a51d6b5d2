/// What the mock does when one model is called: how fast it answers, how much, and how it
/// fails. A pure value; the server reads it once per request.
///
/// ```swift
/// var slow = ModelBehaviour()
/// slow.firstTokenLatencyMilliseconds = 300
/// slow.tokensPerSecond = 50
/// slow.errorRate = 0.1  // one request in ten fails with a 500
/// ```
public struct ModelBehaviour: Sendable, Equatable {
    /// Time from the request to the first token (for a non-streaming request, to the start
    /// of the answer, plus the generation time of the remaining tokens).
    public var firstTokenLatencyMilliseconds = 0
    /// Generation speed after the first token; 0 sends everything at once.
    public var tokensPerSecond = 0.0
    /// Completion tokens of each answer (fewer when the request's `max_tokens` is lower).
    public var responseTokens = 16
    /// Content tokens carried by one stream event.
    public var tokensPerEvent = 1
    /// Share of requests that fail, drawn from the seeded generator. `nil` means every
    /// request fails when `error` is set and none fails otherwise.
    public var errorRate: Double?
    /// The failure to answer with (at `errorRate`, or always); `.serverError` when only a rate is set.
    public var error: InjectedError?
    /// The `Retry-After` of a 429, in seconds.
    public var retryAfterSeconds = 1
    /// Close the connection after this many stream events, before the stream's end.
    public var cutAfterEvents: Int?
    /// Never answer; wait until the client goes away.
    public var hang = false
    /// Answer requests that carry tools with a tool call even when not asked to.
    public var toolCall = false

    public init() {}

    /// The failure for a request whose draw from the model's generator is `draw` (in [0, 1)).
    public func failure(draw: Double) -> InjectedError? {
        let rate = errorRate ?? (error == nil ? 0 : 1)
        return draw < rate ? (error ?? .serverError) : nil
    }

    /// The behaviour as the control endpoint shows it (the same keys the config file takes).
    public var json: JSONValue {
        [
            "first_token_latency_ms": .int(firstTokenLatencyMilliseconds),
            "tokens_per_second": .double(tokensPerSecond),
            "response_tokens": .int(responseTokens),
            "tokens_per_event": .int(tokensPerEvent),
            "error_rate": errorRate.map(JSONValue.double) ?? .null,
            "error": .string(error?.rawValue ?? "none"),
            "retry_after_seconds": .int(retryAfterSeconds),
            "cut_after_events": cutAfterEvents.map(JSONValue.int) ?? .null,
            "hang": .bool(hang),
            "tool_call": .bool(toolCall),
        ]
    }
}
