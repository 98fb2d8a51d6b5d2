/// The answer to one request, worked out before anything is written: the formats render
/// it, the server paces it. Pure, so tests can check it without a server.
public struct MockAnswer: Sendable, Equatable {
    public enum Content: Sendable, Equatable {
        /// The completion, one string per token (each but the first starts with a space).
        case text([String])
        case toolCall(ToolCall)
    }

    /// A call of the tool `name`; `argumentsText` is `arguments` serialized, streamed in
    /// `argumentChunks` by the formats that stream arguments.
    public struct ToolCall: Sendable, Equatable {
        public var name: String
        public var arguments: JSONValue
        public var argumentsText: String
        public var argumentChunks: [String]
    }

    public enum Finish: Sendable, Equatable {
        case stop
        /// The request's `max_tokens` cut the answer short.
        case length
        case toolCall
    }

    public var content: Content
    public var finish: Finish
    public var promptTokens: Int
    public var completionTokens: Int
    public var pacing: Pacing

    public var totalTokens: Int { promptTokens + completionTokens }

    public var text: String {
        if case .text(let tokens) = content { return tokens.joined() }
        return ""
    }

    /// The answer `behaviour` gives to `request`.
    ///
    /// Completion tokens are the behaviour's `responseTokens`, capped by the request's
    /// `max_tokens` (then the finish is `.length`); a tool call reports the same count.
    public init(behaviour: ModelBehaviour, request: ChatRequest) {
        // A cap below zero is the caller's nonsense; it gets an empty answer, not a crash.
        let completion = max(0, min(behaviour.responseTokens, request.maxTokens ?? .max))
        promptTokens = request.promptTokens
        completionTokens = completion
        pacing = Pacing(behaviour: behaviour)
        if let tool = request.toolToCall(alwaysCallTools: behaviour.toolCall) {
            let arguments = ToolArguments.sample(schema: tool.parameters)
            let text = arguments.serialized()
            content = .toolCall(ToolCall(name: tool.name, arguments: arguments, argumentsText: text, argumentChunks: ToolArguments.chunks(of: text)))
            finish = .toolCall
        } else {
            content = .text(Self.tokens(count: completion))
            finish = completion < behaviour.responseTokens ? .length : .stop
        }
    }

    static let vocabulary = [
        "The", "mock", "provider", "answers", "with", "these", "words", "so", "that", "every", "token",
        "is", "one", "word", "and", "a", "gateway", "can", "count", "them.",
    ]

    /// `count` tokens of filler text, one word each.
    static func tokens(count: Int) -> [String] {
        (0..<count).map { index in
            let word = vocabulary[index % vocabulary.count]
            return index == 0 ? word : " " + word
        }
    }
}
