import struct Foundation.Data
import ExactJSON

/// The parts of an OpenAI chat-completions request that other wire formats can express,
/// read into types. Anything the translation would have to guess at is a `badRequest` here,
/// naming the field, rather than a silently different request upstream.
struct OpenAIChatRequest: Sendable {
    var messages: [OpenAIMessage]
    var tools: [OpenAITool]
    var toolChoice: OpenAIToolChoice?
    var parallelToolCalls: Bool?
    /// `max_completion_tokens`, else the older `max_tokens`.
    var maxTokens: Int?
    var stop: [String]
    /// Sampling numbers keep their JSON text, so `0.7` reaches the provider as `0.7`.
    var temperature: JSON?
    var topP: JSON?
    var presencePenalty: JSON?
    var frequencyPenalty: JSON?
    var seed: Int?
    var n: Int?
    var responseFormat: OpenAIResponseFormat?
    var user: String?

    init(json parsed: JSON) throws(UpstreamError) {
        guard let object = parsed.objectValue else { throw .badRequest("the request body is not a JSON object") }
        do {
            try self.init(object: object)
        } catch {
            throw .badRequest("request: \(error)")
        }
    }

    init(object: JSONObject) throws(JSONShapeError) {
        messages = try object.objects("messages").map { message throws(JSONShapeError) in try OpenAIMessage(message) }
        guard !messages.isEmpty else { throw JSONShapeError(description: "`messages` is empty") }
        tools = try object.objects("tools").map { tool throws(JSONShapeError) in try OpenAITool(tool) }
        toolChoice = try object["tool_choice"].flatMap { value throws(JSONShapeError) in try OpenAIToolChoice(value) }
        parallelToolCalls = try object.optionalBool("parallel_tool_calls")
        let legacyMaxTokens = try object.optionalInt("max_tokens")
        maxTokens = try object.optionalInt("max_completion_tokens") ?? legacyMaxTokens
        switch object["stop"] {
        case nil, .null?: stop = []
        case .string(let text)?: stop = [text]
        case .array(let items)?:
            stop = try items.map { item throws(JSONShapeError) in
                guard let text = item.stringValue else { throw JSONShapeError(description: "`stop` must hold strings") }
                return text
            }
        default: throw JSONShapeError(description: "`stop` must be a string or an array of strings")
        }
        temperature = try Self.number(object, "temperature")
        topP = try Self.number(object, "top_p")
        presencePenalty = try Self.number(object, "presence_penalty")
        frequencyPenalty = try Self.number(object, "frequency_penalty")
        seed = try object.optionalInt("seed")
        n = try object.optionalInt("n")
        responseFormat = try object.optionalObject("response_format").map { format throws(JSONShapeError) in
            try OpenAIResponseFormat(format)
        }
        user = try object.optionalString("user")
    }

    private static func number(_ object: JSONObject, _ key: String) throws(JSONShapeError) -> JSON? {
        switch object[key] {
        case nil, .null?: return nil
        case .number(let text)?: return .number(text)
        default: throw JSONShapeError(description: "`\(key)` must be a number")
        }
    }

    /// The system and developer messages' text, in order; the other formats take it apart
    /// from the conversation.
    var systemTexts: [String] {
        messages.filter { $0.role == .system || $0.role == .developer }.map(\.text).filter { !$0.isEmpty }
    }

    /// The function name of every tool call id the assistant has made, for formats that
    /// answer tool results by name.
    var toolNamesByCallID: [String: String] {
        var names: [String: String] = [:]
        for message in messages { for call in message.toolCalls { names[call.id] = call.name } }
        return names
    }
}

/// `tool_choice`: which tools the model may or must call.
enum OpenAIToolChoice: Sendable, Equatable {
    case auto
    case none
    case required
    case function(String)

    init(_ value: JSON) throws(JSONShapeError) {
        switch value {
        case .string("auto"): self = .auto
        case .string("none"): self = .none
        case .string("required"): self = .required
        case .object(let object):
            guard let function = try object.optionalObject("function") else {
                throw JSONShapeError(description: "`tool_choice` object needs a `function`")
            }
            self = .function(try function.string("name"))
        default: throw JSONShapeError(description: "`tool_choice` must be auto, none, required or a function")
        }
    }
}

/// `response_format`: free text, any JSON object, or JSON matching a schema.
enum OpenAIResponseFormat: Sendable, Equatable {
    case text
    case jsonObject
    case jsonSchema(name: String?, schema: JSON)

    init(_ object: JSONObject) throws(JSONShapeError) {
        switch try object.string("type") {
        case "text": self = .text
        case "json_object": self = .jsonObject
        case "json_schema":
            let definition = try object.object("json_schema")
            self = .jsonSchema(name: try definition.optionalString("name"), schema: definition["schema"] ?? [:])
        case let other: throw JSONShapeError(description: "`response_format` type `\(other)` is not supported")
        }
    }
}

/// A function the model may call.
struct OpenAITool: Sendable, Equatable {
    var name: String
    var description: String?
    /// A JSON Schema for the arguments object; nil when the function takes none.
    var parameters: JSON?

    init(_ object: JSONObject) throws(JSONShapeError) {
        let type = try object.optionalString("type") ?? "function"
        guard type == "function" else { throw JSONShapeError(description: "tool type `\(type)` is not supported") }
        let function = try object.object("function")
        name = try function.string("name")
        description = try function.optionalString("description")
        parameters = try function.optionalObject("parameters").map(JSON.object)
    }
}
