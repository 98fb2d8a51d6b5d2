/// The fields of a `ModelBehaviour` that a config file entry or a `PUT /_mock/models/{model}`
/// sets; the others are inherited (a model's from the `default` behaviour, the default's
/// from `ModelBehaviour()`). An explicit `null` clears `error`, `error_rate` or
/// `cut_after_events`. Unknown keys and out-of-range values are rejected when decoding, so
/// a typo never silently leaves a model at its default.
///
/// ```yaml
/// first_token_latency_ms: 250
/// tokens_per_second: 40
/// error: rate_limited
/// error_rate: 0.05
/// ```
public struct BehaviourPatch: Sendable, Equatable, Decodable {
    public var firstTokenLatencyMilliseconds: Int?
    public var tokensPerSecond: Double?
    public var responseTokens: Int?
    public var tokensPerEvent: Int?
    public var errorRate: Double??
    public var error: InjectedError??
    public var retryAfterSeconds: Int?
    public var cutAfterEvents: Int??
    public var hang: Bool?
    public var toolCall: Bool?

    public init() {}

    enum Key: String, CodingKey, CaseIterable {
        case firstTokenLatencyMilliseconds = "first_token_latency_ms"
        case tokensPerSecond = "tokens_per_second"
        case responseTokens = "response_tokens"
        case tokensPerEvent = "tokens_per_event"
        case errorRate = "error_rate"
        case error
        case retryAfterSeconds = "retry_after_seconds"
        case cutAfterEvents = "cut_after_events"
        case hang
        case toolCall = "tool_call"
    }

    public init(from decoder: any Decoder) throws {
        // Errors name the field by its whole path, e.g. `models.gpt-4o.error_rate`.
        let prefix = decoder.codingPath.map { $0.stringValue + "." }.joined()
        do {
            try self.init(decoding: decoder)
        } catch let error as BehaviourError {
            throw BehaviourError(field: prefix + error.field, message: error.message)
        }
    }

    private init(decoding decoder: any Decoder) throws {
        let any = try decoder.container(keyedBy: AnyKey.self)
        if let unknown = any.allKeys.first(where: { Key(rawValue: $0.stringValue) == nil }) {
            let known = Key.allCases.map(\.rawValue).joined(separator: ", ")
            throw BehaviourError(field: unknown.stringValue, message: "unknown key (known: \(known))")
        }
        let container = try decoder.container(keyedBy: Key.self)
        firstTokenLatencyMilliseconds = try container.decodeIfPresent(Int.self, forKey: .firstTokenLatencyMilliseconds)
        tokensPerSecond = try container.decodeIfPresent(Double.self, forKey: .tokensPerSecond)
        responseTokens = try container.decodeIfPresent(Int.self, forKey: .responseTokens)
        tokensPerEvent = try container.decodeIfPresent(Int.self, forKey: .tokensPerEvent)
        errorRate = try Self.clearable(Double.self, .errorRate, in: container)
        retryAfterSeconds = try container.decodeIfPresent(Int.self, forKey: .retryAfterSeconds)
        cutAfterEvents = try Self.clearable(Int.self, .cutAfterEvents, in: container)
        hang = try container.decodeIfPresent(Bool.self, forKey: .hang)
        toolCall = try container.decodeIfPresent(Bool.self, forKey: .toolCall)
        if container.contains(.error) {
            if try container.decodeNil(forKey: .error) {
                error = .some(nil)
            } else if let code = try? container.decode(Int.self, forKey: .error) {
                error = .some(try InjectedError.parse(String(code)))
            } else {
                error = .some(try InjectedError.parse(try container.decode(String.self, forKey: .error)))
            }
        }
        try validate()
    }

    /// `nil` when the key is absent, `.some(nil)` when it is `null`.
    private static func clearable<T: Decodable>(_ type: T.Type, _ key: Key, in container: KeyedDecodingContainer<Key>) throws -> T?? {
        guard container.contains(key) else { return nil }
        return try container.decodeNil(forKey: key) ? .some(nil) : .some(try container.decode(T.self, forKey: key))
    }

    /// Checks every set field's range.
    public func validate() throws(BehaviourError) {
        func check(_ ok: Bool, _ key: Key, _ message: String) throws(BehaviourError) {
            if !ok { throw BehaviourError(field: key.rawValue, message: message) }
        }
        try check((0...86_400_000).contains(firstTokenLatencyMilliseconds ?? 0), .firstTokenLatencyMilliseconds, "must be between 0 and 86,400,000 (a day)")
        let speed = tokensPerSecond ?? 0
        try check(speed == 0 || (0.001...1e9).contains(speed), .tokensPerSecond, "must be 0 (unpaced) or between 0.001 and 1e9")
        try check((0...10_000_000).contains(responseTokens ?? 0), .responseTokens, "must be between 0 and 10,000,000")
        try check((tokensPerEvent ?? 1) >= 1, .tokensPerEvent, "must be 1 or more")
        let rate = (errorRate ?? nil) ?? 0
        try check(rate >= 0 && rate <= 1, .errorRate, "must be between 0 and 1")
        try check((0...86_400).contains(retryAfterSeconds ?? 0), .retryAfterSeconds, "must be between 0 and 86,400")
        try check(((cutAfterEvents ?? nil) ?? 0) >= 0, .cutAfterEvents, "must be 0 or more")
    }

    /// `base` with the fields this patch sets replaced.
    public func applied(to base: ModelBehaviour) -> ModelBehaviour {
        var result = base
        if let firstTokenLatencyMilliseconds { result.firstTokenLatencyMilliseconds = firstTokenLatencyMilliseconds }
        if let tokensPerSecond { result.tokensPerSecond = tokensPerSecond }
        if let responseTokens { result.responseTokens = responseTokens }
        if let tokensPerEvent { result.tokensPerEvent = tokensPerEvent }
        if let errorRate { result.errorRate = errorRate }
        if let error { result.error = error }
        if let retryAfterSeconds { result.retryAfterSeconds = retryAfterSeconds }
        if let cutAfterEvents { result.cutAfterEvents = cutAfterEvents }
        if let hang { result.hang = hang }
        if let toolCall { result.toolCall = toolCall }
        return result
    }
}
