public import BrokerCore
public import struct Foundation.Data
public import ExactJSON

/// Google Gemini `generateContent` and `streamGenerateContent` (`POST
/// {base}/models/{model}:generateContent`, key in `x-goog-api-key`), translated both ways
/// from and to OpenAI's chat-completions shapes.
public struct GeminiAdapter: ProviderAdapter {
    public var wireFormat: WireFormat { .gemini }

    public init() {}

    public func encode(openAIRequest: JSON, upstreamModel: String, stream: Bool, endpoint: UpstreamEndpoint)
        throws(UpstreamError) -> UpstreamRequest
    {
        let request = try OpenAIChatRequest(json: openAIRequest)
        let body: JSON
        do {
            body = try GeminiGenerateContentRequest(request).json
        } catch {
            throw .badRequest("cannot translate to Gemini generateContent: \(error)")
        }
        // Catalogue entries may name the model as Gemini's resource name, `models/…`.
        let model = upstreamModel.hasPrefix("models/") ? String(upstreamModel.dropFirst(7)) : upstreamModel
        guard !model.isEmpty, model.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) }) else {
            throw .badRequest("`\(upstreamModel)` is not a Gemini model name")
        }
        let method = stream ? "streamGenerateContent?alt=sse" : "generateContent"
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"), ("Accept", stream ? "text/event-stream" : "application/json"),
        ]
        if let key = endpoint.apiKey, !key.isEmpty { headers.append(("x-goog-api-key", key)) }
        return UpstreamRequest(url: endpoint.url("models/\(model):\(method)"), headers: headers, body: JSONWriter.data(body))
    }

    public func decodeResponse(status: Int, headers: [(name: String, value: String)], body: Data)
        throws(UpstreamError) -> ChatResponse
    {
        guard (200..<300).contains(status) else { throw mapError(status: status, headers: headers, body: body) }
        let object = try JSON.parseUpstream(body, what: "the Gemini response", status: status)
        if object["error"] != nil, object["candidates"] == nil {
            throw UpstreamErrorMapper.map(status: nil, headers: headers, error: ProviderErrorBody(json: .object(object)))
        }
        let response: GeminiResponse
        do {
            response = try GeminiResponse(object)
        } catch {
            throw .malformed("the Gemini response: \(error)", status: status)
        }
        guard !response.candidates.isEmpty || response.blockReason != nil else {
            throw .malformed("the Gemini response has no candidates", status: status)
        }
        let created = headers.value(of: "date").flatMap(HTTPDate.unixSeconds) ?? 0
        let body = response.completion(created: created, fallbackID: "chatcmpl-gemini")
        return ChatResponse(body: JSONWriter.data(body), usage: response.usage)
    }

    public func makeStreamDecoder(model: String, created: Int) -> any StreamDecoder {
        GeminiStreamDecoder(model: model, created: created)
    }

    public func mapError(status: Int, headers: [(name: String, value: String)], body: Data) -> UpstreamError {
        UpstreamErrorMapper.map(status: status, headers: headers, body: body)
    }
}
