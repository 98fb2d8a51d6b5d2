public import CurlTransport
public import ExactJSON
public import Foundation
public import ProviderAdapters

/// Calls one provider: the adapter translates, the transport carries. Every failure comes
/// out as an ``UpstreamError`` the failover logic can act on.
///
/// ```swift
/// let client = ProviderClient(transport: try CurlTransport())
/// let answer = try await client.complete(call, openAIRequest: try JSONParser.parse(body))
/// ```
public struct ProviderClient: Sendable {
    public let transport: CurlTransport

    public init(transport: CurlTransport) {
        self.transport = transport
    }

    /// Where and how to call: the provider's adapter and endpoint, the model name it expects.
    public struct Call: Sendable {
        public var adapter: any ProviderAdapter
        public var endpoint: UpstreamEndpoint
        public var upstreamModel: String
        public var connectTimeout: Duration?
        /// The whole call, including a streamed body; nil: none.
        public var timeout: Duration?
        public var unixSocketPath: String?

        public init(
            adapter: any ProviderAdapter, endpoint: UpstreamEndpoint, upstreamModel: String,
            connectTimeout: Duration? = .seconds(5), timeout: Duration? = .seconds(120), unixSocketPath: String? = nil
        ) {
            self.adapter = adapter
            self.endpoint = endpoint
            self.upstreamModel = upstreamModel
            self.connectTimeout = connectTimeout
            self.timeout = timeout
            self.unixSocketPath = unixSocketPath
        }
    }

    /// A non-streaming chat completion, as OpenAI's `chat.completion`. Errors never carry
    /// the key that was sent, even when a provider echoes it in a shape the heuristics miss.
    public func complete(_ call: Call, openAIRequest: JSON) async throws(UpstreamError) -> ChatResponse {
        do {
            return try await completeUnredacted(call, openAIRequest: openAIRequest)
        } catch {
            throw error.redacting(call.endpoint.apiKey)
        }
    }

    private func completeUnredacted(_ call: Call, openAIRequest: JSON) async throws(UpstreamError) -> ChatResponse {
        let request = try call.adapter.encode(
            openAIRequest: openAIRequest, upstreamModel: call.upstreamModel, stream: false, endpoint: call.endpoint)
        let response: HTTPResponse
        let body: Data
        do {
            (response, body) = try await transport.data(for: httpRequest(request, call), limit: 32 << 20)
        } catch {
            throw Self.upstreamError(error, midBody: false)
        }
        return try call.adapter.decodeResponse(status: response.status, headers: response.headers, body: body)
    }

    /// A streamed chat completion: once the provider has answered 2xx, OpenAI
    /// `chat.completion.chunk` frames as they arrive. A non-2xx answer throws here, before
    /// any byte could reach a client, so the caller can still fail over.
    public func stream(_ call: Call, openAIRequest: JSON, created: Int) async throws(UpstreamError) -> UpstreamStream {
        do {
            return try await streamUnredacted(call, openAIRequest: openAIRequest, created: created)
        } catch {
            throw error.redacting(call.endpoint.apiKey)
        }
    }

    private func streamUnredacted(_ call: Call, openAIRequest: JSON, created: Int) async throws(UpstreamError) -> UpstreamStream {
        let request = try call.adapter.encode(
            openAIRequest: openAIRequest, upstreamModel: call.upstreamModel, stream: true, endpoint: call.endpoint)
        let response = try await send(request, call)
        guard (200..<300).contains(response.status) else {
            let body = (try? await response.collectBody(limit: 1 << 20)) ?? Data()
            throw call.adapter.mapError(status: response.status, headers: response.headers, body: body)
        }
        return UpstreamStream(
            body: response.body, decoder: call.adapter.makeStreamDecoder(model: call.upstreamModel, created: created),
            secret: call.endpoint.apiKey)
    }

    private func httpRequest(_ request: UpstreamRequest, _ call: Call) -> HTTPRequest {
        HTTPRequest(
            method: request.method, url: request.url, headers: request.headers, body: .bytes(request.body),
            connectTimeout: call.connectTimeout, timeout: call.timeout, unixSocketPath: call.unixSocketPath)
    }

    private func send(_ request: UpstreamRequest, _ call: Call) async throws(UpstreamError) -> HTTPResponse {
        do {
            return try await transport.send(httpRequest(request, call))
        } catch {
            throw Self.upstreamError(error, midBody: false)
        }
    }

    /// Transport failures in the failover vocabulary. A connection lost after the headers is
    /// a cut response, which is the provider's fault rather than the network's.
    static func upstreamError(_ error: any Error, midBody: Bool) -> UpstreamError {
        if let upstream = error as? UpstreamError { return upstream }
        guard let transport = error as? TransportError else {
            return UpstreamError(kind: .connectionFailure, message: "\(error)")
        }
        let kind: UpstreamError.Kind =
            switch transport.kind {
            case .timeout: .timeout
            case .connectionLost where midBody: .malformedResponse
            // A cut non-streaming answer: curl saw fewer bytes than the Content-Length promised.
            case .connectionLost where transport.curlCode == 18: .malformedResponse
            case .responseTooLarge: .malformedResponse
            case .localResources: .localResources
            default: .connectionFailure
            }
        // "timeout: timeout: …" says nothing twice; a kind that changed is worth keeping.
        return UpstreamError(kind: kind, message: transport.kind.rawValue == kind.rawValue ? transport.message : transport.description)
    }
}

/// The OpenAI SSE frames of one streamed answer. Stop iterating and the upstream transfer is
/// cancelled. Errors are ``UpstreamError``s: a stream cut in the middle is `malformedResponse`.
public struct UpstreamStream: AsyncSequence, Sendable {
    public typealias Element = Data

    let body: ResponseBody
    let decoder: any StreamDecoder
    /// The key sent, scrubbed from errors raised mid-stream.
    let secret: String?
    /// Usage as reported so far; final once the iterator has returned nil.
    public let usage = UsageBox()

    public func makeAsyncIterator() -> Iterator {
        Iterator(body: body.makeAsyncIterator(), decoder: decoder, usage: usage, secret: secret)
    }

    public struct Iterator: AsyncIteratorProtocol {
        var body: ResponseBody.Iterator
        var decoder: any StreamDecoder
        let usage: UsageBox
        let secret: String?
        var pending: [Data] = []
        var finished = false

        public mutating func next() async throws -> Data? {
            while pending.isEmpty {
                if finished { return nil }
                do {
                    if let chunk = try await body.next() {
                        pending = try decoder.feed(chunk)
                    } else {
                        finished = true
                        pending = try decoder.finish()
                    }
                } catch let error as CancellationError {
                    throw error
                } catch {
                    finished = true
                    throw ProviderClient.upstreamError(error, midBody: true).redacting(secret)
                }
                usage.set(decoder.usage)
            }
            return pending.removeFirst()
        }

        /// The next frame and every other frame already decoded with it (one upstream read
        /// often carries several), waiting only for the first: a writer sends them in one
        /// piece instead of one write per frame. Nil at the end.
        public mutating func nextFrames() async throws -> [Data]? {
            guard let first = try await next() else { return nil }
            guard !pending.isEmpty else { return [first] }
            let frames = [first] + pending
            pending.removeAll(keepingCapacity: true)
            return frames
        }
    }
}

/// Usage shared between a stream's iterator and whoever reads it after the stream ends.
public final class UsageBox: Sendable {
    private let value = Mutex<Usage?>(nil)
    public var current: Usage? { value.withLock { $0 } }
    func set(_ usage: Usage?) { if let usage { value.withLock { $0 = usage } } }
}

import Synchronization
