/// What the mock reads from a request, whichever wire format it came in.
public struct ChatRequest: Sendable, Equatable {
    /// A tool the caller offers the model.
    public struct Tool: Sendable, Equatable {
        public var name: String
        /// The JSON schema of the tool's arguments, when given.
        public var parameters: JSONValue?

        public init(name: String, parameters: JSONValue? = nil) {
            self.name = name
            self.parameters = parameters
        }
    }

    /// Whether, and which, tool the caller demands.
    public enum ToolChoice: Sendable, Equatable {
        /// The model decides (the mock: when configured or asked by "call tool").
        case auto
        /// No tool call, even if tools are offered.
        case none
        /// A tool call; of the named tool when given.
        case required(String?)
    }

    public var model: String
    public var stream = false
    /// OpenAI's `stream_options.include_usage`: end the stream with a usage-only chunk.
    public var includeUsage = false
    public var tools: [Tool] = []
    public var toolChoice = ToolChoice.auto
    /// The text of the last user message, where "call tool" asks for a tool call.
    public var lastUserText = ""
    /// The caller's cap on completion tokens, if any.
    public var maxTokens: Int?
    /// The prompt's tokens as the mock reports them (see `estimatePromptTokens`).
    public var promptTokens = 0

    public init(model: String) {
        self.model = model
    }

    /// Prompt tokens estimated from the request body's size: one token per 4 bytes,
    /// rounded up, at least 1. Deterministic and free; it counts the JSON syntax too, so it
    /// overestimates a real tokenizer on short prompts (a gateway comparing its own
    /// estimate with the reported usage should expect that).
    public static func estimatePromptTokens(bodyBytes: Int) -> Int {
        max(1, (bodyBytes + 3) / 4)
    }

    /// The tool to call, or `nil` to answer with text. A request without tools never gets a
    /// tool call; with tools, it gets one when it demands it, when the behaviour says so, or
    /// when its last user message contains "call tool" (naming a tool there picks it).
    public func toolToCall(alwaysCallTools: Bool) -> Tool? {
        guard let first = tools.first else { return nil }
        let named = { (name: String?) -> Tool in
            name.flatMap { name in tools.first { $0.name == name } } ?? first
        }
        let mentioned = tools.first { lastUserText.contains($0.name) }?.name
        switch toolChoice {
        case .none: return nil
        case .required(let name): return named(name ?? mentioned)
        case .auto:
            guard alwaysCallTools || lastUserText.lowercased().contains("call tool") else { return nil }
            return named(mentioned)
        }
    }
}

/// A request the mock cannot answer, with the message its provider would give.
public struct MockRequestError: Error, Sendable, Equatable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }
}
