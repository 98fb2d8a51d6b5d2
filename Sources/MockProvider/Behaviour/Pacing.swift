/// When each token of an answer is due, relative to the request's arrival.
public struct Pacing: Sendable, Equatable {
    public var firstToken: Duration
    /// Time between two tokens; `nil` sends every token at once.
    public var perToken: Duration?
    public var tokensPerEvent: Int
    public var cutAfterEvents: Int?

    public init(firstToken: Duration = .zero, perToken: Duration? = nil, tokensPerEvent: Int = 1, cutAfterEvents: Int? = nil) {
        self.firstToken = firstToken
        self.perToken = perToken
        self.tokensPerEvent = tokensPerEvent
        self.cutAfterEvents = cutAfterEvents
    }

    public init(behaviour: ModelBehaviour) {
        firstToken = .milliseconds(behaviour.firstTokenLatencyMilliseconds)
        perToken = behaviour.tokensPerSecond > 0 ? .seconds(1 / behaviour.tokensPerSecond) : nil
        tokensPerEvent = behaviour.tokensPerEvent
        cutAfterEvents = behaviour.cutAfterEvents
    }

    /// When the `tokens`-th token is due (the first token at `firstToken`); events that
    /// carry no token are due with the token before them, or with the first.
    public func due(afterTokens tokens: Int) -> Duration {
        guard let perToken, tokens > 1 else { return firstToken }
        return firstToken + perToken * (tokens - 1)
    }
}
