public import BrokerCore
public import ExactJSON
public import struct Foundation.Data

/// One wire format: how an OpenAI chat-completions request becomes the provider's request,
/// and how the provider's answers, stream events and errors become OpenAI's again.
///
/// Every method is a pure function of its arguments, so the transport can call them from any
/// thread and tests can drive them with recorded bytes. Nothing upstream sends can make them
/// trap: unreadable input is reported as ``UpstreamError/Kind/malformedResponse``.
public protocol ProviderAdapter: Sendable {
    var wireFormat: WireFormat { get }

    /// From an OpenAI chat-completions body (parsed once by the gateway, members and number
    /// text as the client sent them) to the provider's request. Throws ``UpstreamError/Kind/badRequest`` on a body it cannot translate.
    /// - Parameters:
    ///   - upstreamModel: the provider's name for the model, which replaces the client's `model`.
    ///   - stream: whether to ask for a server-sent-event stream.
    func encode(openAIRequest: JSON, upstreamModel: String, stream: Bool, endpoint: UpstreamEndpoint)
        throws(UpstreamError) -> UpstreamRequest

    /// A complete non-streaming response as an OpenAI `chat.completion`; a non-2xx status is
    /// thrown as ``mapError(status:headers:body:)`` maps it.
    func decodeResponse(status: Int, headers: [(name: String, value: String)], body: Data)
        throws(UpstreamError) -> ChatResponse

    /// A decoder for one streamed response body.
    /// - Parameters:
    ///   - model: the model name the OpenAI chunks carry.
    ///   - created: the chunks' `created` time (Unix seconds); the adapters read no clock.
    func makeStreamDecoder(model: String, created: Int) -> any StreamDecoder

    /// The normalised error for a non-2xx response.
    func mapError(status: Int, headers: [(name: String, value: String)], body: Data) -> UpstreamError
}

extension ProviderAdapter {
    /// A stream decoder whose chunks carry `created: 0`, for callers that do not track time.
    public func makeStreamDecoder(model: String) -> any StreamDecoder {
        makeStreamDecoder(model: model, created: 0)
    }
}

/// Turns one streamed upstream body into OpenAI `chat.completion.chunk` events.
public protocol StreamDecoder: Sendable {
    /// Feed raw body bytes as they arrive, in any chunking. Returns OpenAI chunks, each framed
    /// as SSE bytes (`data: {...}\n\n`), and `data: [DONE]\n\n` once the stream has ended.
    /// Throws the mapped error when the provider reports one inside the stream, and
    /// ``UpstreamError/Kind/malformedResponse`` on an event it cannot read.
    mutating func feed(_ bytes: some Collection<UInt8>) throws(UpstreamError) -> [Data]

    /// The body ended. Returns whatever was still held back; throws
    /// ``UpstreamError/Kind/malformedResponse`` if the stream was cut before its natural end.
    mutating func finish() throws(UpstreamError) -> [Data]

    /// The usage the provider reported so far; final once the stream has ended.
    var usage: Usage? { get }
}

extension ProviderAdapter {
    /// ``encode(openAIRequest:upstreamModel:stream:endpoint:)`` from the body's bytes.
    public func encode(openAIBody: Data, upstreamModel: String, stream: Bool, endpoint: UpstreamEndpoint)
        throws(UpstreamError) -> UpstreamRequest
    {
        let parsed: JSON
        do {
            parsed = try JSONParser.parse(openAIBody)
        } catch {
            throw .badRequest("the request body is not JSON (\(error))")
        }
        return try encode(openAIRequest: parsed, upstreamModel: upstreamModel, stream: stream, endpoint: endpoint)
    }
}
