import Foundation

/// One provider's wire format: how its requests read and how its answers, streams and
/// errors look. Conformers are pure (no I/O); the server calls them and writes the result.
protocol WireFormat: Sendable {
    /// Reads a request body; `modelInPath` is the model named by the URL (Gemini).
    func parse(body: Data, modelInPath: String?) throws(MockRequestError) -> ChatRequest
    /// The non-streaming answer.
    func response(to request: ChatRequest, answer: MockAnswer, id: Int, created: Int) -> JSONValue
    /// The streamed answer, every event in order, ending with the format's own terminator.
    func stream(to request: ChatRequest, answer: MockAnswer, id: Int, created: Int) -> [StreamEvent]
    /// The status and body this provider answers `failure` with.
    func error(_ failure: MockFailure) -> (status: Int, body: JSONValue)
    /// The media type of a streamed answer.
    var streamContentType: String { get }
}

extension WireFormat {
    var streamContentType: String { "text/event-stream" }
}

extension MockAnswer {
    /// The text tokens grouped `tokensPerEvent` to an event.
    var tokenGroups: [String] {
        guard case .text(let tokens) = content else { return [] }
        let size = max(1, pacing.tokensPerEvent)
        return stride(from: 0, to: tokens.count, by: size).map { tokens[$0..<min($0 + size, tokens.count)].joined() }
    }

    /// How many tokens the `index`-th group of `tokenGroups` carries.
    func tokensInGroup(_ index: Int) -> Int {
        let size = max(1, pacing.tokensPerEvent)
        return min(size, completionTokens - index * size)
    }
}

extension JSONValue {
    /// The text of a message's content: a string, or the `text` of its parts.
    var contentText: String {
        switch self {
        case .string(let text): return text
        case .array(let parts): return parts.compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
        default: return ""
        }
    }
}

/// Decodes `T`, turning a decoding failure into the message a provider would give.
func decodeRequest<T: Decodable>(_ type: T.Type, from body: Data) throws(MockRequestError) -> T {
    do {
        return try JSONDecoder().decode(T.self, from: body)
    } catch let error as DecodingError {
        if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
            throw MockRequestError("The request body is not valid JSON.")
        }
        throw MockRequestError("Invalid request: \(error.readableDescription)")
    } catch let error as MockRequestError {
        throw error
    } catch {
        throw MockRequestError("Invalid request: \(error)")
    }
}
