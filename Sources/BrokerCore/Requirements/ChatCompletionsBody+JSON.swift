import ExactJSON

/// Reads the routing-relevant parts of a chat-completions body from an already parsed
/// ``JSON`` tree: one pass, no `Decoder` machinery (this runs on every request), and the
/// same field paths and messages the request's author sees in a 400.
extension ChatCompletionsBody {
    init(json: JSON) throws(RequestError) {
        guard case .object(let body) = json else { throw RequestError(field: nil, message: "must be an object") }
        model = try Self.optionalString(body["model"], "model")
        guard let messagesValue = body["messages"] else { throw RequestError(field: "messages", message: "is required") }
        guard case .array(let items) = messagesValue else { throw RequestError(field: "messages", message: "must be an array") }
        var messages: [Message] = []
        messages.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            messages.append(try Message(json: item, index: index))
        }
        self.messages = messages
        tools = try Self.optionalArray(body["tools"], "tools")
        functions = try Self.optionalArray(body["functions"], "functions")
        if let format = body["response_format"], !format.isNull {
            guard case .object(let fields) = format else { throw RequestError(field: "response_format", message: "must be an object") }
            guard let type = fields["type"], !type.isNull else { throw RequestError(field: "response_format.type", message: "is required") }
            guard case .string(let text) = type else { throw RequestError(field: "response_format.type", message: "must be a string") }
            responseFormat = ResponseFormat(type: text, jsonSchema: fields["json_schema"].flatMap { $0.isNull ? nil : $0 })
        } else {
            responseFormat = nil
        }
        switch body["stream"] {
        case nil, .null?: stream = nil
        case .bool(let value)?: stream = value
        default: throw RequestError(field: "stream", message: "must be true or false")
        }
        maxTokens = try Self.optionalInteger(body["max_tokens"], "max_tokens")
        maxCompletionTokens = try Self.optionalInteger(body["max_completion_tokens"], "max_completion_tokens")
        reasoningEffort = try Self.optionalString(body["reasoning_effort"], "reasoning_effort")
    }

    static func optionalString(_ value: JSON?, _ field: String) throws(RequestError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw RequestError(field: field, message: "must be a string")
        }
    }

    static func optionalArray(_ value: JSON?, _ field: String) throws(RequestError) -> [JSON]? {
        switch value {
        case nil, .null?: return nil
        case .array(let items)?: return items
        default: throw RequestError(field: field, message: "must be an array")
        }
    }

    /// An integer written as one (`10`, not `10.0`, `1e3` or `"10"`) that fits in `Int`.
    static func optionalInteger(_ value: JSON?, _ field: String) throws(RequestError) -> Int? {
        switch value {
        case nil, .null?: return nil
        case .number(let text)?:
            guard let integer = Int(text) else {
                let digits = text.drop { $0 == "-" }
                let written = !digits.isEmpty && digits.allSatisfy(\.isNumber)
                throw RequestError(field: field, message: written ? "must be an integer that fits in 64 bits" : "must be an integer")
            }
            return integer
        default: throw RequestError(field: field, message: "must be an integer")
        }
    }
}

extension ChatCompletionsBody.Message {
    /// `messages[index]`; the field paths of errors are only built when one is thrown.
    init(json: JSON, index: Int) throws(RequestError) {
        func path(_ suffix: String = "") -> String { "messages[\(index)]" + suffix }
        guard case .object(let fields) = json else { throw RequestError(field: path(), message: "must be an object") }
        guard let roleValue = fields["role"], !roleValue.isNull else { throw RequestError(field: path(".role"), message: "is required") }
        guard case .string(let role) = roleValue else { throw RequestError(field: path(".role"), message: "must be a string") }
        self.role = role
        switch fields["content"] {
        case nil, .null?:
            content = nil
        case .string(let text)?:
            content = .text(text)
        case .array(let items)?:
            var parts: [ChatCompletionsBody.Part] = []
            for (index, item) in items.enumerated() {
                func partPath(_ suffix: String = "") -> String { path(".content[\(index)]" + suffix) }
                guard case .object(let part) = item else { throw RequestError(field: partPath(), message: "must be an object") }
                guard let type = part["type"], !type.isNull else { throw RequestError(field: partPath(".type"), message: "is required") }
                guard case .string(let typeText) = type else { throw RequestError(field: partPath(".type"), message: "must be a string") }
                let text: String?
                switch part["text"] {
                case nil, .null?: text = nil
                case .string(let value)?: text = value
                default: throw RequestError(field: partPath(".text"), message: "must be a string")
                }
                parts.append(ChatCompletionsBody.Part(type: typeText, text: text))
            }
            content = .parts(parts)
        default:
            throw RequestError(field: path(".content"), message: "must be a string or an array of parts")
        }
        toolCalls = fields["tool_calls"].flatMap { $0.isNull ? nil : $0 }
    }
}

extension JSON {
    /// Estimated tokens of this value's text, for the parts of a request the router only
    /// measures (tools, schemas, tool calls): keys, strings and numbers.
    var estimatedTokens: Int {
        switch self {
        case .null, .bool: 1
        case .number(let text): TokenEstimator.tokens(in: text)
        case .string(let text): TokenEstimator.tokens(in: text)
        case .array(let items): items.reduce(1) { $0 + $1.estimatedTokens }
        case .object(let object): object.members.reduce(1) { $0 + TokenEstimator.tokens(in: $1.key) + $1.value.estimatedTokens }
        }
    }
}
