public import BrokerCore
public import struct Foundation.Data
public import ExactJSON

/// OpenAI chat completions, and every server that speaks it: OpenAI, DeepSeek, DashScope
/// compatible mode, Mistral, Groq, Together, Fireworks, vLLM, Ollama, llama.cpp.
///
/// The client already speaks this format, so the request passes through with only `model`
/// replaced and, for streams, `stream_options.include_usage` forced on — usage from the final
/// chunk is what the broker bills and records. Responses pass through byte for byte.
public struct OpenAICompatibleAdapter: ProviderAdapter {
    public var wireFormat: WireFormat { .openai }

    public init() {}

    public func encode(openAIRequest parsed: JSON, upstreamModel: String, stream: Bool, endpoint: UpstreamEndpoint)
        throws(UpstreamError) -> UpstreamRequest
    {
        guard var body = parsed.objectValue else { throw .badRequest("the request body is not a JSON object") }
        body.set("model", .string(upstreamModel))
        if stream {
            body.set("stream", true)
            var options = body["stream_options"]?.objectValue ?? JSONObject()
            options.set("include_usage", true)
            body.set("stream_options", .object(options))
        } else {
            // stream_options is rejected without stream: true.
            body.remove("stream")
            body.remove("stream_options")
        }
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"), ("Accept", stream ? "text/event-stream" : "application/json"),
        ]
        if let key = endpoint.apiKey, !key.isEmpty { headers.append(("Authorization", "Bearer \(key)")) }
        return UpstreamRequest(url: endpoint.url("chat/completions"), headers: headers, body: JSONWriter.data(.object(body)))
    }

    public func decodeResponse(status: Int, headers: [(name: String, value: String)], body: Data)
        throws(UpstreamError) -> ChatResponse
    {
        guard (200..<300).contains(status) else { throw mapError(status: status, headers: headers, body: body) }
        let object = try JSON.parseUpstream(body, what: "the chat completion", status: status)
        if object["choices"] == nil, object["error"] != nil {
            throw UpstreamErrorMapper.map(status: nil, headers: headers, error: ProviderErrorBody(json: .object(object)))
        }
        do {
            _ = try object.array("choices")
            return ChatResponse(body: body, usage: try OpenAIUsage.read(object["usage"]))
        } catch {
            throw .malformed("the chat completion: \(error)", status: status)
        }
    }

    public func makeStreamDecoder(model: String, created: Int) -> any StreamDecoder {
        OpenAIStreamDecoder()
    }

    public func mapError(status: Int, headers: [(name: String, value: String)], body: Data) -> UpstreamError {
        UpstreamErrorMapper.map(status: status, headers: headers, body: body)
    }
}
