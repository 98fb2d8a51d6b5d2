import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

/// Answers one provider path in one wire format: reads the request, asks the state for the
/// model's behaviour, and performs it (wait, fail, answer, stream, cut, hang).
struct ProviderEndpoint<Format: WireFormat>: Sendable {
    let state: MockState
    /// The path as the stats name it, e.g. `/v1/chat/completions`.
    let path: String
    /// Bodies above this are refused (Anthropic's limit; generous for the others).
    static var bodyLimit: Int { 32 * 1024 * 1024 }

    func respond(_ format: Format, to request: Request, modelInPath: String? = nil) async throws -> Response {
        let arrival = ContinuousClock.now
        var request = request
        return try await state.inFlight {
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: Self.bodyLimit)
            } catch {
                state.reject(model: modelInPath ?? "", path: path)
                return errorResponse(format, .tooLarge(limit: Self.bodyLimit))
            }
            let parsed = Result { () throws(MockRequestError) in
                try format.parse(body: Data(body.readableBytesView), modelInPath: modelInPath)
            }
            let model = (try? parsed.get())?.model ?? modelInPath ?? ""
            if let key = state.configuration.requiredAPIKey, !Self.carries(key, request) {
                state.reject(model: model, path: path)
                return errorResponse(format, .unauthorized)
            }
            let chat: ChatRequest
            switch parsed {
            case .success(let value): chat = value
            case .failure(let error):
                state.reject(model: model, path: path)
                return errorResponse(format, .invalidRequest(error.message))
            }
            let admission = state.admit(model: chat.model, path: path)
            let behaviour = admission.behaviour
            if behaviour.hang {
                try await Self.hang(request)
            }
            if let failure = behaviour.failure(draw: admission.draw) {
                if failure == .malformedJSON {
                    return malformedResponse(format, chat, id: admission.id)
                }
                return errorResponse(format, .injected(failure, retryAfterSeconds: behaviour.retryAfterSeconds))
            }
            let answer = MockAnswer(behaviour: behaviour, request: chat)
            let created = Int(Date().timeIntervalSince1970)
            if chat.stream {
                let events = format.stream(to: chat, answer: answer, id: admission.id, created: created)
                return streamResponse(format, events: events, pacing: answer.pacing, arrival: arrival)
            }
            let due = answer.pacing.due(afterTokens: answer.completionTokens)
            if due > .zero {
                try await Task.sleep(until: arrival + due, clock: .continuous)
            }
            return jsonResponse(status: 200, format.response(to: chat, answer: answer, id: admission.id, created: created).serialized())
        }
    }

    /// Whether the request carries `key` in any header or query parameter a provider reads it from.
    static func carries(_ key: String, _ request: Request) -> Bool {
        let headers = request.headers
        if let authorization = headers[.authorization], authorization == "Bearer \(key)" { return true }
        if let name = HTTPField.Name("x-api-key"), headers[name] == key { return true }
        if let name = HTTPField.Name("x-goog-api-key"), headers[name] == key { return true }
        return request.uri.queryParameters["key"].map(String.init) == key
    }

    /// Waits until the client closes the connection (then this task is cancelled).
    static func hang(_ request: Request) async throws {
        try await request.body.consumeWithCancellationOnInboundClose { _ in
            while true {
                try await Task.sleep(for: .seconds(3600))
            }
        }
    }

    func errorResponse(_ format: Format, _ failure: MockFailure) -> Response {
        let (status, body) = format.error(failure)
        var response = jsonResponse(status: status, body.serialized())
        if case .injected(.rateLimited, let seconds) = failure {
            response.headers[.retryAfter] = String(seconds)
        }
        return response
    }

    /// A 200 whose JSON stops halfway: for a stream, one event whose data does.
    func malformedResponse(_ format: Format, _ chat: ChatRequest, id: Int) -> Response {
        let answer = MockAnswer(behaviour: ModelBehaviour(), request: chat)
        let whole = format.response(to: chat, answer: answer, id: id, created: 0).serialized()
        let half = String(whole.prefix(whole.count / 2))
        guard chat.stream else { return jsonResponse(status: 200, half) }
        var response = Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "data: \(half)\n\n")))
        response.headers[.contentType] = format.streamContentType
        return response
    }

    func jsonResponse(status: Int, _ text: String) -> Response {
        var response = Response(status: HTTPResponse.Status(code: status), body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        response.headers[.contentType] = "application/json"
        return response
    }

    /// Writes `events` at their due times; events due together go out in one write. With a
    /// cut configured, the connection is dropped after that many events (the writer throws,
    /// which makes the server close it without the stream's end).
    func streamResponse(_ format: Format, events: [StreamEvent], pacing: Pacing, arrival: ContinuousClock.Instant) -> Response {
        let state = self.state
        var response = Response(
            status: .ok,
            body: ResponseBody { writer in
                try await state.inFlight {
                    let limit = min(events.count, pacing.cutAfterEvents ?? .max)
                    var sentTokens = 0
                    var index = 0
                    while index < limit {
                        let due = pacing.due(afterTokens: sentTokens + events[index].tokens)
                        var buffer = ByteBuffer()
                        while index < limit, pacing.due(afterTokens: sentTokens + events[index].tokens) <= due {
                            buffer.writeString(events[index].text)
                            sentTokens += events[index].tokens
                            index += 1
                        }
                        if ContinuousClock.now < arrival + due {
                            try await Task.sleep(until: arrival + due, clock: .continuous)
                        }
                        try await writer.write(buffer)
                    }
                    if limit < events.count {
                        throw StreamCut()
                    }
                    try await writer.finish(nil)
                }
            })
        response.headers[.contentType] = format.streamContentType
        response.headers[.cacheControl] = "no-cache"
        return response
    }
}

/// Thrown by a stream's writer to drop the connection where the behaviour cuts it.
struct StreamCut: Error {}
