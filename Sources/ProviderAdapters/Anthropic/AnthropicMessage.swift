import ExactJSON
/// An Anthropic `message` object — a complete response — read into what OpenAI's shape needs.
struct AnthropicMessage: Sendable {
    var id: String
    var model: String
    var text: String?
    var toolCalls: [OpenAIToolCall]
    var stopReason: String?
    var usage: Usage

    init(_ object: JSONObject) throws(JSONShapeError) {
        guard try object.optionalString("type") ?? "message" == "message" else {
            throw JSONShapeError(description: "`type` is not `message`")
        }
        id = try object.string("id")
        model = try object.optionalString("model") ?? ""
        var texts: [String] = []
        toolCalls = []
        for block in try object.objects("content") {
            switch try block.string("type") {
            case "text": texts.append(try block.string("text"))
            case "tool_use":
                let input = try block.required("input")
                guard input.objectValue != nil else { throw JSONShapeError(description: "tool_use `input` must be an object") }
                toolCalls.append(OpenAIToolCall(id: try block.string("id"), name: try block.string("name"),
                                                arguments: JSONWriter.string(input)))
            default: continue  // thinking, redacted_thinking, server tool blocks: nothing OpenAI can show
            }
        }
        text = texts.isEmpty ? nil : texts.joined()
        stopReason = try object.optionalString("stop_reason")
        usage = try Self.usage(try object.object("usage"))
    }

    /// Anthropic counts cache reads and cache writes apart from `input_tokens`; OpenAI's
    /// `prompt_tokens` is all of them, with the cache reads as the cached subset.
    static func usage(_ usage: JSONObject, base: Usage? = nil) throws(JSONShapeError) -> Usage {
        let input = try usage.optionalTokenCount("input_tokens")
        let cacheWrite = try usage.optionalTokenCount("cache_creation_input_tokens")
        let cacheRead = try usage.optionalTokenCount("cache_read_input_tokens")
        let output = try usage.optionalTokenCount("output_tokens")
        var result = base ?? Usage(promptTokens: 0, completionTokens: 0)
        if input != nil || cacheWrite != nil || cacheRead != nil {
            result.promptTokens = (input ?? 0) + (cacheWrite ?? 0) + (cacheRead ?? 0)
            result.cachedPromptTokens = cacheRead ?? 0
        }
        if let output { result.completionTokens = output }
        return result
    }

    /// `stop_reason` as an OpenAI `finish_reason`.
    static func finishReason(_ stopReason: String?) -> OpenAIOutput.FinishReason? {
        switch stopReason {
        case nil: nil
        case "max_tokens", "model_context_window_exceeded": .length
        case "tool_use": .toolCalls
        case "refusal": .contentFilter
        default: .stop  // end_turn, stop_sequence, pause_turn
        }
    }

    func completion(created: Int) -> JSON {
        OpenAIOutput.completion(
            id: id, created: created, model: model,
            choices: [.init(index: 0, text: text, toolCalls: toolCalls, finishReason: Self.finishReason(stopReason))],
            usage: usage)
    }
}
