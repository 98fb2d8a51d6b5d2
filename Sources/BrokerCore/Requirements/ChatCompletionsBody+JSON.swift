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
        try Self.checkOpenAIFields(body)
    }

    /// The rest of OpenAI's request fields, checked here for every request: a body forwarded
    /// as it came to an OpenAI-compatible provider was otherwise checked only by whichever
    /// provider it was routed to, and a translating adapter refused it without naming the
    /// field. Types and OpenAI's documented ranges; what a provider supports is its own.
    static func checkOpenAIFields(_ body: JSONObject) throws(RequestError) {
        try optionalNumber(body["temperature"], "temperature", in: 0...2)
        try optionalNumber(body["top_p"], "top_p", in: 0...1)
        try optionalNumber(body["presence_penalty"], "presence_penalty", in: -2...2)
        try optionalNumber(body["frequency_penalty"], "frequency_penalty", in: -2...2)
        if let n = try optionalInteger(body["n"], "n"), n < 1 || n > 128 {
            throw RequestError(field: "n", message: "must be from 1 to 128")
        }
        _ = try optionalInteger(body["seed"], "seed")
        if let top = try optionalInteger(body["top_logprobs"], "top_logprobs"), top < 0 || top > 20 {
            throw RequestError(field: "top_logprobs", message: "must be from 0 to 20")
        }
        for field in ["parallel_tool_calls", "logprobs", "store"] { try optionalBool(body[field], field) }
        _ = try optionalString(body["user"], "user")
        switch body["stop"] {
        case nil, .null?, .string?: break
        case .array(let items)?:
            for (index, item) in items.enumerated() where item.stringValue == nil {
                throw RequestError(field: "stop[\(index)]", message: "must be a string")
            }
        default: throw RequestError(field: "stop", message: "must be a string or an array of strings")
        }
        switch body["tool_choice"] {
        case nil, .null?, .string("none")?, .string("auto")?, .string("required")?: break
        case .object(let choice)?:
            guard let type = choice["type"]?.stringValue else { throw RequestError(field: "tool_choice.type", message: "must be a string") }
            if type == "function" {
                guard choice["function"]?["name"]?.stringValue != nil else {
                    throw RequestError(field: "tool_choice.function.name", message: "must be a string")
                }
            }
        default: throw RequestError(field: "tool_choice", message: "must be none, auto, required or an object naming a function")
        }
        if let tools = body["tools"]?.arrayValue {
            for (index, tool) in tools.enumerated() {
                guard case .object(let fields) = tool else { throw RequestError(field: "tools[\(index)]", message: "must be an object") }
                let type = fields["type"]
                guard type == nil || type?.stringValue.map(toolTypes.contains) == true else {
                    throw RequestError(field: "tools[\(index)].type", message: "must be one of \(toolTypes.joined(separator: ", "))")
                }
                if type == nil || type?.stringValue == "function" {
                    guard fields["function"]?["name"]?.stringValue != nil else {
                        throw RequestError(field: "tools[\(index)].function.name", message: "is required (a string)")
                    }
                }
            }
        }
        if let options = body["stream_options"], !options.isNull {
            guard case .object(let fields) = options else { throw RequestError(field: "stream_options", message: "must be an object") }
            try optionalBool(fields["include_usage"], "stream_options.include_usage")
        }
        if let format = body["response_format"]?.objectValue, format["type"]?.stringValue == "json_schema",
            format["json_schema"]?.objectValue == nil
        {
            throw RequestError(field: "response_format.json_schema", message: "is required (an object) for type json_schema")
        }
    }

    /// OpenAI's tool types in chat completions (and so of the calls an assistant made).
    static let toolTypes = ["function", "custom"]

    /// A number within `range`; its JSON text is kept as it is for the provider.
    static func optionalNumber(_ value: JSON?, _ field: String, in range: ClosedRange<Double>) throws(RequestError) {
        switch value {
        case nil, .null?: return
        case .number(let text)?:
            guard let number = Double(text), range.contains(number) else {
                throw RequestError(field: field, message: "must be a number from \(range.lowerBound.formatted) to \(range.upperBound.formatted)")
            }
        default: throw RequestError(field: field, message: "must be a number")
        }
    }

    static func optionalBool(_ value: JSON?, _ field: String) throws(RequestError) {
        switch value {
        case nil, .null?, .bool?: return
        default: throw RequestError(field: field, message: "must be true or false")
        }
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
        guard Self.roles.contains(role) else {
            throw RequestError(field: path(".role"), message: "must be one of \(Self.roles.joined(separator: ", ")), not \(role.prefix(40))")
        }
        self.role = role
        if role == "tool", fields["tool_call_id"]?.stringValue == nil {
            throw RequestError(field: path(".tool_call_id"), message: "is required (a string) for a tool message")
        }
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
                guard Self.partTypes.contains(typeText) else {
                    throw RequestError(field: partPath(".type"), message: "must be one of \(Self.partTypes.joined(separator: ", ")), not \(typeText.prefix(40))")
                }
                let text: String?
                switch part["text"] {
                case nil, .null?: text = nil
                case .string(let value)?: text = value
                default: throw RequestError(field: partPath(".text"), message: "must be a string")
                }
                if typeText == "text", text == nil { throw RequestError(field: partPath(".text"), message: "is required") }
                if typeText == "image_url", part["image_url"]?.stringValue == nil, part["image_url"]?["url"]?.stringValue == nil {
                    throw RequestError(field: partPath(".image_url.url"), message: "is required (a string)")
                }
                parts.append(ChatCompletionsBody.Part(type: typeText, text: text))
            }
            content = .parts(parts)
        default:
            throw RequestError(field: path(".content"), message: "must be a string or an array of parts")
        }
        toolCalls = fields["tool_calls"].flatMap { $0.isNull ? nil : $0 }
        if let calls = toolCalls {
            guard case .array(let items) = calls else { throw RequestError(field: path(".tool_calls"), message: "must be an array") }
            for (call, item) in items.enumerated() {
                guard case .object(let fields) = item else { throw RequestError(field: path(".tool_calls[\(call)]"), message: "must be an object") }
                // Function calls name their function; other types (`custom`) carry their own shape.
                let type = fields["type"]?.stringValue
                if let type, !ChatCompletionsBody.toolTypes.contains(type) {
                    throw RequestError(
                        field: path(".tool_calls[\(call)].type"), message: "must be one of \(ChatCompletionsBody.toolTypes.joined(separator: ", "))")
                }
                if type == nil || type == "function", fields["function"]?["name"]?.stringValue == nil {
                    throw RequestError(field: path(".tool_calls[\(call)].function.name"), message: "is required (a string)")
                }
            }
        }
    }

    /// OpenAI's message roles (`function` is its legacy form of `tool`).
    static let roles = ["system", "developer", "user", "assistant", "tool", "function"]
    /// OpenAI's content part types.
    static let partTypes = ["text", "image_url", "input_audio", "file", "refusal"]
}

extension Double {
    /// `2` rather than `2.0`, for messages.
    fileprivate var formatted: String { self == rounded() ? String(Int(self)) : String(self) }
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
