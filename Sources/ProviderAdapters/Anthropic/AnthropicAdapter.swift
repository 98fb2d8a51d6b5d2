public import BrokerCore
public import struct Foundation.Data
public import ExactJSON

/// Anthropic Messages (`POST {base}/messages`), translated both ways from and to OpenAI's
/// chat-completions shapes.
public struct AnthropicAdapter: ProviderAdapter {
    /// The API version these translations were written against.
    public static let apiVersion = "2023-06-01"

    public var wireFormat: WireFormat { .anthropic }

    public init() {}

    public func encode(openAIRequest: JSON, upstreamModel: String, stream: Bool, endpoint: UpstreamEndpoint)
        throws(UpstreamError) -> UpstreamRequest
    {
        let request = try OpenAIChatRequest(json: openAIRequest)
        let body: JSON
        do {
            body = try AnthropicMessagesRequest(request, model: upstreamModel, stream: stream).json
        } catch {
            throw .badRequest("cannot translate to Anthropic Messages: \(error)")
        }
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"), ("Accept", stream ? "text/event-stream" : "application/json"),
            ("anthropic-version", Self.apiVersion),
        ]
        if let key = endpoint.apiKey, !key.isEmpty { headers.append(("x-api-key", key)) }
        return UpstreamRequest(url: endpoint.url("messages"), headers: headers, body: JSONWriter.data(body))
    }

    public func decodeResponse(status: Int, headers: [(name: String, value: String)], body: Data)
        throws(UpstreamError) -> ChatResponse
    {
        guard (200..<300).contains(status) else { throw mapError(status: status, headers: headers, body: body) }
        let object = try JSON.parseUpstream(body, what: "the Anthropic message", status: status)
        if object["type"]?.stringValue == "error" {
            throw UpstreamErrorMapper.map(status: nil, headers: headers, error: ProviderErrorBody(json: .object(object)))
        }
        let message: AnthropicMessage
        do {
            message = try AnthropicMessage(object)
        } catch {
            throw .malformed("the Anthropic message: \(error)", status: status)
        }
        let created = headers.value(of: "date").flatMap(HTTPDate.unixSeconds) ?? 0
        return ChatResponse(body: JSONWriter.data(message.completion(created: created)), usage: message.usage)
    }

    public func makeStreamDecoder(model: String, created: Int) -> any StreamDecoder {
        AnthropicStreamDecoder(model: model, created: created)
    }

    public func mapError(status: Int, headers: [(name: String, value: String)], body: Data) -> UpstreamError {
        UpstreamErrorMapper.map(status: status, headers: headers, body: body)
    }
}
