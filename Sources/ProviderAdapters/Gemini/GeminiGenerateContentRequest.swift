import ExactJSON
/// A Gemini `generateContent` request, built from an OpenAI chat request.
///
/// Gemini's turns are `user` and `model`, the system prompt is `systemInstruction`, tool calls
/// are `functionCall` parts with JSON `args`, and tool results are `functionResponse` parts
/// that name the function — Gemini has no call ids, so each result is matched to its call's
/// function name through the assistant turn that made the call.
struct GeminiGenerateContentRequest: Sendable {
    struct Content: Sendable {
        var role: String
        var parts: [JSON]
    }

    var contents: [Content] = []
    var systemTexts: [String]
    var functionDeclarations: [JSON]
    var toolConfig: JSON?
    var generationConfig = JSONObject()

    init(_ request: OpenAIChatRequest) throws(JSONShapeError) {
        systemTexts = request.systemTexts
        functionDeclarations = request.tools.map { tool in
            var object: JSONObject = ["name": .string(tool.name)]
            object.setIfPresent("description", tool.description.map(JSON.string))
            // OpenAI parameters are JSON Schema, which `parametersJsonSchema` takes as is;
            // `parameters` takes only the OpenAPI subset.
            object.setIfPresent("parametersJsonSchema", tool.parameters)
            return .object(object)
        }
        toolConfig = Self.toolConfig(request.toolChoice)
        try buildGenerationConfig(request)
        let names = request.toolNamesByCallID
        for message in request.messages {
            switch message.role {
            case .system, .developer: continue
            case .user: append(Content(role: "user", parts: Self.parts(message.content)))
            case .assistant:
                var parts: [JSON] = message.text.isEmpty ? [] : [["text": .string(message.text)]]
                for call in message.toolCalls {
                    parts.append(["functionCall": ["name": .string(call.name), "args": try call.argumentsObject()]])
                }
                if !parts.isEmpty { append(Content(role: "model", parts: parts)) }
            case .tool:
                let id = message.toolCallID ?? ""
                guard let name = names[id] else {
                    throw JSONShapeError(description: "tool result `\(id)` answers no tool call in the conversation")
                }
                append(Content(role: "user", parts: [
                    ["functionResponse": ["name": .string(name), "response": Self.functionResponse(message.text)]],
                ]))
            }
        }
        guard !contents.isEmpty else { throw JSONShapeError(description: "no user or assistant messages to send") }
    }

    /// Same-role turns are merged: the results of parallel calls must share one turn. In
    /// place: a copy of the last turn held while appending would copy its parts each time,
    /// quadratic in a run of same-role messages.
    private mutating func append(_ content: Content) {
        if contents.last?.role == content.role {
            contents[contents.count - 1].parts.append(contentsOf: content.parts)
        } else {
            contents.append(content)
        }
    }

    /// A tool's output as the `response` object Gemini requires: a JSON object as it is,
    /// anything else under `result`.
    private static func functionResponse(_ text: String) -> JSON {
        if let value = try? JSONParser.parse(Array(text.utf8)), value.objectValue != nil { return value }
        return ["result": .string(text)]
    }

    private static func parts(_ content: [OpenAIContentPart]) -> [JSON] {
        content.map { part in
            switch part {
            case .text(let text): return ["text": .string(text)]
            case .image(let url):
                if let data = DataURL(url) {
                    return ["inlineData": ["mimeType": .string(data.mediaType), "data": .string(data.base64)]]
                }
                return ["fileData": ["mimeType": .string(imageType(of: url)), "fileUri": .string(url)]]
            }
        }
    }

    /// Gemini wants a MIME type with every file; OpenAI image URLs carry none, so it is read
    /// from the path's extension.
    static func imageType(of url: String) -> String {
        let path = url.split(separator: "?").first.map(String.init) ?? url
        switch path.split(separator: ".").last?.lowercased() {
        case "png": return "image/png"
        case "webp": return "image/webp"
        case "gif": return "image/gif"
        case "heic": return "image/heic"
        case "heif": return "image/heif"
        default: return "image/jpeg"
        }
    }

    private static func toolConfig(_ choice: OpenAIToolChoice?) -> JSON? {
        let config: JSON
        switch choice {
        case nil: return nil
        case .auto?: config = ["mode": "AUTO"]
        case .none?: config = ["mode": "NONE"]
        case .required?: config = ["mode": "ANY"]
        case .function(let name)?: config = ["mode": "ANY", "allowedFunctionNames": [.string(name)]]
        }
        return ["functionCallingConfig": config]
    }

    private mutating func buildGenerationConfig(_ request: OpenAIChatRequest) throws(JSONShapeError) {
        if !request.stop.isEmpty { generationConfig.set("stopSequences", .array(request.stop.map(JSON.string))) }
        generationConfig.setIfPresent("maxOutputTokens", request.maxTokens.map(JSON.int))
        generationConfig.setIfPresent("temperature", request.temperature)
        generationConfig.setIfPresent("topP", request.topP)
        generationConfig.setIfPresent("candidateCount", request.n.map(JSON.int))
        generationConfig.setIfPresent("seed", request.seed.map(JSON.int))
        generationConfig.setIfPresent("presencePenalty", request.presencePenalty)
        generationConfig.setIfPresent("frequencyPenalty", request.frequencyPenalty)
        switch request.responseFormat {
        case nil, .text?: break
        case .jsonObject?: generationConfig.set("responseMimeType", "application/json")
        case .jsonSchema(_, let schema)?:
            generationConfig.set("responseMimeType", "application/json")
            generationConfig.set("responseJsonSchema", schema)
        }
    }

    var json: JSON {
        var object: JSONObject = [
            "contents": .array(contents.map { ["role": .string($0.role), "parts": .array($0.parts)] }),
        ]
        if !systemTexts.isEmpty {
            object.set("systemInstruction", ["parts": .array(systemTexts.map { ["text": .string($0)] })])
        }
        if !functionDeclarations.isEmpty { object.set("tools", [["functionDeclarations": .array(functionDeclarations)]]) }
        object.setIfPresent("toolConfig", toolConfig)
        if !generationConfig.isEmpty { object.set("generationConfig", .object(generationConfig)) }
        return .object(object)
    }
}
