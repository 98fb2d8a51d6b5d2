import Foundation

/// OpenAI's Chat Completions format (`POST /v1/chat/completions`): `chat.completion`
/// objects, `chat.completion.chunk` streams ending in `data: [DONE]`, with a final
/// usage-only chunk when the request sets `stream_options.include_usage`.
struct OpenAIFormat: WireFormat {
    private struct Request: Decodable {
        struct Message: Decodable {
            var role: String?
            var content: JSONValue?
        }

        struct Tool: Decodable {
            struct Function: Decodable {
                var name: String
                var parameters: JSONValue?
            }

            var function: Function?
        }

        struct StreamOptions: Decodable {
            var include_usage: Bool?
        }

        var model: String?
        var messages: [Message]?
        var stream: Bool?
        var stream_options: StreamOptions?
        var tools: [Tool]?
        var tool_choice: JSONValue?
        var max_tokens: Int?
        var max_completion_tokens: Int?
    }

    func parse(body: Data, modelInPath: String?) throws(MockRequestError) -> ChatRequest {
        let decoded = try decodeRequest(Request.self, from: body)
        guard let model = decoded.model, !model.isEmpty else {
            throw MockRequestError("you must provide a model parameter")
        }
        guard let messages = decoded.messages, !messages.isEmpty else {
            throw MockRequestError("Missing required parameter: 'messages'.")
        }
        var request = ChatRequest(model: model)
        request.stream = decoded.stream ?? false
        request.includeUsage = decoded.stream_options?.include_usage ?? false
        request.tools = (decoded.tools ?? []).compactMap { tool in
            tool.function.map { ChatRequest.Tool(name: $0.name, parameters: $0.parameters) }
        }
        request.toolChoice =
            switch decoded.tool_choice {
            case .string("none"): .none
            case .string("required"): .required(nil)
            case .object: .required(decoded.tool_choice?["function"]?["name"]?.stringValue)
            default: .auto
            }
        request.lastUserText = messages.last { $0.role == "user" }?.content?.contentText ?? ""
        request.maxTokens = decoded.max_completion_tokens ?? decoded.max_tokens
        request.promptTokens = ChatRequest.estimatePromptTokens(bodyBytes: body.count)
        return request
    }

    func response(to request: ChatRequest, answer: MockAnswer, id: Int, created: Int) -> JSONValue {
        let message: JSONValue =
            switch answer.content {
            case .text:
                ["role": "assistant", "content": .string(answer.text), "refusal": nil, "annotations": []]
            case .toolCall(let call):
                [
                    "role": "assistant", "content": nil,
                    "tool_calls": [
                        ["id": .string("call_mock\(id)"), "type": "function", "function": ["name": .string(call.name), "arguments": .string(call.argumentsText)]]
                    ],
                    "refusal": nil, "annotations": [],
                ]
            }
        return [
            "id": .string("chatcmpl-mock\(id)"),
            "object": "chat.completion",
            "created": .int(created),
            "model": .string(request.model),
            "choices": [["index": 0, "message": message, "logprobs": nil, "finish_reason": finishReason(answer.finish)]],
            "usage": usage(answer),
            "service_tier": "default",
            "system_fingerprint": "fp_mock",
        ]
    }

    func stream(to request: ChatRequest, answer: MockAnswer, id: Int, created: Int) -> [StreamEvent] {
        func chunk(_ delta: JSONValue, finish: JSONValue = nil, tokens: Int = 0) -> StreamEvent {
            let choice: JSONValue = ["index": 0, "delta": delta, "logprobs": nil, "finish_reason": finish]
            return .sse(chunkObject(request, id: id, created: created, choices: [choice], usage: request.includeUsage ? .null : nil), tokens: tokens)
        }
        var events: [StreamEvent] = []
        switch answer.content {
        case .text:
            events.append(chunk(["role": "assistant", "content": "", "refusal": nil]))
            for (index, piece) in answer.tokenGroups.enumerated() {
                events.append(chunk(["content": .string(piece)], tokens: answer.tokensInGroup(index)))
            }
        case .toolCall(let call):
            let opening: JSONValue = [
                "index": 0, "id": .string("call_mock\(id)"), "type": "function",
                "function": ["name": .string(call.name), "arguments": ""],
            ]
            events.append(chunk(["role": "assistant", "content": nil, "tool_calls": [opening], "refusal": nil]))
            for piece in call.argumentChunks {
                events.append(chunk(["tool_calls": [["index": 0, "function": ["arguments": .string(piece)]]]], tokens: 1))
            }
        }
        events.append(chunk([:], finish: finishReason(answer.finish)))
        if request.includeUsage {
            events.append(.sse(chunkObject(request, id: id, created: created, choices: [], usage: usage(answer))))
        }
        events.append(StreamEvent(text: "data: [DONE]\n\n"))
        return events
    }

    func error(_ failure: MockFailure) -> (status: Int, body: JSONValue) {
        let (status, message, type, code): (Int, String, String, String?) =
            switch failure {
            case .injected(.serverError, _), .injected(.malformedJSON, _):
                (500, "The server had an error while processing your request. Sorry about that!", "server_error", nil)
            case .injected(.overloaded, _):
                (503, "The engine is currently overloaded, please try again later.", "server_error", nil)
            case .injected(.rateLimited, let seconds):
                (429, "Rate limit reached for requests. Please try again in \(seconds)s.", "requests", "rate_limit_exceeded")
            case .invalidRequest(let message):
                (400, message, "invalid_request_error", nil)
            case .unauthorized:
                (401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key")
            case .tooLarge(let limit):
                (413, "Request body exceeds the limit of \(limit) bytes.", "invalid_request_error", nil)
            }
        return (status, ["error": ["message": .string(message), "type": .string(type), "param": nil, "code": code.map(JSONValue.string) ?? nil]])
    }

    private func chunkObject(_ request: ChatRequest, id: Int, created: Int, choices: [JSONValue], usage: JSONValue?) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("id", .string("chatcmpl-mock\(id)")),
            ("object", "chat.completion.chunk"),
            ("created", .int(created)),
            ("model", .string(request.model)),
            ("service_tier", "default"),
            ("system_fingerprint", "fp_mock"),
            ("choices", .array(choices)),
        ]
        if let usage { fields.append(("usage", usage)) }
        return .object(fields)
    }

    private func usage(_ answer: MockAnswer) -> JSONValue {
        [
            "prompt_tokens": .int(answer.promptTokens),
            "completion_tokens": .int(answer.completionTokens),
            "total_tokens": .int(answer.totalTokens),
            "prompt_tokens_details": ["cached_tokens": 0, "audio_tokens": 0],
            "completion_tokens_details": [
                "reasoning_tokens": 0, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0,
            ],
        ]
    }

    private func finishReason(_ finish: MockAnswer.Finish) -> JSONValue {
        switch finish {
        case .stop: "stop"
        case .length: "length"
        case .toolCall: "tool_calls"
        }
    }
}
