import ExactJSON
/// An Anthropic Messages request, built from an OpenAI chat request.
///
/// The two formats differ in ways that matter here: the system prompt is a top-level field,
/// tool results are `tool_result` blocks inside a *user* turn, tool calls are `tool_use`
/// blocks whose `input` is JSON rather than a string, and `max_tokens` is required.
struct AnthropicMessagesRequest: Sendable {
    /// Anthropic requires `max_tokens`; when the client sets none this is sent, a limit every
    /// current Claude model accepts.
    static let defaultMaxTokens = 4096

    /// A turn: `user` or `assistant`, with its content blocks in order.
    struct Message: Sendable {
        var role: String
        var blocks: [JSON]
        /// A lone text block that was a plain string in the client's request stays one.
        var plainText: String?

        var json: JSON {
            ["role": .string(role), "content": plainText.map(JSON.string) ?? .array(blocks)]
        }
    }

    var model: String
    var maxTokens: Int
    var system: [String]
    var messages: [Message]
    var tools: [JSON]
    var toolChoice: JSON?
    var stopSequences: [String]
    var temperature: JSON?
    var topP: JSON?
    var userID: String?
    var stream: Bool

    init(_ request: OpenAIChatRequest, model: String, stream: Bool) throws(JSONShapeError) {
        if let n = request.n, n != 1 { throw JSONShapeError(description: "`n` must be 1: Anthropic returns one choice") }
        if let format = request.responseFormat, format != .text {
            throw JSONShapeError(description: "`response_format` JSON modes cannot be expressed in Anthropic Messages")
        }
        self.model = model
        self.stream = stream
        maxTokens = request.maxTokens ?? Self.defaultMaxTokens
        system = request.systemTexts
        messages = []
        stopSequences = request.stop
        temperature = request.temperature
        topP = request.topP
        userID = request.user
        tools = request.tools.map { tool in
            var object: JSONObject = ["name": .string(tool.name)]
            object.setIfPresent("description", tool.description.map(JSON.string))
            object.set("input_schema", tool.parameters ?? ["type": "object", "properties": [:]])
            return .object(object)
        }
        toolChoice = Self.toolChoice(request.toolChoice, parallel: request.parallelToolCalls)
        for message in request.messages {
            switch message.role {
            case .system, .developer: continue
            case .user: append(Message(role: "user", blocks: try Self.blocks(message.content),
                                       plainText: message.contentIsString ? message.text : nil))
            case .assistant:
                var blocks: [JSON] = message.text.isEmpty ? [] : [["type": "text", "text": .string(message.text)]]
                for call in message.toolCalls {
                    blocks.append([
                        "type": "tool_use", "id": .string(call.id), "name": .string(call.name),
                        "input": try call.argumentsObject(),
                    ])
                }
                // An empty assistant turn is rejected upstream and says nothing; drop it.
                if !blocks.isEmpty { append(Message(role: "assistant", blocks: blocks)) }
            case .tool:
                var result: JSONObject = ["type": "tool_result", "tool_use_id": .string(message.toolCallID ?? "")]
                result.set("content", message.contentIsString ? .string(message.text) : .array(try Self.blocks(message.content)))
                append(Message(role: "user", blocks: [.object(result)]))
            }
        }
        guard !messages.isEmpty else { throw JSONShapeError(description: "no user or assistant messages to send") }
    }

    /// Adds a turn, merging it into the previous one when both have the same role: parallel
    /// tool results must share one user turn, and a user message after tool results joins it.
    /// In place: rebuilding the merged turn's blocks each time was quadratic in a run of
    /// same-role messages.
    private mutating func append(_ message: Message) {
        guard messages.last?.role == message.role else {
            messages.append(message)
            return
        }
        let last = messages.count - 1
        if messages[last].plainText != nil {
            messages[last].blocks = messages[last].contentBlocks
            messages[last].plainText = nil
        }
        messages[last].blocks.append(contentsOf: message.contentBlocks)
    }

    private static func blocks(_ parts: [OpenAIContentPart]) throws(JSONShapeError) -> [JSON] {
        parts.map { part in
            switch part {
            case .text(let text):
                return ["type": "text", "text": .string(text)]
            case .image(let url):
                if let data = DataURL(url) {
                    return ["type": "image", "source": ["type": "base64", "media_type": .string(data.mediaType),
                                                        "data": .string(data.base64)]]
                }
                return ["type": "image", "source": ["type": "url", "url": .string(url)]]
            }
        }
    }

    private static func toolChoice(_ choice: OpenAIToolChoice?, parallel: Bool?) -> JSON? {
        var object: JSONObject
        switch choice {
        case nil:
            guard parallel == false else { return nil }
            object = ["type": "auto"]
        case .auto?: object = ["type": "auto"]
        case .none?: return ["type": "none"]
        case .required?: object = ["type": "any"]
        case .function(let name)?: object = ["type": "tool", "name": .string(name)]
        }
        if parallel == false { object.set("disable_parallel_tool_use", true) }
        return .object(object)
    }

    var json: JSON {
        var object: JSONObject = ["model": .string(model), "max_tokens": .int(maxTokens)]
        if system.count == 1 {
            object.set("system", .string(system[0]))
        } else if !system.isEmpty {
            object.set("system", .array(system.map { ["type": "text", "text": .string($0)] }))
        }
        object.set("messages", .array(messages.map(\.json)))
        if !tools.isEmpty { object.set("tools", .array(tools)) }
        object.setIfPresent("tool_choice", toolChoice)
        if !stopSequences.isEmpty { object.set("stop_sequences", .array(stopSequences.map(JSON.string))) }
        object.setIfPresent("temperature", temperature)
        object.setIfPresent("top_p", topP)
        if let userID { object.set("metadata", ["user_id": .string(userID)]) }
        if stream { object.set("stream", true) }
        return .object(object)
    }
}

extension AnthropicMessagesRequest.Message {
    /// The content as blocks, also when it was a plain string.
    var contentBlocks: [JSON] {
        if let plainText { return [["type": "text", "text": .string(plainText)]] }
        return blocks
    }
}
