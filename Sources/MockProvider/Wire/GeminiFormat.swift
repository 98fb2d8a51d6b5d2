import Foundation

/// Google's Gemini format (`POST /v1beta/models/{model}:generateContent` and
/// `:streamGenerateContent`): `GenerateContentResponse` objects with `candidates`,
/// `usageMetadata`; a stream is one such object per event, as `data:` lines with
/// `?alt=sse`, else as one JSON array. Requests may spell fields in camelCase or
/// snake_case, as the API accepts both.
struct GeminiFormat: WireFormat {
    /// The path asked for `:streamGenerateContent`.
    var streaming = false
    /// The query asked for `alt=sse` (otherwise a stream is a JSON array).
    var serverSentEvents = true

    var streamContentType: String { serverSentEvents ? "text/event-stream" : "application/json" }

    func parse(body: Data, modelInPath: String?) throws(MockRequestError) -> ChatRequest {
        let root = try decodeRequest(JSONValue.self, from: body)
        guard case .object = root else { throw MockRequestError("Invalid JSON payload received. Expected an object.") }
        guard let contents = field(root, "contents")?.arrayValue, !contents.isEmpty else {
            throw MockRequestError("* GenerateContentRequest.contents: contents is not specified")
        }
        var request = ChatRequest(model: modelInPath ?? "")
        request.stream = streaming
        let lastUser = contents.last { ($0["role"]?.stringValue ?? "user") == "user" }
        request.lastUserText = lastUser.flatMap { field($0, "parts") }?.contentText ?? ""
        for tool in field(root, "tools")?.arrayValue ?? [] {
            for declaration in field(tool, "functionDeclarations", "function_declarations")?.arrayValue ?? [] {
                guard let name = declaration["name"]?.stringValue else { continue }
                let schema = field(declaration, "parameters") ?? field(declaration, "parametersJsonSchema", "parameters_json_schema")
                request.tools.append(ChatRequest.Tool(name: name, parameters: schema))
            }
        }
        let calling = field(root, "toolConfig", "tool_config").flatMap { field($0, "functionCallingConfig", "function_calling_config") }
        switch calling?["mode"]?.stringValue {
        case "NONE": request.toolChoice = .none
        case "ANY":
            let allowed = calling.flatMap { field($0, "allowedFunctionNames", "allowed_function_names") }?.arrayValue
            request.toolChoice = .required(allowed?.first?.stringValue)
        default: request.toolChoice = .auto
        }
        let generation = field(root, "generationConfig", "generation_config")
        if case .int(let cap) = generation.flatMap({ field($0, "maxOutputTokens", "max_output_tokens") }) {
            request.maxTokens = cap
        }
        request.promptTokens = ChatRequest.estimatePromptTokens(bodyBytes: body.count)
        return request
    }

    func response(to request: ChatRequest, answer: MockAnswer, id: Int, created: Int) -> JSONValue {
        let part: JSONValue =
            switch answer.content {
            case .text: ["text": .string(answer.text)]
            case .toolCall(let call): ["functionCall": ["name": .string(call.name), "args": call.arguments]]
            }
        return chunk(request, answer, id: id, parts: [part], finished: true, candidatesTokens: answer.completionTokens)
    }

    func stream(to request: ChatRequest, answer: MockAnswer, id: Int, created: Int) -> [StreamEvent] {
        var chunks: [(JSONValue, tokens: Int)] = []
        switch answer.content {
        case .text:
            let groups = answer.tokenGroups.isEmpty ? [""] : answer.tokenGroups
            var sent = 0
            for (index, piece) in groups.enumerated() {
                let tokens = piece.isEmpty ? 0 : answer.tokensInGroup(index)
                sent += tokens
                let last = index == groups.count - 1
                chunks.append((chunk(request, answer, id: id, parts: [["text": .string(piece)]], finished: last, candidatesTokens: sent), tokens))
            }
        case .toolCall:
            // Gemini sends a function call whole, in one chunk.
            chunks.append((response(to: request, answer: answer, id: id, created: created), 1))
        }
        if serverSentEvents {
            return chunks.map { .sse($0.0, tokens: $0.tokens, separator: "\r\n") }
        }
        var events = chunks.enumerated().map { index, chunk in
            StreamEvent(text: (index == 0 ? "[" : ",\r\n") + chunk.0.serialized(), tokens: chunk.tokens)
        }
        events.append(StreamEvent(text: "]"))
        return events
    }

    func error(_ failure: MockFailure) -> (status: Int, body: JSONValue) {
        var details: [JSONValue] = []
        let (status, message, code): (Int, String, String) =
            switch failure {
            case .injected(.serverError, _), .injected(.malformedJSON, _):
                (500, "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting", "INTERNAL")
            case .injected(.overloaded, _): (503, "The model is overloaded. Please try again later.", "UNAVAILABLE")
            case .injected(.rateLimited, _): (429, "Resource has been exhausted (e.g. check quota).", "RESOURCE_EXHAUSTED")
            case .invalidRequest(let message): (400, message, "INVALID_ARGUMENT")
            case .unauthorized: (401, "API key not valid. Please pass a valid API key.", "UNAUTHENTICATED")
            case .tooLarge(let limit): (400, "Request payload size exceeds the limit: \(limit) bytes.", "INVALID_ARGUMENT")
            }
        if case .injected(.rateLimited, let seconds) = failure {
            details.append(["@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": .string("\(seconds)s")])
        }
        var error: [(String, JSONValue)] = [("code", .int(status)), ("message", .string(message)), ("status", .string(code))]
        if !details.isEmpty { error.append(("details", .array(details))) }
        return (status, ["error": .object(error)])
    }

    private func chunk(_ request: ChatRequest, _ answer: MockAnswer, id: Int, parts: [JSONValue], finished: Bool, candidatesTokens: Int) -> JSONValue {
        var candidate: [(String, JSONValue)] = [("content", ["parts": .array(parts), "role": "model"])]
        if finished { candidate.append(("finishReason", answer.finish == .length ? "MAX_TOKENS" : "STOP")) }
        candidate.append(("index", 0))
        return [
            "candidates": [.object(candidate)],
            "usageMetadata": [
                "promptTokenCount": .int(answer.promptTokens),
                "candidatesTokenCount": .int(candidatesTokens),
                "totalTokenCount": .int(answer.promptTokens + candidatesTokens),
                "promptTokensDetails": [["modality": "TEXT", "tokenCount": .int(answer.promptTokens)]],
            ],
            "modelVersion": .string(request.model),
            "responseId": .string("mock\(id)"),
        ]
    }

    /// `value`'s field under the first of `names` present.
    private func field(_ value: JSONValue, _ names: String...) -> JSONValue? {
        names.lazy.compactMap { value[$0] }.first
    }
}
