import ExactJSON
/// One message of an OpenAI conversation.
struct OpenAIMessage: Sendable, Equatable {
    enum Role: String, Sendable {
        case system, developer, user, assistant, tool
    }

    var role: Role
    var content: [OpenAIContentPart]
    /// Whether `content` was a plain string; formats that accept both keep that form.
    var contentIsString: Bool
    var toolCalls: [OpenAIToolCall]
    /// For `tool` messages: the call this result answers.
    var toolCallID: String?

    init(_ object: JSONObject) throws(JSONShapeError) {
        let roleName = try object.string("role")
        guard let role = Role(rawValue: roleName) else {
            throw JSONShapeError(description: "message role `\(roleName)` is not supported")
        }
        self.role = role
        switch object["content"] {
        case nil, .null?:
            content = []
            contentIsString = false
        case .string(let text)?:
            content = [.text(text)]
            contentIsString = true
        case .array(let parts)?:
            content = try parts.asObjects("content").map { part throws(JSONShapeError) in try OpenAIContentPart(part) }
            contentIsString = false
        default:
            throw JSONShapeError(description: "message `content` must be a string or an array of parts")
        }
        toolCalls = try object.objects("tool_calls").map { call throws(JSONShapeError) in try OpenAIToolCall(call) }
        toolCallID = try object.optionalString("tool_call_id")
        if role == .tool, toolCallID == nil { throw JSONShapeError(description: "a tool message needs `tool_call_id`") }
    }

    /// The text parts joined; images are not text.
    var text: String {
        content.compactMap { part in
            if case .text(let text) = part { return text }
            return nil
        }.joined(separator: "\n")
    }
}

/// One part of a message's content.
enum OpenAIContentPart: Sendable, Equatable {
    case text(String)
    /// `image_url.url`: an `https:` URL or a `data:` URL with base64 bytes.
    case image(url: String)

    init(_ object: JSONObject) throws(JSONShapeError) {
        switch try object.string("type") {
        case "text": self = .text(try object.string("text"))
        case "image_url":
            switch object["image_url"] {
            case .string(let url)?: self = .image(url: url)
            default: self = .image(url: try object.object("image_url").string("url"))
            }
        case let other: throw JSONShapeError(description: "content part type `\(other)` is not supported")
        }
    }
}

/// A function call the assistant made.
struct OpenAIToolCall: Sendable, Equatable {
    var id: String
    var name: String
    /// The arguments as the model wrote them: a JSON object in a string.
    var arguments: String

    init(id: String, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }

    init(_ object: JSONObject) throws(JSONShapeError) {
        id = try object.string("id")
        let function = try object.object("function")
        name = try function.string("name")
        arguments = try function.optionalString("arguments") ?? ""
    }

    /// The arguments parsed; an empty string is an empty object. Other formats carry
    /// arguments as JSON, so a call whose arguments are not an object cannot be translated.
    func argumentsObject() throws(JSONShapeError) -> JSON {
        if arguments.allSatisfy(\.isWhitespace) { return [:] }
        guard let value = try? JSONParser.parse(Array(arguments.utf8)), value.objectValue != nil else {
            throw JSONShapeError(description: "tool call `\(id)` arguments are not a JSON object")
        }
        return value
    }
}

/// A `data:` URL's media type and base64 payload (RFC 2397), as image parts carry them.
struct DataURL: Sendable, Equatable {
    var mediaType: String
    var base64: String

    /// Nil for anything but `data:<type>;base64,<data>`.
    init?(_ url: String) {
        guard url.hasPrefix("data:"), let comma = url.firstIndex(of: ",") else { return nil }
        let header = url[url.index(url.startIndex, offsetBy: 5)..<comma]
        guard header.hasSuffix(";base64") else { return nil }
        let type = header.dropLast(7).split(separator: ";").first.map(String.init) ?? ""
        mediaType = type.isEmpty ? "application/octet-stream" : type
        base64 = String(url[url.index(after: comma)...])
    }
}
