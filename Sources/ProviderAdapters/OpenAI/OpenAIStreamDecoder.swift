import struct Foundation.Data
import ExactJSON

/// Passes an OpenAI-compatible chunk stream through, checking each chunk and keeping the
/// usage of the final one. Chunks go out byte for byte (re-framed only if the server split
/// one over several `data:` lines); the stream's natural end is `data: [DONE]`.
struct OpenAIStreamDecoder: StreamDecoder {
    private var parser = SSEParser()
    private var done = false
    private(set) var usage: Usage?

    mutating func feed(_ bytes: some Collection<UInt8>) throws(UpstreamError) -> [Data] {
        guard !done else { return [] }
        let events = try parser.events(from: bytes)
        var output: [Data] = []
        for event in events where !done {
            output.append(contentsOf: try decode(event))
        }
        return output
    }

    mutating func finish() throws(UpstreamError) -> [Data] {
        let ending = parser.finish()
        guard done else {
            throw .malformed(ending == .midEvent ? "the stream was cut inside an event" : "the stream ended before [DONE]")
        }
        return []
    }

    private mutating func decode(_ event: SSEEvent) throws(UpstreamError) -> [Data] {
        if event.data.elementsEqual("[DONE]".utf8) {
            done = true
            return [OpenAIOutput.done]
        }
        let chunk = try JSON.parseUpstream(event.data, what: "a stream chunk")
        if chunk["error"] != nil, chunk["choices"] == nil {
            throw UpstreamErrorMapper.map(status: nil, headers: [], error: ProviderErrorBody(json: .object(chunk)))
        }
        do {
            _ = try chunk.array("choices")
            if let reported = try OpenAIUsage.read(chunk["usage"]) { usage = reported }
        } catch {
            throw .malformed("a stream chunk: \(error)")
        }
        let multiline = event.data.contains(0x0A) || event.data.contains(0x0D)
        return [multiline ? OpenAIOutput.frame(.object(chunk)) : OpenAIOutput.frame(raw: event.data)]
    }
}
