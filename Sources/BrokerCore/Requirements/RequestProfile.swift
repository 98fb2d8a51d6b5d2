public import Foundation
public import ExactJSON

/// What one OpenAI chat-completions request needs from an offer, read from its body.
public struct RequestProfile: Sendable, Hashable {
    /// The request's `model` field: `auto`, a policy, a model id, or `provider/model`.
    public var model: String
    public var capabilities: Capabilities
    public var stream: Bool
    public var estimatedPromptTokens: Int
    /// `max_completion_tokens`, else `max_tokens`.
    public var maxOutputTokens: Int?
    public var messageCount: Int

    public init(
        model: String = "auto", capabilities: Capabilities = [], stream: Bool = false,
        estimatedPromptTokens: Int, maxOutputTokens: Int? = nil, messageCount: Int = 1
    ) {
        self.model = model
        self.capabilities = capabilities
        self.stream = stream
        self.estimatedPromptTokens = estimatedPromptTokens
        self.maxOutputTokens = maxOutputTokens
        self.messageCount = messageCount
    }

    /// The largest `max_tokens` / `max_completion_tokens` accepted (2^30).
    public static let maxOutputTokensLimit = 1 << 30

    /// Reads a chat-completions body. Throws ``RequestError`` naming the field at fault.
    ///
    /// ```swift
    /// let profile = try RequestProfile(chatCompletionsBody: Data(#"{"model":"auto","messages":[{"role":"user","content":"hi"}]}"#.utf8))
    /// ```
    public init(chatCompletionsBody body: Data) throws(RequestError) {
        let json: JSON
        do {
            json = try JSONParser.parse(body)
        } catch {
            throw RequestError(field: nil, message: "body is not valid JSON")
        }
        try self.init(chatCompletions: json)
    }

    /// Reads an already parsed chat-completions body (the gateway parses each body once).
    public init(chatCompletions json: JSON) throws(RequestError) {
        try self.init(try ChatCompletionsBody(json: json))
    }

    init(_ request: ChatCompletionsBody) throws(RequestError) {
        guard !request.messages.isEmpty else {
            throw RequestError(field: "messages", message: "must contain at least one message")
        }
        var capabilities: Capabilities = []
        var tokens = 3  // every reply is primed with a few tokens
        for message in request.messages {
            tokens += TokenEstimator.tokensPerMessage
            switch message.content {
            case .text(let text): tokens += TokenEstimator.tokens(in: text)
            case .parts(let parts):
                for part in parts {
                    if let text = part.text { tokens += TokenEstimator.tokens(in: text) }
                    if part.type == "image_url" || part.type == "input_image" {
                        capabilities.insert(.vision)
                        tokens += TokenEstimator.tokensPerImage
                    }
                }
            case nil: break
            }
            if let calls = message.toolCalls { tokens += calls.estimatedTokens }
        }
        if let tools = request.tools, !tools.isEmpty {
            capabilities.insert(.tools)
            tokens += tools.reduce(0) { $0 + $1.estimatedTokens }
        }
        if let functions = request.functions, !functions.isEmpty {
            capabilities.insert(.tools)
            tokens += functions.reduce(0) { $0 + $1.estimatedTokens }
        }
        if let format = request.responseFormat {
            switch format.type {
            case "json_schema":
                capabilities.insert(.jsonSchema)
                tokens += format.jsonSchema?.estimatedTokens ?? 0
            case "json_object", "text": break
            default:
                throw RequestError(
                    field: "response_format.type", message: "must be text, json_object or json_schema, not \(format.type)")
            }
        }
        if request.reasoningEffort != nil { capabilities.insert(.reasoning) }
        let stream = request.stream ?? false
        if stream { capabilities.insert(.streaming) }
        for (field, value) in [("max_completion_tokens", request.maxCompletionTokens), ("max_tokens", request.maxTokens)] {
            if let value, value < 1 { throw RequestError(field: field, message: "must be a positive integer") }
            // No model comes near this; a bound keeps every later sum of tokens far from overflow.
            if let value, value > Self.maxOutputTokensLimit {
                throw RequestError(field: field, message: "must be at most \(Self.maxOutputTokensLimit)")
            }
        }
        self.init(
            model: request.model ?? "auto", capabilities: capabilities, stream: stream,
            estimatedPromptTokens: tokens, maxOutputTokens: request.maxCompletionTokens ?? request.maxTokens,
            messageCount: request.messages.count)
    }
}

/// A request body that cannot be routed, and the field at fault (`messages[2].content`).
public struct RequestError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String?
    public var message: String

    public init(field: String?, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { field.map { "\($0): \(message)" } ?? message }
}

/// The parts of a chat-completions body that routing reads; everything else passes through.
/// Read from the parsed body by `init(json:)` (ChatCompletionsBody+JSON.swift).
struct ChatCompletionsBody {
    var model: String?
    var messages: [Message]
    var tools: [JSON]?
    var functions: [JSON]?
    var responseFormat: ResponseFormat?
    var stream: Bool?
    var maxTokens: Int?
    var maxCompletionTokens: Int?
    var reasoningEffort: String?

    struct Message {
        var role: String
        var content: Content?
        var toolCalls: JSON?
    }

    enum Content {
        case text(String)
        case parts([Part])
    }

    struct Part {
        var type: String
        var text: String?
    }

    struct ResponseFormat {
        var type: String
        var jsonSchema: JSON?
    }
}
