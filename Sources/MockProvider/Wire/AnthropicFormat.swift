import Foundation

/// Anthropic's Messages format (`POST /v1/messages`): `message` objects and the SSE stream
/// `message_start`, `content_block_start`, `ping`, `content_block_delta` (`text_delta`, or
/// `input_json_delta` for `tool_use`), `content_block_stop`, `message_delta` with the
/// usage, `message_stop`. Overload is 529 `overloaded_error`.
struct AnthropicFormat: WireFormat {
    private struct Request: Decodable {
        struct Message: Decodable {
            var role: String?
            var content: JSONValue?
        }

        struct Tool: Decodable {
            var name: String
            var input_schema: JSONValue?
        }

        struct ToolChoice: Decodable {
            var type: String
            var name: String?
        }

        var model: String?
        var messages: [Message]?
        var max_tokens: Int?
        var stream: Bool?
        var tools: [Tool]?
        var tool_choice: ToolChoice?
    }

    func parse(body: Data, modelInPath: String?) throws(MockRequestError) -> ChatRequest {
        let decoded = try decodeRequest(Request.self, from: body)
        guard let model = decoded.model, !model.isEmpty else { throw MockRequestError("model: Field required") }
        guard let messages = decoded.messages, !messages.isEmpty else { throw MockRequestError("messages: Field required") }
        // Anthropic, unlike the others, requires the cap; so does the mock, to catch a gateway that forgets it.
        guard let maxTokens = decoded.max_tokens else { throw MockRequestError("max_tokens: Field required") }
        var request = ChatRequest(model: model)
        request.stream = decoded.stream ?? false
        request.tools = (decoded.tools ?? []).map { ChatRequest.Tool(name: $0.name, parameters: $0.input_schema) }
        request.toolChoice =
            switch decoded.tool_choice?.type {
            case "none": .none
            case "any": .required(nil)
            case "tool": .required(decoded.tool_choice?.name)
            default: .auto
            }
        request.lastUserText = messages.last { $0.role == "user" }?.content?.contentText ?? ""
        request.maxTokens = maxTokens
        request.promptTokens = ChatRequest.estimatePromptTokens(bodyBytes: body.count)
        return request
    }

    func response(to request: ChatRequest, answer: MockAnswer, id: Int, created: Int) -> JSONValue {
        let block: JSONValue =
            switch answer.content {
            case .text: ["type": "text", "text": .string(answer.text)]
            case .toolCall(let call):
                ["type": "tool_use", "id": .string("toolu_mock\(id)"), "name": .string(call.name), "input": call.arguments]
            }
        return message(request, id: id, content: [block], stopReason: stopReason(answer.finish), usage: usage(answer, outputTokens: answer.completionTokens))
    }

    func stream(to request: ChatRequest, answer: MockAnswer, id: Int, created: Int) -> [StreamEvent] {
        func event(_ name: String, _ data: JSONValue, tokens: Int = 0) -> StreamEvent {
            .sse(data, event: name, tokens: tokens)
        }
        // Like the API, message_start reports one output token; message_delta has the total.
        let start = message(request, id: id, content: [], stopReason: nil, usage: usage(answer, outputTokens: 1))
        var events = [event("message_start", ["type": "message_start", "message": start])]
        switch answer.content {
        case .text:
            events.append(event("content_block_start", ["type": "content_block_start", "index": 0, "content_block": ["type": "text", "text": ""]]))
            events.append(event("ping", ["type": "ping"]))
            for (index, piece) in answer.tokenGroups.enumerated() {
                let delta: JSONValue = ["type": "text_delta", "text": .string(piece)]
                events.append(event("content_block_delta", ["type": "content_block_delta", "index": 0, "delta": delta], tokens: answer.tokensInGroup(index)))
            }
        case .toolCall(let call):
            let block: JSONValue = ["type": "tool_use", "id": .string("toolu_mock\(id)"), "name": .string(call.name), "input": [:]]
            events.append(event("content_block_start", ["type": "content_block_start", "index": 0, "content_block": block]))
            events.append(event("ping", ["type": "ping"]))
            for piece in call.argumentChunks {
                let delta: JSONValue = ["type": "input_json_delta", "partial_json": .string(piece)]
                events.append(event("content_block_delta", ["type": "content_block_delta", "index": 0, "delta": delta], tokens: 1))
            }
        }
        events.append(event("content_block_stop", ["type": "content_block_stop", "index": 0]))
        events.append(
            event(
                "message_delta",
                [
                    "type": "message_delta", "delta": ["stop_reason": stopReason(answer.finish), "stop_sequence": nil],
                    "usage": ["output_tokens": .int(answer.completionTokens)],
                ]))
        events.append(event("message_stop", ["type": "message_stop"]))
        return events
    }

    func error(_ failure: MockFailure) -> (status: Int, body: JSONValue) {
        let (status, type, message): (Int, String, String) =
            switch failure {
            case .injected(.serverError, _), .injected(.malformedJSON, _): (500, "api_error", "Internal server error")
            case .injected(.overloaded, _): (529, "overloaded_error", "Overloaded")
            case .injected(.rateLimited, _): (429, "rate_limit_error", "Number of requests has exceeded your rate limit.")
            case .invalidRequest(let message): (400, "invalid_request_error", message)
            case .unauthorized: (401, "authentication_error", "invalid x-api-key")
            case .tooLarge(let limit): (413, "request_too_large", "Request exceeds the maximum allowed number of bytes (\(limit)).")
            }
        return (status, ["type": "error", "error": ["type": .string(type), "message": .string(message)]])
    }

    private func message(_ request: ChatRequest, id: Int, content: [JSONValue], stopReason: JSONValue, usage: JSONValue) -> JSONValue {
        [
            "id": .string("msg_mock\(id)"),
            "type": "message",
            "role": "assistant",
            "model": .string(request.model),
            "content": .array(content),
            "stop_reason": stopReason,
            "stop_sequence": nil,
            "usage": usage,
        ]
    }

    private func usage(_ answer: MockAnswer, outputTokens: Int) -> JSONValue {
        [
            "input_tokens": .int(answer.promptTokens),
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
            "output_tokens": .int(outputTokens),
            "service_tier": "standard",
        ]
    }

    private func stopReason(_ finish: MockAnswer.Finish) -> JSONValue {
        switch finish {
        case .stop: "end_turn"
        case .length: "max_tokens"
        case .toolCall: "tool_use"
        }
    }
}
